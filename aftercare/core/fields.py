"""Model fields that keep direct identifiers encrypted at rest."""

from __future__ import annotations

import datetime

from django.db import models

from aftercare.core import crypto


class EncryptedTextField(models.TextField):
    """A text value stored as a Fernet token; the database never sees the plaintext.

    Encrypted values cannot be filtered or ordered on; pair the field with a blind index
    where exact-match search is needed.
    """

    encrypted = True

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.decode(crypto.decrypt(value))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(self.encode(value))

    def encode(self, value):
        return value

    def decode(self, value: str):
        return value


class EncryptedDateField(EncryptedTextField):
    """A date kept encrypted (a date of birth identifies a person as well as a name)."""

    def encode(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def decode(self, value: str):
        return datetime.date.fromisoformat(value)

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]

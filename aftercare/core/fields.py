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


def encrypt_existing_rows(app_label: str, model_name: str, columns: tuple[str, ...]):
    """Migration operations for fields that became encrypted: turn every stored plaintext
    into a token (and back, to reverse). A value that already decrypts is left alone, so
    the migration may run on a database that is half done."""
    from django.db import migrations

    def convert(apps, schema_editor, change):
        model = apps.get_model(app_label, model_name)
        quote = schema_editor.quote_name
        table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
        with schema_editor.connection.cursor() as cursor:
            for column in (quote(name) for name in columns):
                cursor.execute(
                    f"SELECT {key}, {column} FROM {table} "  # noqa: S608
                    f"WHERE {column} IS NOT NULL AND {column} <> ''"
                )
                for pk, value in cursor.fetchall():
                    new = change(value)
                    if new is not None:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {key} = %s",  # noqa: S608
                            [new, pk],
                        )

    def encrypted(value: str) -> str | None:
        try:
            crypto.decrypt(value)
        except crypto.DecryptionFailed:
            return crypto.encrypt(value)
        return None

    def decrypted(value: str) -> str | None:
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionFailed:
            return None

    return migrations.RunPython(
        lambda apps, editor: convert(apps, editor, encrypted),
        lambda apps, editor: convert(apps, editor, decrypted),
    )

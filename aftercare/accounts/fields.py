"""A short list of codes (languages, populations) kept in one column, searchable everywhere."""

from __future__ import annotations

from django.db import models
from django.db.models.lookups import Contains


class CodeListField(models.CharField):
    """A sorted list of lower-case codes, stored as ``,bn,en,hi,``.

    One column keeps a directory row whole (no join per list), and the delimited form lets
    ``languages__has="hi"`` filter on SQLite and PostgreSQL alike. Which codes are allowed
    is checked where input arrives (forms and serializers), against the same choices.
    """

    description = "A list of codes"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = value.split(",")
        return sorted({str(code).strip().lower() for code in value if str(code).strip()})

    def get_prep_value(self, value) -> str:
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        # A list has no single text box; forms declare the field with its choices.
        return None


@CodeListField.register_lookup
class Has(Contains):
    """``field__has="hi"``: the list holds that code (``LIKE '%,hi,%'``, escaped)."""

    lookup_name = "has"

    def get_prep_lookup(self):
        return self.lhs.output_field.get_prep_value([self.rhs])

    def get_rhs_op(self, connection, rhs):
        return connection.operators["contains"] % rhs

"""Restore drill: `aftercare shell < deploy/restore_drill_check.py`, against the restored database
with the production keys. Prints whether identifiers decrypt, whether exact-name search finds a
case, and whether the audit trail still refuses changes (docs/DEPLOYMENT.md)."""

from django.db import DatabaseError, connection, transaction

from aftercare.cases.models import Survivor
from aftercare.core.crypto import blind_index

rows = list(Survivor.objects.order_by("case_code")[:1000])
named = sum(1 for s in rows if s.given_name)
print(f"decrypted: {named} of {len(rows)} survivors have a readable given name")
first = rows[0]
hits = Survivor.objects.filter(
    name_index=blind_index(f"{first.given_name} {first.family_name}")
).count()
print(f"exact-name search (blind index) finds {hits} case(s) for the first survivor's name")
try:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET reason = 'x' WHERE id = (SELECT id FROM "
            "audit_auditevent LIMIT 1)"
        )
    print("audit trail: UPDATE allowed: the append-only trigger is MISSING")
except DatabaseError as refused:
    print(
        "audit trail: UPDATE refused by the trigger:",
        type(refused).__name__,
        str(refused).splitlines()[0][:80],
    )

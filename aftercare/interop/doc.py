"""docs/HTCDS.md, written from the mapping (`aftercare htcds-doc`); a test keeps the two in step."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from aftercare.interop import mapping
from aftercare.interop.mapping import Field, Picklist

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "HTCDS.md"
DIRECTION = {"both": "both ways", "export": "export only", "import": "import only"}

INTRO = """\
# HTCDS 2.0: how Aftercare's cases map to the standard

<!-- Written by `aftercare htcds-doc` from aftercare/interop/mapping.py: edit the mapping, not this file. -->

IOM's [Human Trafficking Case Data Standard](https://github.com/UNMigration/HTCDS) (HTCDS, CC BY 4.0;
its use implies no endorsement by IOM) is how case data travels between case management systems,
helplines and spreadsheets. Aftercare speaks it four ways:

- **Export** (`/interop/htcds/`, `GET /api/v1/exports/htcds.xlsx` or `.json`, optional `?ids=ID,ID`;
  supervisors and organisation admins): the cases the caller may see **whose survivor consented to
  `referral`**, her case being shared with other organisations, which is what leaving Aftercare in
  a case data standard is. Consent to anonymised reporting is not enough: the export is not
  anonymised (the CTDC export is). Of each case only what the caller's organisation sees
  (`sections_for`): identifiers and trafficking events with `identity`, the support plan with
  `plan`, consents with `consent`, referral history with `history`. Every exported case is an
  `export` event in its audit trail. The response header `X-Aftercare-Left-Out` counts the
  visible cases left out for want of consent.
- **Import** (`/interop/htcds/`, `POST /api/v1/imports/htcds[?commit=true]`, multipart `file`;
  case workers and supervisors): a dry run reports every value that cannot be mapped as
  `line N, column "X": message`, and lists the HTCDS columns passed over; the commit opens every
  case or none, each through intake, then its status, consents, objectives and events through the
  operations a case worker uses. An exported workbook imported again gives back the same cases.
- **ODK / OpenRosa** (`POST /api/v1/openrosa/submission`, multipart `xml_submission_file`) and
  **Kobo** (`POST /api/v1/htcds/kobo`, a submission, a list, or Kobo's JSON export): submissions of
  the standard's XLSForm (`htcds_xlsform.xlsx`) become cases of the caller's organisation, the same
  way. A submission is remembered by its instance id: sent again, it opens no second case.

## The layout

The workbook follows the standard's single-select spreadsheet template: on the `Cases` sheet the
first row holds the field names (hidden, for programs), the second their labels, then one case a
row; single-valued picklist columns have drop-down lists from the `validation` sheet. Cells with
several values separate them with `;`, as the standard's multi-select template does (one value per
cell would lose data). The standard keeps a support plan and historic trafficking events as
related records: they are the `SupportPlan` and `TraffickingEvents` sheets, each row naming its
case by `aft_CaseCode`. In JSON each case is an object with the same names, lists for multi-valued
fields, and its objectives and events in `spl` and `hte`.

An import reads the first sheet (or a CSV) by field name, by the XLSForm's spelling of it
(`prs_First_Name`) or by label, skips the label row, and reads the two related sheets when
present. Values are compared without regard to case, spaces or punctuation, and an XLSForm's
space-separated multiple choices are read too. Columns of HTCDS fields Aftercare does not hold
are passed over and listed; any other unknown column is an error.

Columns named `aft_` are Aftercare's own: they carry what HTCDS has no field for, so that an
export read back gives the same cases. Other systems may ignore them. Where several Aftercare
codes share one HTCDS value (intake and active are both `Active`; forced criminality and other
are both `Other`), `aft_Status` and `aft_ExploitationTypes` carry the exact codes, and an import
refuses them when they disagree with the HTCDS column.

## Field capture with ODK Collect and KoboToolbox

1. Make a service account in the organisation that will hold the cases, as a case worker:
   `aftercare user add odk-napak --org SLUG --role case_worker --password '...'`, then a token
   for it: `aftercare token odk-napak --hours 720` (the token needs no second factor; the account
   never signs in on the web).
2. **ODK Collect** sends Basic or Digest credentials and no bearer token, so the token goes in the
   server URL: in *Settings → Project management → Server*, set the URL to
   `https://HOST/api/v1/openrosa/key/TOKEN` and leave username and password empty. Collect sends
   each finalised form to `…/submission` (a `HEAD` first, answered `204` with
   `X-OpenRosa-Accept-Content-Length`), and shows the answer: `201` with the case code, `202` for a
   resend, `400` with every problem. Load the form itself from your ODK Central or Kobo project, or
   convert `htcds_xlsform.xlsx` with pyxform and copy it to the device. The token in the URL is a
   secret like a password: it shows in the device's settings and in web server logs, so give it to
   this one service account, and revoke it when a phone is lost.
3. Scripts and gateways send `Authorization: Bearer TOKEN` to `/api/v1/openrosa/submission`.
4. **KoboToolbox**: in the project's *Settings → REST Services*, register
   `https://HOST/api/v1/htcds/kobo` as a JSON service with the custom header
   `Authorization: Bearer TOKEN`; each submission is then posted as it arrives. Or post a download
   of the project's data (`…/assets/UID/data.json`, `{"results": [...]}`): every submission in it
   is checked, and opened all or none; those already received are listed, not opened again.

A submission with `con_Consent` = `FALSE` is refused: Aftercare opens no case for someone who did
not agree to her data being kept. A minor's case needs a guardian, which the XLSForm does not ask:
such a submission is refused with that reason, to be entered by hand. Consent captured in the field
is recorded as verbal (witnessed by the field worker), consent in an imported file as written.
"""


def _values(picklist: Picklist | None, item: Field) -> str:
    if picklist is None:
        return {"country": "ISO 3166 alpha-2", "date": "YYYY-MM-DD", "year": "a year", "languages": "ISO 639 codes"}.get(item.kind, "")
    if all(code == value for code, value in picklist.pairs):
        return "Aftercare's codes: " + ", ".join(f"`{code}`" for code, _v in picklist.pairs)
    written = "; ".join(f"`{code}` → `{value}`" for code, value in picklist.pairs)
    read = "; ".join(f"`{value}` → `{code}`" for code, value in picklist.also_read)
    return f"{written}" + (f"<br>also read: {read}" if read else "")


def _table(fields: tuple[Field, ...]) -> list[str]:
    lines = ["| HTCDS field | label | Aftercare | direction | values (Aftercare → HTCDS) | notes |", "|---|---|---|---|---|---|"]
    for item in fields:
        section = f" (needs `{item.section}`)" if item.section else ""
        aliases = "<br>also " + ", ".join(f"`{a}`" for a in item.aliases) if item.aliases else ""
        lines.append(
            f"| `{item.name}`{aliases} | {item.label} | {item.aftercare}{section} | {DIRECTION[item.direction]} "
            f"| {_values(item.picklist, item)} | {item.note} |"
        )
    return lines


def render() -> str:
    with translation.override("en"):
        parts = [INTRO]
        for title, fields, blurb in (
            ("Cases", mapping.CASE_FIELDS, "One row per case (`org_`, `prs_`, `vic_`, `cas_`, `con_`, then `aft_`)."),
            ("SupportPlan", mapping.SUPPORT_PLAN_FIELDS, "The support plan (`spl_`): one row per objective, Aftercare's care-plan goals."),
            ("TraffickingEvents", mapping.EVENT_FIELDS, "Historic trafficking events (`hte_`): one row per event."),
        ):
            parts += [f"## Sheet `{title}`", "", blurb, "", *_table(fields), ""]
        parts += ["## HTCDS fields Aftercare does not hold", "",
                  "An import passes over these columns and lists them; an export leaves them out.", "",
                  "| HTCDS field | label | why |", "|---|---|---|"]
        parts += [f"| `{item.name}` | {item.label} | {item.why} |" for item in mapping.NOT_HELD]
        parts += ["", "Aftercare holds more than HTCDS has fields for: needs assessments, services delivered, "
                  "re-trafficking risk, the court case, case notes and documents stay out of the exchange.", ""]
    return "\n".join(parts)


def write(path: Path = DOC_PATH) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path

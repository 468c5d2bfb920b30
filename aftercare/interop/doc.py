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

<!-- Written by `aftercare htcds-doc` from aftercare/interop/mapping.py:
     edit the mapping, not this file. -->

IOM's [Human Trafficking Case Data Standard](https://github.com/UNMigration/HTCDS)
(HTCDS, CC BY 4.0; its use implies no endorsement by IOM) is how case data travels between case
management systems, helplines and spreadsheets. Aftercare speaks it four ways:

- **Export** (`/interop/htcds/`, `GET /api/v1/exports/htcds.xlsx` or `.json`, optional `?ids=ID,ID`;
  supervisors and organisation admins): the cases the caller may see **whose survivor consented to
  `referral`**, her case being shared with other organisations, which is what leaving Aftercare in
  a case data standard is. Consent to anonymised reporting is not enough: the export is not
  anonymised (the CTDC export is). Of each case only what the caller's organisation sees
  (`cases.access`): identifiers and trafficking events with `identity`, the support plan with
  `plan`, consents with `consent`, referral history with `history`. Every exported case is an
  `export` event in its audit trail. The response header `X-Aftercare-Left-Out` counts the
  visible cases left out for want of consent.
- **Import** (`/interop/htcds/`, `POST /api/v1/imports/htcds[?commit=true]`, multipart `file`;
  case workers and supervisors): a dry run reports every value that cannot be mapped as
  `line N, column "X": message`, and lists what will not come back: the HTCDS columns Aftercare
  does not hold (`not_held`), columns without a header or not of the standard (`passed_over`),
  and every value read as another of the standard's (`folded`, e.g.
  `vic_TypeOfExploitation: ChildLabour → ForcedLabour`); the commit opens every case or none,
  each through intake, then its status, consents, objectives and events through the operations a
  case worker uses. An exported workbook imported again gives back the same cases. IOM's own
  "single select with validation v2.0" template, filled in, imports as it is (the tests fill the
  copy vendored in `aftercare/interop/standard/`).
- **ODK Collect** (OpenRosa): the server URL is `https://HOST/api/v1/openrosa` with a username and
  password, or `https://HOST/api/v1/openrosa/key/TOKEN`. Collect lists the form at `…/formList`,
  downloads the XForm that pyxform builds from the standard's XLSForm (`htcds_xlsform.xlsx`), and
  sends each filled form to `…/submission`. **Kobo** (`POST /api/v1/htcds/kobo`, a submission, a
  list, or Kobo's JSON export) sends the same form's answers as JSON. Submissions become cases of
  the caller's organisation, the same way. A submission is remembered by its instance id: sent
  again, it opens no second case; edited and sent again (a new instance id naming the old one as
  `deprecatedID`), it updates the case it opened.

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
present. The label row is told by its content (most of its cells are the standard's labels), and
rows with nothing under a named column (the template's thousand pre-numbered empty rows) are not
cases. Values are compared without regard to case, spaces or punctuation; the template's labels
(`Forced labour`, `Agriculture, forestry and fishing`) and an XLSForm's space-separated multiple
choices are read too. Columns of HTCDS fields Aftercare does not hold, columns without a header
and columns that are not the standard's are passed over and listed, never refused. Dates may be
date cells, `YYYY-MM-DD`, or a date and time (`1999-04-17 00:00:00`, as a date cell saved as CSV
reads). In the workbook Aftercare writes, dates are date cells, and no cell is a formula: text
beginning with `=`, `+`, `-` or `@` is written as text (`aftercare/core/spreadsheets.py`, the one
writer of every workbook Aftercare hands out).

A workbook is checked before it is unpacked: at most 5 MB, 40 MB unpacked (8 MB of shared
strings, the part openpyxl holds in memory), 20,000 rows read empty ones included, 5,000 cases,
100 columns and 32,767 characters a cell (Excel's own limit); it is then read in openpyxl's
streaming (read-only) mode. Anything beyond is refused at once, with a reason.

Columns named `aft_` are Aftercare's own: they carry what HTCDS has no field for, so that an
export read back gives the same cases. Other systems may ignore them. Where several Aftercare
codes share one HTCDS value (intake and active are both `Active`; forced criminality and other
are both `Other`), `aft_Status` and `aft_ExploitationTypes` carry the exact codes, and an import
refuses them when they disagree with the HTCDS column.

1. Make an account in the organisation that will hold the cases, as a case worker (or use the
   field worker's own), and issue a token for each phone: `aftercare token USERNAME --hours 2160`.
   `aftercare token USERNAME --revoke` withdraws that account's tokens when a phone is lost.
2. **ODK Collect**: in *Settings → Project management → Server*, set the URL to
   `https://HOST/api/v1/openrosa`, the username to the account's, and the password to the token.
   Collect answers the server's HTTP Basic challenge with them (over HTTPS only: a plain-http URL
   is refused). A staff password is not taken there, since a phone cannot give its second factor;
   only an account exempt from two-factor sign-in (a device account, `aftercare user add --no-2fa`,
   which production mode refuses) may use its password. Digest is not offered: it would need the
   password kept in a form the server can replay, and Aftercare keeps only Argon2 hashes. A phone
   set up with a URL alone uses `https://HOST/api/v1/openrosa/key/TOKEN` and no username; that
   token shows in the device's settings and in web server logs.
   Under either URL, *Get blank form* reads `…/formList` (the OpenRosa Form List API: form id,
   version, `md5:` hash, download and manifest URLs) and downloads `…/forms/htcds_xlsform.xml`,
   the XForm pyxform builds from the vendored XLSForm once per server process. *Send finalized
   form* probes `…/submission` with `HEAD` (answered `204` with `X-OpenRosa-Accept-Content-Length`)
   and posts the form, chunked or not, and shows the answer: `201` with the case code, `202` for a
   resend, `400` with every problem.
3. Scripts and gateways send `Authorization: Bearer TOKEN` to `/api/v1/openrosa/submission`.
4. **KoboToolbox**: in the project's *Settings → REST Services*, register
   `https://HOST/api/v1/htcds/kobo` as a JSON service with the custom header
   `Authorization: Bearer TOKEN`; each submission is then posted as it arrives. Or post a download
   of the project's data (`…/assets/UID/data.json`, `{"results": [...]}`): every submission in it
   is checked, and opened all or none; those already received are listed, not opened again.

A submission with `con_Consent` = `FALSE`, or with no answer to it, is refused: Aftercare opens no
case for someone who did not agree to her data being kept. A minor's case needs a guardian, which
the XLSForm does not ask: such a submission is refused with that reason, to be entered by hand.
Consent captured in the field is recorded as verbal (witnessed by the field worker), consent in an
imported file as written.
"""


def _values(picklist: Picklist | None, item: Field) -> str:
    if picklist is None:
        return {
            "country": "ISO 3166 alpha-2",
            "date": "YYYY-MM-DD",
            "year": "a year",
            "languages": "ISO 639 codes",
        }.get(item.kind, "")
    if all(code == value for code, value in picklist.pairs):
        return "Aftercare's codes: " + ", ".join(f"`{code}`" for code, _v in picklist.pairs)
    written = "; ".join(f"`{code}` → `{value}`" for code, value in picklist.pairs)
    read = "; ".join(f"`{value}` → `{code}`" for code, value in picklist.also_read)
    return f"{written}" + (f"<br>also read: {read}" if read else "")


def _table(fields: tuple[Field, ...]) -> list[str]:
    lines = [
        "| HTCDS field | label | Aftercare | direction | values (Aftercare → HTCDS) | notes |",
        "|---|---|---|---|---|---|",
    ]
    for item in fields:
        section = f" (needs `{item.section}`)" if item.section else ""
        aliases = "<br>also " + ", ".join(f"`{a}`" for a in item.aliases) if item.aliases else ""
        lines.append(
            f"| `{item.name}`{aliases} | {item.label} | {item.aftercare}{section} | "
            f"{DIRECTION[item.direction]} | {_values(item.picklist, item)} | {item.note} |"
        )
    return lines


def render() -> str:
    with translation.override("en"):
        parts = [INTRO]
        for title, fields, blurb in (
            (
                "Cases",
                mapping.CASE_FIELDS,
                "One row per case (`org_`, `prs_`, `vic_`, `cas_`, `con_`, then `aft_`).",
            ),
            (
                "SupportPlan",
                mapping.SUPPORT_PLAN_FIELDS,
                "The support plan (`spl_`): one row per objective, Aftercare's care-plan goals.",
            ),
            (
                "TraffickingEvents",
                mapping.EVENT_FIELDS,
                "Historic trafficking events (`hte_`): one row per event.",
            ),
        ):
            parts += [f"## Sheet `{title}`", "", blurb, "", *_table(fields), ""]
        parts += [
            "## HTCDS fields Aftercare does not hold",
            "",
            "An import passes over these columns and lists them; an export leaves them out.",
            "",
            "| HTCDS field | label | why |",
            "|---|---|---|",
        ]
        parts += [
            f"| `{item.name}`"
            + ("<br>also " + ", ".join(f"`{a}`" for a in item.aliases) if item.aliases else "")
            + f" | {item.label} | {item.why} |"
            for item in mapping.NOT_HELD
        ]
        parts += [
            "",
            (
                "Aftercare holds more than HTCDS has fields for: needs "
                "assessments, services delivered, re-trafficking risk, the "
                "court case, case notes and documents stay out of the exchange."
            ),
            "",
        ]
    return "\n".join(parts)


def write(path: Path = DOC_PATH) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path

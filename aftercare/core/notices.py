"""What a notification says, stored as a key and parameters and worded in the reader's language.

A notification is written once and read later, by someone whose language may differ from the
language of the request or task that wrote it. So it is stored as a key of NOTICES and its
parameters (JSON), and put into words when shown or e-mailed. A parameter is plain text or a
number, or one of these, which are worded when read as well:

- ``{"choice": "<dotted path of a TextChoices>", "value": code}``: the label of a code;
- ``{"choices": path, "values": [codes]}``: the labels of codes, separated by commas;
- ``{"datetime": ISO 8601}``: a date and time in the reader's format and the site's time zone.

``params["_then"]`` lists further notices (key and params) that follow as more sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

NOTICES = {
    # Spreadsheet imports (aftercare.cases.tasks)
    "cases.import.expired": _(
        "A spreadsheet import did not start: the checked file had expired. Upload it again."
    ),
    "cases.import.not_allowed": _(
        "A spreadsheet import was refused: you may no longer open cases here. Nothing was imported."
    ),
    "cases.import.refused": _("A spreadsheet import was refused: %(why)s Nothing was imported."),
    "cases.import.stopped": _(
        "A spreadsheet import stopped at line %(line)s: "
        "nothing was imported. Check the file again to see why."
    ),
    "cases.import.done": ngettext_lazy(
        "Imported %(n)d case from a spreadsheet.", "Imported %(n)d cases from a spreadsheet.", "n"
    ),
    "cases.import.duplicates": ngettext_lazy(
        "%(n)d may already exist in the network: check it.",
        "%(n)d may already exist in the network: check them.",
        "n",
    ),
    # Assignment (aftercare.cases.assignment)
    "cases.assigned": _(
        "Case %(code)s is now yours: %(by)s handed it over "
        "to you. Read the handover note on the case page."
    ),
    # HTCDS imports (aftercare.interop.tasks)
    "htcds.import.expired": _(
        "An HTCDS import did not start: the checked file had expired. Upload it again."
    ),
    "htcds.import.not_allowed": _(
        "An HTCDS import was refused: you may no longer open cases here. Nothing was imported."
    ),
    "htcds.import.refused": _("An HTCDS import was refused: %(why)s Nothing was imported."),
    "htcds.import.stopped": _(
        "An HTCDS import stopped at line %(line)s: nothing "
        "was imported. Check the file again to see why."
    ),
    "htcds.import.done": ngettext_lazy(
        "Imported %(n)d case from an HTCDS file.", "Imported %(n)d cases from an HTCDS file.", "n"
    ),
    # Referrals (aftercare.referrals.services)
    "referral.new": _("New referral %(code)s for %(domains)s — answer by %(deadline)s"),
    "referral.status": _("Referral %(code)s to %(org)s: %(status)s"),
    "referral.reminder": _("Reminder: referral %(code)s needs an answer by %(deadline)s"),
    "referral.expired": _(
        "Referral %(code)s to %(org)s expired without an answer. Consider another organisation."
    ),
    # The survivor portal (aftercare.voice.portal)
    "portal.goal_added": _("The survivor of case %(code)s added a goal to their plan."),
    "portal.goal_comment": _("The survivor of case %(code)s commented on a goal in their plan."),
    "portal.consent_withdrawn": _(
        "The survivor of case %(code)s withdrew a consent in the portal."
    ),
    # Care settings (aftercare.caresettings.services)
    "caresettings.no_lawyer": _(
        "Case %(code)s: she has been in a closed setting for %(days)s days without "
        "access to a lawyer. Arrange legal aid and tell her of her right to appeal."
    ),
    # Members (aftercare.accounts.members)
    "members.invitation": _(
        "%(org)s invites you to Aftercare as %(role)s. Open the link within "
        "%(hours)s hours to set your password and your second factor. It works once."
    ),
    "members.approval_needed": _(
        "%(member)s as %(role)s awaits a supervisor's approval: this role sees cases."
    ),
    "members.approved": _("A supervisor approved %(member)s as %(role)s."),
    "members.rejected": _("A supervisor rejected %(member)s as %(role)s."),
    # Livelihoods (aftercare.livelihoods.placements)
    "livelihoods.fair_wage_flag": _(
        "Fair-wage flag on case %(code)s: %(status)s (%(role)s at %(employer)s)."
    ),
    "livelihoods.retention_due": ngettext_lazy(
        "Retention follow-up due for case %(code)s: "
        "still in the job at %(employer)s, %(n)s month on?",
        "Retention follow-up due for case %(code)s: still "
        "in the job at %(employer)s, %(n)s months on?",
        "n",
    ),
}


def choice(choices: type, value: str) -> dict[str, str]:
    """A parameter worded as the label of `value` among `choices` (a TextChoices class)."""
    return {"choice": f"{choices.__module__}.{choices.__qualname__}", "value": str(value)}


def choice_list(choices: type, values) -> dict[str, Any]:
    return {
        "choices": f"{choices.__module__}.{choices.__qualname__}",
        "values": [str(v) for v in values],
    }


def when(moment: datetime) -> dict[str, str]:
    """A parameter worded as a date and time in the reader's format."""
    return {"datetime": moment.isoformat()}


def _labels(path: str) -> dict[str, str]:
    if not path.startswith("aftercare."):
        return {}
    try:
        return dict(import_string(path).choices)
    except ImportError:
        return {}


def _word(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "choice" in value:
        return str(_labels(value["choice"]).get(value["value"], value["value"]))
    if "choices" in value:
        labels = _labels(value["choices"])
        return ", ".join(str(labels.get(code, code)) for code in value.get("values", []))
    if "datetime" in value:
        moment = datetime.fromisoformat(value["datetime"])
        return formats.date_format(
            timezone.localtime(moment) if timezone.is_aware(moment) else moment, "DATETIME_FORMAT"
        )
    return str(value)


@dataclass(frozen=True)
class Notice:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.key not in NOTICES:
            raise KeyError(f"unknown notice {self.key!r}: add it to aftercare.core.notices.NOTICES")

    def then(self, other: Notice) -> Notice:
        """This notice followed by `other` as a further sentence."""
        return Notice(
            self.key, {**self.params, "_then": [*self.params.get("_then", []), other.as_json()]}
        )

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": self.params}

    def text(self, language: str | None = None) -> str:
        """The words in `language`, or in the active language."""
        if language:
            with translation.override(language):
                return self.text()
        return words(self.key, self.params)


def words(key: str, params: dict[str, Any]) -> str:
    """A stored key and its parameters in the active language; an unknown key shows itself."""
    template = NOTICES.get(key)
    if template is None:
        return key
    worded = {name: _word(value) for name, value in params.items() if not name.startswith("_")}
    text = str(template % worded) if worded else str(template)
    more = [words(part.get("key", ""), part.get("params", {})) for part in params.get("_then", [])]
    return " ".join([text, *more])

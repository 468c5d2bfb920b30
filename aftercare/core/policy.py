"""The machinery of who may do what: the acting membership, and the questions asked of a table
that says which roles hold each action.

The table itself (the actions, and the roles that hold each) is accounts', since the roles are
(aftercare.accounts.policy); core knows only its shape, so no app below accounts needs to know
a role. Views, the API and the CLI ask `can()` or `require()` of accounts' policy.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext


@dataclass(frozen=True)
class Actor:
    """A signed-in user acting in one of their organisations, with that membership's role."""

    user: object
    organisation: object | None
    role: str | None  # a role of aftercare.accounts.roles
    clinical: bool = False  # the membership is of a clinician (counsellor, nurse, doctor)

    @property
    def organisation_id(self):
        return self.organisation.pk if self.organisation else None

    @property
    def is_anonymous(self) -> bool:
        return self.organisation is None or self.role is None


class Policy:
    """Answers from `allowed`, a table of the roles that hold each action in their active
    organisation."""

    def __init__(self, allowed: Mapping[Hashable, frozenset[str]]):
        self.allowed = allowed

    def can(self, actor: Actor | None, action: Hashable) -> bool:
        if actor is None or actor.is_anonymous:
            return False
        return actor.role in self.allowed[action]

    def require(self, actor: Actor | None, action: Hashable) -> None:
        """Raise PermissionDenied (HTTP 403) unless the actor may take the action."""
        if not self.can(actor, action):
            raise PermissionDenied(gettext("Your role in this organisation does not allow this."))

    def can_for_organisation(self, actor: Actor | None, action: Hashable, organisation) -> bool:
        """`can`, and only inside the actor's own organisation (its private details, its
        capacity)."""
        return self.can(actor, action) and actor.organisation_id == getattr(
            organisation, "pk", organisation
        )


def configured() -> Policy:
    """The project's policy (settings.AFTERCARE_POLICY: accounts' table of roles), for core's
    generic views (aftercare.core.resources, aftercare.core.sheet_import), which name the action
    a view needs but cannot know the roles."""
    return import_string(settings.AFTERCARE_POLICY)


def require(actor: Actor | None, action: Hashable) -> None:
    """`Policy.require` of the project's policy."""
    configured().require(actor, action)

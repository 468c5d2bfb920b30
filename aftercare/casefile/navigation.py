"""Navigation for the base layout, decided by the actor's role through the policy module.

One list, in the order the menu shows it: each entry names a page of the app that serves it
and the action that opens it, so the menu never offers what the role may not do."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.policy import Action, can
from aftercare.core.models import Notification

NAVIGATION = [
    ("core:dashboard", _("Dashboard"), None),
    ("cases:list", _("Cases"), Action.VIEW_CASES),
    ("referrals:list", _("Referrals"), Action.VIEW_REFERRALS),
    ("risk:alerts", _("Risk alerts"), Action.VIEW_RISK_ALERTS),
    ("livelihoods:overview", _("Livelihoods"), Action.VIEW_LIVELIHOODS),
    ("network:directory", _("Directory"), Action.VIEW_DIRECTORY),
    ("voice:duty_bearers", _("Duty bearers"), Action.VIEW_DUTY_BEARERS),
    ("prevention:home", _("Prevention"), Action.VIEW_PREVENTION),
    ("voice:performance", _("Performance"), Action.VIEW_AGGREGATE_REPORTS),
    ("reports:dashboard", _("Reports"), Action.VIEW_AGGREGATE_REPORTS),
    ("voice:portal", _("My plan"), Action.VIEW_OWN_PLAN),
    ("livelihoods:wage_standards", _("Wage standards"), Action.MANAGE_WAGE_STANDARDS),
    ("accounts:members", _("Members"), Action.MANAGE_MEMBERS),
    ("accounts:member_approvals", _("Member approvals"), Action.APPROVE_MEMBERS),
    ("audit:trail", _("Audit trail"), Action.VIEW_AUDIT),
]


def navigation(request):
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    if actor is None or user is None or not user.is_authenticated:
        return {}
    if user.needs_two_factor and not user.is_verified():
        return {}  # half signed in: no navigation until the second factor is passed
    items = [
        {"url": reverse(name), "label": label, "current": request.path.startswith(reverse(name))}
        for name, label, action in NAVIGATION
        if action is None or can(actor, action)
    ]
    memberships = request.user.active_membership_list()
    # Counted when a template shows it (base.html does; the survivor portal's layout does not).
    unread = SimpleLazyObject(Notification.objects.filter(user=user).unread().count)
    return {
        "nav_items": items,
        "actor": actor,
        "memberships": memberships,
        "unread_notifications": unread,
    }

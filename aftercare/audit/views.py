from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from aftercare.accounts.policy import Action, require
from aftercare.audit.models import AuditAction, AuditEvent


@login_required
def trail(request):
    """The active organisation's audit trail, for its admins and supervisors."""
    require(request.actor, Action.VIEW_AUDIT)
    events = AuditEvent.objects.visible_to(request.actor)
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"page": page, "actions": AuditAction.choices, "action": action})

"""Members on the web: the admin's list and actions, the supervisor's approvals, the invitee's link.

Thin views over aftercare.accounts.members, which checks who may do what and in which
organisation (403 for a role that may not, 404 for another organisation's member).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from aftercare.accounts import members
from aftercare.accounts.forms import AcceptInvitationForm, InviteForm, RoleForm
from aftercare.core.errors import DomainError


def _no_referrer(response):
    """A page whose address or content holds an invitation token: no browser sends it on as a
    Referer."""
    response["Referrer-Policy"] = "no-referrer"
    return response


def _rows(memberships) -> list[dict]:
    return [
        {"m": m, "state": members.state_of(m), "pending": members.pending_approval(m)}
        for m in memberships
    ]


@login_required
@never_cache
def member_list(request):
    """The organisation's members with their role, state, second factor and last sign-in."""
    rows = _rows(members.members_of(request.actor))
    return render(
        request,
        "accounts/members.html",
        {
            "rows": rows,
            "invite_form": InviteForm(),
            "role_choices": RoleForm.base_fields["role"].choices,
            "admin_id": request.user.pk,
        },
    )


@login_required
@never_cache
@sensitive_variables("sent")
def member_invite(request):
    """Invite someone: the one-time link is shown on this answer only, never stored or redirected
    to."""
    members.members_of(request.actor)  # 403 before the form for a role that may not invite
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = members.invite(request.actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _no_referrer(render(request, "accounts/member_invited.html", {"sent": sent}))
    return render(
        request, "accounts/member_invite.html", {"form": form}, status=400 if form.errors else 200
    )


def _act(request, operation, done: str, *args):
    try:
        operation(request.actor, *args)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accounts:members")


@login_required
@require_POST
def member_role(request, membership_id):
    form = RoleForm(request.POST)
    members.member_of(request.actor, membership_id)  # 403/404 before the form is read
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("accounts:members")
    try:
        change = members.change_role(request.actor, membership_id, form.cleaned_data["role"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if change.approval is not None:
            messages.warning(
                request,
                _("%(user)s will be %(role)s once a supervisor approves it.")
                % {
                    "user": change.membership.user.username,
                    "role": change.approval.get_role_display(),
                },
            )
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s.")
                % {
                    "user": change.membership.user.username,
                    "role": change.membership.get_role_display(),
                },
            )
    return redirect("accounts:members")


@login_required
@require_POST
def member_reset_second_factor(request, membership_id):
    return _act(
        request,
        members.reset_second_factor,
        _("Second factor reset. They set it up again at their next sign-in."),
        membership_id,
    )


@login_required
@require_POST
def member_deactivate(request, membership_id):
    return _act(
        request,
        members.deactivate,
        _("Member deactivated: signed out everywhere, API tokens revoked."),
        membership_id,
    )


@login_required
@never_cache
def member_approvals(request):
    """A supervisor's list of roles that grant case access and wait for approval."""
    pending = list(members.approvals_for(request.actor))
    return render(
        request, "accounts/member_approvals.html", {"pending": pending, "me": request.user.pk}
    )


@login_required
@require_POST
def member_decide(request, approval_id, decision):
    from django.http import Http404

    if decision not in ("approve", "reject"):
        raise Http404
    try:
        approval = members.decide(request.actor, approval_id, decision == "approve")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Approved.") if approval.status == "approved" else _("Rejected.")
        )
    return redirect("accounts:member_approvals")


@never_cache
@sensitive_post_parameters("password", "password_again")
@sensitive_variables("token")
def invitation(request, token):
    """The invitee sets a password here, is signed in, and goes on to enrol their second factor."""
    found = members.invitation_for(token)
    if found is None:
        return _no_referrer(render(request, "accounts/invitation_invalid.html", status=404))
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = members.accept_invitation(token, form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password is set. Now set up your second factor."))
            return redirect("accounts:two_factor_enrol")
    return _no_referrer(
        render(
            request,
            "accounts/invitation.html",
            {
                "form": form,
                "invitation": found,
                "username": found.membership.user.username,
                "organisation": found.membership.organisation.name,
            },
            status=400 if form.errors else 200,
        )
    )

"""Sign-in with a password and a second factor, enrolment, recovery codes, switching
organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from aftercare.accounts import services, two_factor
from aftercare.accounts.forms import CodeForm, EnrolForm, SignInForm
from aftercare.accounts.middleware import ACTIVE_ORG_SESSION_KEY
from aftercare.accounts.policy import Action, require
from aftercare.accounts.services import actor_for
from aftercare.accounts.signin import check_password
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.keyset import keyset_page

NEXT_SESSION_KEY = "aftercare_next"
AUDIT_PAGE_SIZE = 50


def _safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@never_cache
@sensitive_post_parameters("password")
def sign_in(request):
    if request.user.is_authenticated and (
        not request.user.needs_two_factor or request.user.is_verified()
    ):
        return redirect("core:dashboard")
    form = SignInForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        check = check_password(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if check.locked_out:
            return render(request, "accounts/locked_out.html", status=429)
        if check.user is None:
            error = _("The username or password is not right.")
        else:
            login(request, check.user)
            request.session[NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next"))
            if check.user.needs_two_factor:
                return redirect("accounts:two_factor")
            record(request.actor, AuditAction.SIGN_IN, check.user, label=check.user.username)
            return redirect(request.session.pop(NEXT_SESSION_KEY, None) or "core:dashboard")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "error": error},
        status=401 if error else 200,
    )


@never_cache
@login_required
def two_factor_verify(request):
    user = request.user
    if user.is_verified() or not user.needs_two_factor:
        return redirect("core:dashboard")
    if not two_factor.has_confirmed_device(user):
        return redirect("accounts:two_factor_enrol")
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is None:
            error = _(
                "That code is not right, or was already used. Wait for a new code and try again."
            )
        else:
            otp_login(request, device)
            record(
                request.actor,
                AuditAction.SIGN_IN,
                user,
                label=user.username,
                reason=f"second factor: {device.name}",
            )
            if device.name == "recovery":
                left = two_factor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(n)s code is left.",
                        "You signed in with a recovery code. %(n)s codes are left.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(request.session.pop(NEXT_SESSION_KEY, None) or "core:dashboard")
    return render(request, "accounts/two_factor.html", {"form": form, "error": error})


@never_cache
@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: scan the QR code, enter a code, note the recovery codes."""
    user = request.user
    if two_factor.has_confirmed_device(user) and not user.is_verified():
        return redirect("accounts:two_factor")
    device = two_factor.start_enrolment(user)
    form = EnrolForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is None:
            error = _(
                "That code is not right. Check the time on your phone and try the newest code."
            )
        else:
            otp_login(request, device)
            record(
                request.actor,
                AuditAction.TWO_FACTOR,
                user,
                label=user.username,
                reason="authenticator enrolled",
            )
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "error": error,
            "qr": two_factor.qr_svg(device),
            "secret": _grouped_secret(device),
        },
    )


def _grouped_secret(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_POST
def new_recovery_codes(request):
    codes = two_factor.new_recovery_codes(request.user)
    record(
        request.actor,
        AuditAction.TWO_FACTOR,
        request.user,
        label=request.user.username,
        reason="recovery codes replaced",
    )
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def security(request):
    return render(
        request,
        "accounts/security.html",
        {
            "recovery_left": two_factor.remaining_recovery_codes(request.user),
            "has_device": two_factor.has_confirmed_device(request.user),
        },
    )


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        record(request.actor, AuditAction.SIGN_OUT, request.user, label=request.user.username)
    logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def switch_organisation(request):
    """Act in another of the user's organisations; one they do not belong to is refused."""
    key = request.POST.get("organisation", "")
    actor = actor_for(request.user, key)
    if actor.organisation is None:
        messages.error(request, _("You are not a member of that organisation."))
    else:
        request.session[ACTIVE_ORG_SESSION_KEY] = str(actor.organisation.pk)
        messages.success(
            request, _("You are now working in %(org)s.") % {"org": actor.organisation.name}
        )
    return redirect(_safe_next(request, request.POST.get("next")) or "core:dashboard")


@login_required
def audit_trail(request):
    """The active organisation's audit trail, for its admins and supervisors: newest first, paged
    from the last event seen (core.keyset), never counted, however long the trail."""
    require(request.actor, Action.VIEW_AUDIT)
    events = services.audit_trail(request.actor)
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    page = keyset_page(
        events,
        older=request.GET.get("older", ""),
        newer=request.GET.get("newer", ""),
        size=AUDIT_PAGE_SIZE,
    )
    return render(
        request,
        "audit/trail.html",
        {"page": page, "actions": AuditAction.choices, "action": action},
    )

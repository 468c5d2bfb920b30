"""The survivor portal (/me/) and the public feedback page (/feedback/).

Built for a shared, cheap phone on a slow connection: one small stylesheet and one small
script, no framework; nothing cached by the browser; a short idle timeout per session;
and a quick-exit button on every page.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from aftercare.accounts.signin import check_password
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError
from aftercare.voice import limits, portal, portal_accounts, ratings
from aftercare.voice.forms import (
    ChangePinForm,
    CodeRatingForm,
    CommentForm,
    GoalForm,
    LanguageForm,
    PortalRatingForm,
    PortalSignInForm,
)
from aftercare.voice.models import Channel


def _idle_seconds() -> int:
    return settings.AFTERCARE_SURVIVOR_IDLE_MINUTES * 60


def _activate_language(request, user) -> None:
    language = getattr(user, "preferred_language", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def survivor_portal(view):
    """Only a signed-in survivor with an active account, on their own case; short sessions,
    nothing kept in the browser's cache."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("voice:sign_in")
        account = portal_accounts.active_account(request.user)
        if account is None:
            raise PermissionDenied
        # Set once (sign-in sets it): setting it again on every page would write the session on
        # every page; SlidingSessionMiddleware moves its expiry on, at most once a minute.
        if request.session.get_expiry_age() != _idle_seconds():
            request.session.set_expiry(_idle_seconds())
        _activate_language(request, request.user)
        return view(request, account, *args, **kwargs)

    return wrapper


def _errors_to_form(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# Signing in and out -----------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("secret")
def sign_in(request):
    if portal_accounts.active_account(request.user) is not None:
        return redirect("voice:portal")
    form = PortalSignInForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        if portal_accounts.paused_for_the_day(form.cleaned_data["identifier"]):
            return render(request, "voice/portal/locked_out.html", status=429)
        check = check_password(
            request, form.cleaned_data["identifier"], form.cleaned_data["secret"]
        )
        if check.locked_out:
            return render(request, "voice/portal/locked_out.html", status=429)
        if check.user is None or portal_accounts.active_account(check.user) is None:
            error = _("The name, phone number or PIN is not right.")
        else:
            login(request, check.user)
            request.session.set_expiry(_idle_seconds())
            record(
                request.actor,
                AuditAction.SIGN_IN,
                check.user,
                label=check.user.username,
                reason="survivor portal",
            )
            return redirect("voice:portal")
    return render(
        request,
        "voice/portal/sign_in.html",
        {"form": form, "error": error},
        status=401 if error else 200,
    )


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        record(
            request.actor,
            AuditAction.SIGN_OUT,
            request.user,
            label=request.user.username,
            reason="survivor portal",
        )
    logout(request)
    return redirect("voice:sign_in")


@csrf_exempt  # it only ends the session; the script calls it with navigator.sendBeacon
@never_cache
@require_http_methods(["GET", "POST"])
def quick_exit(request):
    """End the session and leave for a neutral site; without JavaScript the link lands here."""
    if request.user.is_authenticated:
        record(
            request.actor,
            AuditAction.SIGN_OUT,
            request.user,
            label=request.user.username,
            reason="quick exit",
        )
        logout(request)
    response = (
        HttpResponse(status=204)
        if request.method == "POST"
        else redirect(settings.AFTERCARE_QUICK_EXIT_URL)
    )
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


# The plan -------------------------------------------------------------------------------------


@survivor_portal
def home(request, account):
    actor = request.actor
    goal_form = GoalForm(request.POST or None)
    if request.method == "POST" and goal_form.is_valid():
        try:
            portal.add_own_goal(actor, account, **goal_form.cleaned_data)
        except DomainError as exc:
            _errors_to_form(goal_form, exc)
        else:
            messages.success(request, _("Your goal is in your plan. Your case worker will see it."))
            return redirect("voice:portal")
    return render(
        request,
        "voice/portal/home.html",
        {
            "goals": portal.plan(actor, account),
            "goal_form": goal_form,
            "comment_form": CommentForm(),
            "here": "plan",
        },
        status=400 if goal_form.errors else 200,
    )


@require_POST  # first, so a GET is refused (405) whoever asks
@survivor_portal
def comment(request, account, goal_id):
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            portal.comment_on_goal(request.actor, account, goal_id, form.cleaned_data["text"])
            messages.success(request, _("Your comment was added."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Write your comment first."))
    return redirect("voice:portal")


# Consent --------------------------------------------------------------------------------------


@survivor_portal
def consents(request, account):
    return render(
        request,
        "voice/portal/consents.html",
        {"rows": portal.consents(request.actor, account), "here": "consent"},
    )


@require_POST  # first, so a GET is refused (405) whoever asks
@survivor_portal
def withdraw(request, account):
    purpose = request.POST.get("purpose", "")
    organisation_id = request.POST.get("organisation") or None
    confirmed = request.POST.get("confirmed") == "yes"
    try:
        portal.withdraw_consent(
            request.actor, account, purpose, organisation_id, confirmed=confirmed
        )
    except portal.ConfirmationNeeded as exc:
        return render(
            request,
            "voice/portal/confirm_withdraw.html",
            {
                "message": exc.message,
                "purpose": purpose,
                "organisation": organisation_id or "",
                "here": "consent",
            },
            status=409,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("voice:consents")
    if portal_accounts.active_account(request.user) is None:  # the last consent: the case is closed
        logout(request)
        return render(request, "voice/portal/closed.html")
    messages.success(request, _("Done. Your consent is withdrawn from now on."))
    return redirect("voice:consents")


# Referrals, who holds the data --------------------------------------------------------------------


@survivor_portal
def referrals(request, account):
    return render(
        request,
        "voice/portal/referrals.html",
        {"referrals": portal.referrals(request.actor, account), "here": "referrals"},
    )


@survivor_portal
def data(request, account):
    return render(
        request,
        "voice/portal/data.html",
        {"holders": portal.data_holders(request.actor, account), "here": "data"},
    )


# Rating ------------------------------------------------------------------------------------------


@survivor_portal
def rate_list(request, account):
    recent = list(ratings.services_to_rate(account.survivor)[:30])
    subjects = ratings.subjects_to_rate(account.survivor, recent)
    services = [
        {
            "service": service,
            "open": len(subjects[service.pk][1]),
            "total": len(subjects[service.pk][0]),
        }
        for service in recent
    ]
    return render(request, "voice/portal/rate_list.html", {"services": services, "here": "rate"})


@survivor_portal
def rate(request, account, service_id):
    service = account.survivor.services.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        raise Http404
    _everyone, subjects = ratings.subjects_to_rate(account.survivor, [service])[service.pk]
    form = PortalRatingForm(request.POST or None, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rate_as_survivor(
                request.actor,
                account,
                service,
                form.cleaned_data["subject"],
                form.scores(),
                form.cleaned_data["comment"],
                channel=Channel.PORTAL,
            )
        except ratings.RatingInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Thank you. The people you rated will not know it was you.")
            )
            return redirect("voice:rate_list")
    return render(
        request,
        "voice/portal/rate.html",
        {"service": service, "form": form, "subjects": subjects, "here": "rate"},
        status=400 if form.errors else 200,
    )


# Settings: PIN and language ---------------------------------------------------------------------


@survivor_portal
def change_pin(request, account):
    form = ChangePinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_accounts.change_own_pin(
                account, form.cleaned_data["current"], form.cleaned_data["new"]
            )
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your new PIN is saved."))
            return redirect("voice:portal")
    return render(
        request,
        "voice/portal/pin.html",
        {"form": form, "here": "pin"},
        status=400 if form.errors else 200,
    )


@require_POST
def language(request):
    """Choose the language: remembered in a cookie, and on the account of a signed-in survivor."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = "/me/"
    response = redirect(target)
    if form.is_valid():
        chosen = form.cleaned_data["language"]
        if portal_accounts.active_account(request.user) is not None:
            portal_accounts.remember_language(request.user, chosen)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# The public feedback page
# ---------------------------------------------------------------------------


@never_cache
def feedback(request):
    """Rate with a feedback code; no account needed."""
    form = CodeRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = limits.client_key("web", request.META.get("REMOTE_ADDR", "") or "unknown")
        try:
            ratings.rate_with_code(
                form.cleaned_data["code"],
                form.scores(),
                form.cleaned_data["comment"],
                channel=Channel.CODE,
                client=client,
            )
        except ratings.RatingInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except limits.RateLimited as exc:
            return render(
                request,
                "voice/portal/feedback.html",
                {"form": form, "error": exc.message},
                status=429,
            )
        except DomainError as exc:
            _errors_to_form(form, exc)
        else:
            return render(request, "voice/portal/feedback_thanks.html")
    return render(
        request, "voice/portal/feedback.html", {"form": form}, status=400 if form.errors else 200
    )

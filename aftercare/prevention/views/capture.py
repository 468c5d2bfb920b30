"""The installable field-capture app: the page, its service worker and manifest, and the two
JSON endpoints the page syncs through (session sign-in, CSRF token in a header).

The service worker is served by Django from /prevention/sw.js, so its default scope is
/prevention/, which covers the capture page; it is a template so that it names the static
files by their deployed (hashed) addresses, and its cache name changes when they do.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from aftercare.accounts.policy import Action, can, require
from aftercare.core.errors import DomainError
from aftercare.prevention import capture
from aftercare.prevention.access import regions_for
from aftercare.prevention.forms import cell_name
from aftercare.prevention.models import (
    AgeGroup,
    CaseStage,
    CommunityActivity,
    FollowUpOutcome,
    SchoolCase,
    Sex,
    SubmissionKind,
    Topic,
)
from aftercare.prevention.models.community import ActivityKind

STATIC_FILES = (
    "aftercare/aftercare.css",
    "aftercare/aftercare.js",
    "aftercare/vendor/htmx.min.js",
    "aftercare/favicon.svg",
    "prevention/prevention.css",
    "prevention/capture.js",
    "prevention/icon-192.png",
    "prevention/icon-512.png",
)
RECENT_ACTIVITIES = 60


def _strings() -> dict:
    """The words the page's script shows, translated here (the script holds no text)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: records are kept on this phone until you are back online."),
        "waiting": _("Waiting to send"),
        "sent": _("Sent"),
        "conflict": _("Conflict"),
        "refused": _("Refused"),
        "sending": _("Sending…"),
        "nothing": _("Nothing waiting to send."),
        "signIn": _("Sign in again to send the records waiting on this phone."),
        "otherUser": _("Made by another user of this phone: it waits for them to sign in."),
        "saved": _("Saved on this phone."),
        "sendAnyway": _("Send mine over theirs"),
        "discard": _("Discard mine"),
        "remove": _("Remove"),
        "server": _("On the server"),
        "yours": _("Yours"),
        "cell": _("Sex and age group"),
        "total": _("Total"),
        "version": _("version"),
        "failed": _("Could not reach the server. The records stay on this phone."),
        "allSent": _("All records sent."),
        "people": _("people"),
        "men": _("men among adults"),
        "noStorage": _(
            "This browser cannot keep records offline (private mode?). Keep this page open until "
            "they are sent."
        ),
        "sexes": {str(value): str(label) for value, label in Sex.choices},
        "ages": {str(value): str(label) for value, label in AgeGroup.choices},
    }


@login_required
def page(request):
    actor = request.actor
    require(actor, Action.RECORD_PREVENTION)
    activities = (
        CommunityActivity.objects.visible_to(actor)
        .select_related("region")
        .order_by("-held_on")[:RECENT_ACTIVITIES]
    )
    cases = (
        SchoolCase.objects.visible_to(actor)
        .select_related("school")
        .filter(stage__in=[CaseStage.REPORTED, CaseStage.FOLLOWED_UP])
        .order_by("school__name", "reference")
    )
    grid = [
        (age_label, [(sex, sex_label, cell_name(sex, age)) for sex, sex_label in Sex.choices])
        for age, age_label in AgeGroup.choices
    ]
    response = render(
        request,
        "prevention/capture.html",
        {
            "activities": activities,
            "cases": cases,
            "grid": grid,
            "regions": regions_for(actor.organisation),
            "topics": Topic.choices,
            "kinds": ActivityKind.choices,
            "outcomes": FollowUpOutcome.choices,
            "strings": _strings(),
            "form_keys": {kind: uuid.uuid4() for kind in SubmissionKind.values},
            "sexes": Sex.values,
            "ages": AgeGroup.values,
        },
    )
    response["Cache-Control"] = (
        "no-store"  # kept by the service worker only, never by the HTTP cache
    )
    return response


def _cache_version() -> str:
    """A hash of the files the worker keeps and of its own template: a new one installs a new
    worker, which fetches them afresh."""
    digest = hashlib.sha256()
    for name in STATIC_FILES:
        digest.update(static(name).encode())
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    digest.update(Path(get_template("prevention/sw.js").origin.name).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    body = render_to_string(
        "prevention/sw.js",
        {
            "version": _cache_version(),
            "page": reverse("prevention:capture"),
            "files": json.dumps(
                [static(name) for name in STATIC_FILES] + [reverse("prevention:manifest")]
            ),
            "network_only": json.dumps(
                [reverse("prevention:capture_status"), reverse("prevention:capture_submit")]
            ),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/prevention/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Aftercare field capture"),
        "short_name": _("Field capture"),
        "description": _(
            "Record dialogues' attendance and school follow-ups with or without signal."
        ),
        "start_url": reverse("prevention:capture"),
        "scope": "/prevention/",
        "display": "standalone",
        "background_color": "#f5f7f8",
        "theme_color": "#0f5e5a",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("prevention/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("prevention/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("aftercare/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@never_cache
@require_GET
def status(request):
    """Who is signed in, in which organisation, with a fresh CSRF token: the page asks before
    it sends, so records made by one user are never sent under another's session."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"signed_in": False, "sign_in_url": reverse("accounts:login")})
    actor = request.actor
    return JsonResponse(
        {
            "signed_in": True,
            "user": user.username,
            "organisation": str(actor.organisation_id or ""),
            "may_record": can(actor, Action.RECORD_PREVENTION),
            "csrf": get_token(request),
        }
    )


def _json_answer(result: capture.Answer) -> JsonResponse:
    response = JsonResponse(result.body, status=result.status_code)
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@never_cache
@require_POST
def submit(request):
    """One record from the page's queue, as JSON `{key, kind, data}`; see capture.submit."""
    if not request.user.is_authenticated:
        return JsonResponse({"errors": {"non_field_errors": [_("Sign in again.")]}}, status=401)
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse(
            {"errors": {"non_field_errors": [_("The request is not JSON.")]}}, status=400
        )
    if not isinstance(body, dict):
        body = {}
    try:
        result = capture.submit(
            request.actor, body.get("key"), body.get("kind", ""), body.get("data")
        )
    except DomainError as exc:
        return JsonResponse(
            {"errors": {exc.field or "non_field_errors": [exc.message]}, "code": exc.code},
            status=exc.status_code,
        )
    return _json_answer(result)


@login_required
@require_POST
def submit_form(request, kind: str):
    """The same, from the page's forms without JavaScript: the server made the key when it
    drew the form, so a double-tapped button still counts once."""
    if kind not in SubmissionKind.values:
        raise Http404
    post = request.POST
    counts = {
        sex: {age: post.get(cell_name(sex, age), "") for age in AgeGroup.values}
        for sex in Sex.values
    }
    if kind == "attendance":
        activity = post.get("activity", "")
        data = {
            "activity": activity,
            "version": post.get(f"version-{activity}"),
            "attendance": counts,
        }
    elif kind == "activity":
        data = {
            "kind": post.get("kind"),
            "held_on": post.get("held_on"),
            "region": post.get("region"),
            "topics": post.getlist("topics"),
            "venue": post.get("venue", ""),
            "facilitators": post.get("facilitators", ""),
            "attendance": counts,
        }
    else:
        data = {
            "case": post.get("case"),
            "followed_on": post.get("followed_on"),
            "outcome": post.get("outcome"),
            "note": post.get("note", ""),
        }
    try:
        result = capture.submit(request.actor, post.get("key"), kind, data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        level = messages.success if result.body["outcome"] == "applied" else messages.error
        level(request, result.body.get("message", ""))
    return redirect("prevention:capture")

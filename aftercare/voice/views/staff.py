"""Staff pages of survivor voice: a case's portal account and feedback codes, the duty-bearer
registry, provider performance (aggregate only), and the coordinator's moderation."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts.models import OrganisationKind
from aftercare.accounts.policy import Action, can, require
from aftercare.cases.access import CaseAccess, Section, access_case
from aftercare.core.charts import scale_axis
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.network.models import Region
from aftercare.voice import integrity, moderation, portal_accounts, ratings, registry, stats
from aftercare.voice import rating_charts as charts
from aftercare.voice.forms import (
    DutyBearerFilterForm,
    DutyBearerForm,
    FlagReviewForm,
    HighlightForm,
    IssueCodeForm,
    LinkAccountForm,
    ModerationForm,
    ResetPinForm,
)
from aftercare.voice.models import DIMENSIONS, DutyBearerKind, FlagStatus, GoalComment, RatingFlag

# A case: portal account and feedback codes -------------------------------------------------------


def _case_context(request, case: CaseAccess, **extra) -> dict:
    actor, survivor = request.actor, case.survivor
    owner = case.is_owner
    manage = can(actor, Action.MANAGE_PORTAL_ACCOUNTS) and owner and not survivor.anonymised_at
    account = portal_accounts.get_account(actor, survivor) if manage else None
    issue = can(actor, Action.ISSUE_FEEDBACK_CODE) and not survivor.anonymised_at
    shown = (
        [
            s
            for s in survivor.services.select_related("organisation")[:20]
            if actor.organisation_id in (survivor.organisation_id, s.organisation_id)
        ]
        if issue
        else []
    )
    subjects = ratings.subjects_for_services(shown)  # two queries for them all, not two each
    services = [
        {"service": s, "form": IssueCodeForm(subjects=subjects[s.pk], prefix=f"s{s.pk.hex[:8]}")}
        for s in shown
    ]
    context = {
        "survivor": survivor,
        "owner": owner,
        "manage": manage,
        "account": account,
        "services": services,
        "link_form": LinkAccountForm(),
        "reset_form": ResetPinForm(),
        "comments": GoalComment.objects.filter(goal__survivor=survivor).select_related(
            "goal", "author"
        )[:50]
        if owner
        else [],
        "dimensions": DIMENSIONS,
    }
    context.update(extra)
    return context


@never_cache
@require_safe
@login_required
def case_voice(request, survivor_id):
    case = access_case(request.actor, survivor_id, reason="survivor voice")
    return render(request, "voice/case.html", _case_context(request, case))


@never_cache
@login_required
@require_POST
def link_account(request, survivor_id):
    case = access_case(request.actor, survivor_id)
    survivor = case.survivor
    form = LinkAccountForm(request.POST)
    if form.is_valid():
        try:
            account, pin = portal_accounts.link_account(
                request.actor, survivor, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(
                request,
                "voice/case.html",
                _case_context(
                    request,
                    case,
                    shown_pin=pin,
                    shown_username=account.user.username,
                ),
            )
    return render(
        request, "voice/case.html", _case_context(request, case, link_form=form), status=400
    )


@never_cache
@login_required
@require_POST
def reset_pin(request, survivor_id):
    case = access_case(request.actor, survivor_id)
    survivor = case.survivor
    form = ResetPinForm(request.POST)
    if form.is_valid():
        try:
            pin = portal_accounts.reset_pin(request.actor, survivor, form.cleaned_data["pin"])
        except DomainError as exc:
            form.add_error("pin" if exc.field == "pin" else None, exc.message)
        else:
            account = portal_accounts.get_account(request.actor, survivor)
            return render(
                request,
                "voice/case.html",
                _case_context(request, case, shown_pin=pin, shown_username=account.user.username),
            )
    return render(
        request, "voice/case.html", _case_context(request, case, reset_form=form), status=400
    )


@login_required
@require_POST
def close_account(request, survivor_id):
    case = access_case(request.actor, survivor_id)
    survivor = case.survivor
    account = portal_accounts.get_account(request.actor, survivor)
    if account is None:
        raise Http404
    portal_accounts.close_account(
        request.actor, account, reason=request.POST.get("reason", "")[:200]
    )
    messages.success(request, _("The survivor can no longer sign in to the portal."))
    return redirect("voice:case", survivor_id=survivor.pk)


@never_cache
@login_required
@require_POST
def issue_code(request, survivor_id, service_id):
    actor = request.actor
    case = access_case(actor, survivor_id, section=Section.SERVICES)
    survivor = case.survivor
    require(actor, Action.ISSUE_FEEDBACK_CODE)
    service = (
        survivor.services.select_related("organisation", "survivor").filter(pk=service_id).first()
    )
    if service is None:
        raise Http404
    form = IssueCodeForm(
        request.POST,
        subjects=ratings.subjects_for_service(service),
        prefix=f"s{service.pk.hex[:8]}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose who is rated."))
        return redirect("voice:case", survivor_id=survivor.pk)
    try:
        raw, code = ratings.issue_code(
            actor, service, form.cleaned_data["subject"], language=form.cleaned_data["language"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("voice:case", survivor_id=survivor.pk)
    return render(
        request,
        "voice/case.html",
        _case_context(request, case, shown_code=raw, shown_code_obj=code),
    )


# The duty-bearer registry
# -----------------------------------------------------------------------------


@login_required
def duty_bearers(request):
    actor = request.actor
    require(actor, Action.VIEW_DUTY_BEARERS)
    filters = DutyBearerFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    bearers = registry.visible_duty_bearers(
        actor, q=cleaned.get("q", ""), kind=cleaned.get("kind", "")
    )
    page = Paginator(bearers, 50).get_page(request.GET.get("page"))
    can_manage = can(actor, Action.MANAGE_DUTY_BEARERS)
    return render(
        request,
        "voice/duty_bearers.html",
        {
            "page": page,
            "filters": filters,
            "can_manage": can_manage,
            "editable": {b.pk for b in page.object_list if registry.can_edit(actor, b)},
            "form": DutyBearerForm(initial={"organisation": actor.organisation, "is_active": True})
            if can_manage
            else None,
        },
    )


FIELD_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


@never_cache
@login_required
def duty_bearer_options(request):
    """Registry entries matching what was typed, as radio options for the duty-bearer picker
    (htmx). Only what the caller may see of the registry; at most ten, the caller's own
    organisation's entries first."""
    actor = request.actor
    require(actor, Action.VIEW_DUTY_BEARERS)
    field = request.GET.get("field", "duty_bearer")
    field = field if FIELD_NAME.match(field) else "duty_bearer"
    typed = (request.GET.get(f"{field}_q") or request.GET.get("q") or "").strip()[:100]
    options = []
    if len(typed) >= 2:
        bearers = registry.visible_duty_bearers(actor, q=typed).order_by(
            Case(When(organisation_id=actor.organisation_id, then=0), default=1), "name"
        )
        options = list(bearers[:10])
    return render(
        request,
        "voice/widgets/_duty_bearer_options.html",
        {
            "field": field,
            "options": options,
            "searched": bool(typed),
            "chosen": None,
        },
    )


@login_required
def duty_bearer_add(request):
    actor = request.actor
    require(actor, Action.MANAGE_DUTY_BEARERS)
    form = DutyBearerForm(
        request.POST or None, initial={"organisation": actor.organisation, "is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            registry.add_duty_bearer(actor, {f: form.cleaned_data[f] for f in registry.FIELDS})
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Duty bearer added to the registry."))
            return redirect("voice:duty_bearers")
    return render(
        request, "voice/duty_bearer_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def duty_bearer_edit(request, duty_bearer_id):
    actor = request.actor
    require(actor, Action.MANAGE_DUTY_BEARERS)
    bearer = registry.get_duty_bearer(actor, duty_bearer_id)
    if not registry.can_edit(actor, bearer):
        raise Http404
    form = DutyBearerForm(
        request.POST or None, instance=bearer, initial={"version": bearer.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in registry.FIELDS}
        try:
            registry.update_duty_bearer(
                actor,
                registry.get_duty_bearer(actor, duty_bearer_id),
                data,
                form.cleaned_data["version"] or 0,
            )
        except StaleVersion as exc:
            messages.error(request, exc.message)
            return render(
                request, "voice/duty_bearer_form.html", {"form": form, "bearer": bearer}, status=409
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Duty bearer saved."))
            return redirect("voice:duty_bearers")
    return render(
        request,
        "voice/duty_bearer_form.html",
        {"form": form, "bearer": bearer},
        status=400 if form.errors else 200,
    )


# Provider performance (aggregate only)
# ---------------------------------------------------------------

KIND_CHOICES = [("organisation", _("Organisations")), ("duty_bearer", _("Duty bearers"))]


@login_required
def performance(request):
    actor = request.actor
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    subject_type = request.GET.get("type", "")
    subject_type = subject_type if subject_type in dict(KIND_CHOICES) else ""
    kind = request.GET.get("kind", "")
    region = (
        Region.objects.filter(code=request.GET.get("region", "")).first()
        if request.GET.get("region")
        else None
    )
    report = stats.performance(subject_type=subject_type, kind=kind, region=region)
    return render(
        request,
        "voice/performance.html",
        {
            "report": report,
            "rows": charts.league_rows(report),
            "axis": scale_axis(),
            "subject_type": subject_type,
            "kind": kind,
            "region": region,
            "types": KIND_CHOICES,
            "kinds": _kind_choices(subject_type),
            "regions": Region.objects.filter(level__in=["country", "province"]),
            "highlights": stats.highlights(report.subjects),
            "can_moderate": can(actor, Action.MODERATE_FEEDBACK),
            "open_flags": RatingFlag.objects.filter(status=FlagStatus.OPEN).count()
            if can(actor, Action.MODERATE_FEEDBACK)
            else 0,
        },
    )


def _kind_choices(subject_type: str):
    if subject_type == "organisation":
        return OrganisationKind.choices
    if subject_type == "duty_bearer":
        return DutyBearerKind.choices
    return [*OrganisationKind.choices, *DutyBearerKind.choices]


@login_required
def performance_subject(request, subject_id):
    actor = request.actor
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    report, subject = stats.subject_report(subject_id)
    if subject is None:
        raise Http404
    points = stats.trend(report.network, subject)
    return render(
        request,
        "voice/performance_subject.html",
        {
            "report": report,
            "subject": subject,
            "row": charts.row(subject, report.network),
            "axis": scale_axis(),
            "trend": [charts.point(batch, figures, report.network) for batch, figures in points],
            "quotes": stats.quotes(subject),
            "highlights": stats.highlights([subject]),
            "dimensions": charts.dimension_rows(subject),
            "can_moderate": can(actor, Action.MODERATE_FEEDBACK),
            "highlight_form": HighlightForm(),
        },
    )


# Moderation (the network coordinator)
# ------------------------------------------------------------------


@never_cache
@login_required
def moderation_queue(request):
    """The coordinator's queue: unusual patterns of ratings first (looked for afresh on each
    visit), then comments to screen."""
    actor = request.actor
    comments = moderation.pending_comments(actor)
    integrity.scan()
    flags = integrity.open_flags(actor)
    page = Paginator(comments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/moderation.html",
        {
            "page": page,
            "open_flags": flags.filter(status=FlagStatus.OPEN),
            "reviewed_flags": flags.exclude(status=FlagStatus.OPEN).order_by("-reviewed_at")[:20],
            "flag_form": FlagReviewForm(),
        },
    )


@login_required
@require_POST
def review_flag(request, flag_id):
    form = FlagReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to clear the flag or to withhold the quarter."))
        return redirect("voice:moderation")
    flag = integrity.review_flag(
        request.actor,
        flag_id,
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("The ratings will be published as usual.")
        if flag.status == FlagStatus.CLEARED
        else _("That quarter of this subject will not be published."),
    )
    return redirect("voice:moderation")


@login_required
@require_POST
def moderate(request, rating_id):
    form = ModerationForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    quote = form.cleaned_data["quote"] if form.is_valid() else ""
    try:
        moderation.moderate(request.actor, rating_id, approve=approve, quote=quote)
        messages.success(
            request,
            _("Comment approved for quoting.") if approve else _("Comment will not be quoted."),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("voice:moderation")


@login_required
@require_POST
def highlight(request, subject_id):
    actor = request.actor
    require(actor, Action.MODERATE_FEEDBACK)
    try:
        subject = ratings.resolve_subject(subject_id)
    except DomainError as exc:
        raise Http404 from exc
    form = HighlightForm(request.POST)
    if form.is_valid():
        moderation.highlight(actor, subject, form.cleaned_data["text"])
        messages.success(request, _("Good practice highlighted."))
    else:
        messages.error(request, _("Say what they do well."))
    return redirect(reverse("voice:performance_subject", args=[subject.pk]))


@login_required
@require_POST
def retire_highlight(request, practice_id):
    moderation.retire_highlight(request.actor, practice_id)
    messages.success(request, _("Highlight removed."))
    return redirect("voice:performance")

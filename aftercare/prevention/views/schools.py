"""Prevention pages: overview and indicators, schools and their cases, champions.
Thin: each view checks the role, fetches through `access`, and calls one service."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organisation
from aftercare.accounts.policy import Action, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core.errors import DomainError
from aftercare.prevention import champions, community, indicators, schools
from aftercare.prevention import indicator_charts as charts
from aftercare.prevention.access import get_visible
from aftercare.prevention.forms import (
    CaseForm,
    ChampionActivityForm,
    ChampionForm,
    FollowUpForm,
    PeriodForm,
    ReportForm,
    SchoolForm,
    SessionForm,
    TrainingForm,
)
from aftercare.prevention.models import (
    AgeGroup,
    Champion,
    CommunityActivity,
    PolicyLevel,
    School,
    SchoolCase,
)
from aftercare.prevention.reporting import indicator_scope, sees_network
from aftercare.prevention.views.pages import add_page, form_page, list_page


def _last_twelve_months() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=364), today


@login_required
def home(request):
    actor = request.actor
    require(actor, Action.VIEW_PREVENTION)
    start, end = _last_twelve_months()
    figures = indicators.figures(start, end, actor.organisation)
    return render(
        request,
        "prevention/home.html",
        {
            "figures": figures,
            "start": start,
            "end": end,
            "can_record": can(actor, Action.RECORD_PREVENTION),
            "can_report": can(actor, Action.VIEW_AGGREGATE_REPORTS),
        },
    )


@login_required
def indicator_page(request):
    actor = request.actor
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    start, end = _last_twelve_months()
    organisations = (
        Organisation.objects.filter(is_active=True).order_by("name")
        if sees_network(actor)
        else None
    )
    form = PeriodForm(request.GET or {"start": start, "end": end}, organisations=organisations)
    organisation = actor.organisation
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start:
            form.add_error("end", _("The period ends before it starts."))
        try:
            organisation = indicator_scope(actor, form.cleaned_data.get("organisation") or None)
        except LookupError as exc:
            raise Http404 from exc
    figures = indicators.figures(start, end, organisation) if start <= end else None
    activities = CommunityActivity.objects.of_organisation(organisation).filter(
        held_on__range=(start, end)
    )
    record(
        actor,
        AuditAction.READ,
        object_type="prevention.indicators",
        label=(
            f"{start.isoformat()}..{end.isoformat()} "
            f"{organisation.slug if organisation else 'network'}"
        ),
    )
    return render(
        request,
        "prevention/indicators.html",
        {
            "form": form,
            "figures": figures,
            "organisation": organisation,
            "start": start,
            "end": end,
            "men_chart": charts.share_of_men_chart(community.share_of_men_by_month(activities)),
            "age_rows": _age_rows(figures),
            "level_rows": _level_rows(figures),
            "reach_bars": charts.reach_bars(figures) if figures else None,
            "milestone_bars": charts.milestone_bars(figures) if figures else None,
        },
    )


def _age_rows(figures) -> list[tuple[str, int, int]]:
    if not figures:
        return []
    cells = figures["people_reached"]["by_sex_and_age"]
    return [(label, cells["female"][age], cells["male"][age]) for age, label in AgeGroup.choices]


def _level_rows(figures) -> list[tuple[str, int]]:
    if not figures:
        return []
    return [
        (label, figures["milestones"]["by_level"][level]) for level, label in PolicyLevel.choices
    ]


# Schools ---------------------------------------------------------------------------------


@login_required
def school_list(request):
    return list_page(
        request,
        "prevention/schools.html",
        lambda actor: {"schools": School.objects.visible_to(actor).select_related("region")},
        adds=Action.MANAGE_PREVENTION,
    )


@login_required
def school_add(request):
    return add_page(
        request,
        SchoolForm,
        schools.add_school,  # the form's fields: name, level, region, joined_on
        right=Action.MANAGE_PREVENTION,
        title=_("Add a school"),
        back=(reverse("prevention:schools"), _("Schools")),
        success=lambda school: (
            _("%(name)s joined the programme.") % {"name": school.name},
            reverse("prevention:school", args=[school.pk]),
        ),
    )


@login_required
def school_detail(request, school_id):
    actor = request.actor
    school = get_visible(actor, School, school_id, queryset=School.objects.select_related("region"))
    return render(
        request,
        "prevention/school.html",
        {
            "school": school,
            "sessions": school.sessions.all(),
            "cases": school.cases.select_related("referred_to").prefetch_related("follow_ups"),
            "can_record": can(actor, Action.RECORD_PREVENTION),
        },
    )


def _school_back(school) -> tuple[str, str]:
    return reverse("prevention:school", args=[school.pk]), school.name


@login_required
def session_add(request, school_id):
    actor = request.actor
    school = get_visible(actor, School, school_id, action=Action.RECORD_PREVENTION)
    return add_page(
        request,
        SessionForm,
        lambda actor, **data: schools.record_session(actor, school, **data),
        right=None,
        title=_("Record a capacity-building session"),
        back=_school_back(school),
        success=lambda s: (
            _("Session recorded: %(n)s teachers trained.") % {"n": s.teachers_total},
            reverse("prevention:school", args=[school.pk]),
        ),
    )


@login_required
def case_add(request, school_id):
    actor = request.actor
    school = get_visible(actor, School, school_id, action=Action.RECORD_PREVENTION)
    return add_page(
        request,
        CaseForm,
        lambda actor, **data: schools.identify_case(actor, school, **data),
        right=None,
        title=_("Record a case the school identified"),
        back=_school_back(school),
        lede=_("Use the school's own reference for the child. Never write a child's name here."),
        success=lambda c: (
            _("Case %(ref)s recorded. Record whom it was reported to next.") % {"ref": c.reference},
            reverse("prevention:school", args=[school.pk]),
        ),
    )


def _case_to_record(actor, case_id) -> SchoolCase:
    """A school case the actor may record on, with its school (the way back)."""
    return get_visible(
        actor,
        SchoolCase,
        case_id,
        action=Action.RECORD_PREVENTION,
        queryset=SchoolCase.objects.select_related("school"),
    )


@login_required
def case_report(request, case_id):
    actor = request.actor
    case = _case_to_record(actor, case_id)
    partners = Organisation.objects.filter(is_active=True).order_by("name")
    form = ReportForm(
        request.POST or None,
        initial={"version": case.version},
        organisation=actor.organisation,
        partners=partners,
    )
    return form_page(
        request,
        form,
        title=_("Report case %(ref)s") % {"ref": case.reference},
        back=_school_back(case.school),
        save=lambda data: schools.report_case(
            actor,
            case.pk,
            reported_on=data["reported_on"],
            reported_to=data["reported_to"],
            detail=data["reported_to_detail"],
            referred_to=data["referred_to"],
            version=data["version"],
        ),
        success=lambda c: (
            _("Reported %(days)s days after it was identified.") % {"days": c.days_to_report},
            reverse("prevention:school", args=[case.school_id]),
        ),
    )


@login_required
def case_follow_up(request, case_id):
    actor = request.actor
    case = _case_to_record(actor, case_id)
    return add_page(
        request,
        FollowUpForm,
        lambda actor, **data: schools.follow_up(actor, case.pk, **data),
        right=None,
        title=_("Follow up case %(ref)s") % {"ref": case.reference},
        back=_school_back(case.school),
        success=lambda f: (
            _("Follow-up recorded."),
            reverse("prevention:school", args=[case.school_id]),
        ),
    )


# Champions -------------------------------------------------------------------------------


@login_required
def champion_list(request):
    return list_page(
        request,
        "prevention/champions.html",
        lambda actor: {
            "champions": Champion.objects.visible_to(actor)
            .select_related("region")
            .prefetch_related("trainings")
        },
        adds=Action.RECORD_PREVENTION,
    )


@login_required
def champion_add(request):
    return add_page(
        request,
        ChampionForm,
        champions.add_champion,
        title=_("Add a champion"),
        back=(reverse("prevention:champions"), _("Champions")),
        success=lambda c: (
            _("%(name)s added.") % {"name": c.name},
            reverse("prevention:champion", args=[c.pk]),
        ),
    )


@login_required
def training_add(request):
    return add_page(
        request,
        TrainingForm,
        champions.record_training,
        choices=lambda actor: {"champions": Champion.objects.visible_to(actor)},
        title=_("Record a training of champions"),
        back=(reverse("prevention:champions"), _("Champions")),
        success=lambda t: (
            _("Training recorded: %(n)s champions trained.") % {"n": t.champions.count()},
            reverse("prevention:champions"),
        ),
    )


@login_required
def champion_detail(request, champion_id):
    actor = request.actor
    champion = get_visible(
        actor, Champion, champion_id, queryset=Champion.objects.select_related("region")
    )
    if request.method == "POST":
        if not can(actor, Action.RECORD_PREVENTION):
            raise PermissionDenied
        try:
            champion = champions.set_active(
                actor, champion.pk, request.POST.get("active") == "1", request.POST.get("version")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            champion.refresh_from_db()
        else:
            messages.success(
                request,
                _("%(name)s is now active.") % {"name": champion.name}
                if champion.is_active
                else _("%(name)s is now inactive.") % {"name": champion.name},
            )
    return render(
        request,
        "prevention/champion.html",
        {
            "champion": champion,
            "trainings": champion.trainings.all(),
            "activities": champion.activities.all(),
            "can_record": can(actor, Action.RECORD_PREVENTION),
        },
    )


@login_required
def champion_activity_add(request, champion_id):
    actor = request.actor
    champion = get_visible(actor, Champion, champion_id, action=Action.RECORD_PREVENTION)
    return add_page(
        request,
        ChampionActivityForm,
        lambda actor, **data: champions.record_activity(actor, champion, **data),
        right=None,
        title=_("Record what %(name)s did") % {"name": champion.name},
        back=(reverse("prevention:champion", args=[champion.pk]), champion.name),
        success=lambda a: (
            _("Activity recorded."),
            reverse("prevention:champion", args=[champion.pk]),
        ),
    )

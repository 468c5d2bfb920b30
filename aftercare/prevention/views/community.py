"""Prevention pages: dialogues and events with their attendance, campaigns, policy
milestones, and KAP surveys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, can, require
from aftercare.core.errors import DomainError, StaleVersion
from aftercare.core.submit import add_domain_error
from aftercare.prevention import community, kap, milestones
from aftercare.prevention import indicator_charts as charts
from aftercare.prevention.access import get_visible
from aftercare.prevention.forms import (
    ActivityForm,
    AdvanceForm,
    AttendanceForm,
    CampaignForm,
    InstrumentForm,
    RoundForm,
    SurveyDefinitionForm,
    initial_counts,
)
from aftercare.prevention.models import (
    AgeGroup,
    Campaign,
    CommunityActivity,
    PolicyInstrument,
    Stage,
    Survey,
)
from aftercare.prevention.views.pages import add_page, form_page, list_page

# Dialogues and awareness events ------------------------------------------------------------


@login_required
def activity_list(request):
    def context(actor):
        activities = list(
            CommunityActivity.objects.visible_to(actor).select_related("region")[:200]
        )
        totals = community.summaries_by_activity(activities)
        return {"rows": [(a, totals.get(a.pk)) for a in activities]}

    return list_page(request, "prevention/activities.html", context, adds=Action.RECORD_PREVENTION)


@login_required
def activity_add(request):
    return add_page(
        request,
        ActivityForm,
        community.add_activity,
        title=_("Plan or record a dialogue or event"),
        back=(reverse("prevention:activities"), _("Dialogues and events")),
        lede=_(
            "Count the attendance on the activity's page "
            "once it has taken place, or in the field capture."
        ),
        success=lambda a: (
            _("Saved. Now count who attended."),
            reverse("prevention:activity", args=[a.pk]),
        ),
    )


@login_required
def activity_detail(request, activity_id):
    """The activity with its attendance grid. A save against an older version is refused and
    both sets of figures are shown, so the person choosing sees what they would replace."""
    actor = request.actor
    activity = get_visible(
        actor,
        CommunityActivity,
        activity_id,
        queryset=CommunityActivity.objects.select_related("region", "attendance_recorded_by"),
    )
    server_counts = community.current_counts(activity)
    conflict = None
    if request.method == "POST":
        require(actor, Action.RECORD_PREVENTION)
        form = AttendanceForm(request.POST)
        if form.is_valid():
            try:
                community.set_attendance(
                    actor, activity.pk, form.counts(), form.cleaned_data["version"]
                )
            except StaleVersion:
                conflict = summary_of(server_counts)
                form = AttendanceForm(data={**request.POST.dict(), "version": activity.version})
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone changed this attendance after you opened the page. Their "
                        "figures are below; save again to replace them with yours."
                    ),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("prevention:activity", activity_id=activity.pk)
    else:
        form = AttendanceForm(
            initial={"version": activity.version, **initial_counts(server_counts)}
        )
    summary = summary_of(server_counts)
    return render(
        request,
        "prevention/activity.html",
        {
            "activity": activity,
            "form": form,
            "summary": summary,
            "conflict": conflict,
            "age_choices": AgeGroup.choices,
            "bars": charts.attendance_bars(summary) if summary else None,
            "can_record": can(actor, Action.RECORD_PREVENTION),
        },
    )


def summary_of(counts):
    if counts is None:
        return None
    return community.summarise((s, a, n) for s, row in counts.items() for a, n in row.items())


# Campaigns --------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    def context(actor):
        campaigns = Campaign.objects.visible_to(actor).select_related("region")
        return {"campaigns": campaigns, "reach": community.reach_by_medium(campaigns)}

    return list_page(request, "prevention/campaigns.html", context, adds=Action.RECORD_PREVENTION)


@login_required
def campaign_add(request):
    return add_page(
        request,
        CampaignForm,
        community.add_campaign,
        title=_("Record a campaign"),
        back=(reverse("prevention:campaigns"), _("Campaigns")),
        success=lambda c: (
            _("Campaign %(name)s recorded.") % {"name": c.name},
            reverse("prevention:campaigns"),
        ),
    )


# Policy milestones ------------------------------------------------------------------------


@login_required
def policy_list(request):
    def context(actor):
        instruments = (
            PolicyInstrument.objects.visible_to(actor)
            .select_related("region")
            .prefetch_related("milestones")
        )
        return {"rows": [_policy_row(instrument) for instrument in instruments]}

    return list_page(request, "prevention/policy.html", context, adds=Action.MANAGE_PREVENTION)


def _policy_row(instrument) -> dict:
    reached = {m.stage: m for m in instrument.milestones.all()}
    return {
        "instrument": instrument,
        "stages": [(stage, reached.get(stage.value)) for stage in Stage],
        "next": milestones.next_stage(instrument.stage),
    }


@login_required
def policy_add(request):
    return add_page(
        request,
        InstrumentForm,
        milestones.add_instrument,
        right=Action.MANAGE_PREVENTION,
        title=_("Add an ordinance, by-law or policy"),
        back=(reverse("prevention:policy"), _("Policy milestones")),
        success=lambda i: (
            _("%(title)s added as drafted.") % {"title": i.title},
            reverse("prevention:policy"),
        ),
    )


@login_required
def policy_advance(request, instrument_id):
    actor = request.actor
    instrument = get_visible(
        actor, PolicyInstrument, instrument_id, action=Action.MANAGE_PREVENTION
    )
    following = milestones.next_stage(instrument.stage)
    if following is None:
        messages.warning(request, _("%(title)s is already enforced.") % {"title": instrument.title})
        return redirect("prevention:policy")
    form = AdvanceForm(
        request.POST or None, initial={"to": following.value, "version": instrument.version}
    )
    return form_page(
        request,
        form,
        title=_("%(title)s: %(stage)s") % {"title": instrument.title, "stage": following.label},
        back=(reverse("prevention:policy"), _("Policy milestones")),
        save=lambda data: milestones.advance(actor, instrument.pk, **data),
        success=lambda i: (
            _("%(title)s is now %(stage)s.")
            % {"title": i.title, "stage": Stage(i.stage).label.lower()},
            reverse("prevention:policy"),
        ),
    )


# KAP surveys ----------------------------------------------------------------------------


@login_required
def survey_list(request):
    return list_page(
        request,
        "prevention/surveys.html",
        lambda actor: {"surveys": Survey.objects.visible_to(actor).prefetch_related("rounds")},
        adds=Action.MANAGE_PREVENTION,
    )


@login_required
def survey_define(request):
    actor = request.actor
    require(actor, Action.MANAGE_PREVENTION)
    form = SurveyDefinitionForm(request.POST or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            survey = kap.define_survey(actor, form.cleaned_data["definition"])
        except kap.SurveyInvalid as exc:
            errors = exc.errors
            form.add_error("definition", _("The definition has errors: see the list."))
        else:
            messages.success(request, _("Survey %(name)s defined.") % {"name": survey.name})
            return redirect("prevention:survey", survey_id=survey.pk)
    return render(request, "prevention/survey_define.html", {"form": form, "errors": errors})


@login_required
def survey_detail(request, survey_id):
    actor = request.actor
    survey = get_visible(actor, Survey, survey_id)
    result = kap.change(survey)
    return render(
        request,
        "prevention/survey.html",
        {
            "survey": survey,
            "change": result,
            "rounds": kap.counted_rounds(survey),
            "bars": charts.kap_bars(result),
            "can_manage": can(actor, Action.MANAGE_PREVENTION),
        },
    )


@login_required
def round_add(request, survey_id):
    actor = request.actor
    survey = get_visible(actor, Survey, survey_id, action=Action.MANAGE_PREVENTION)
    return add_page(
        request,
        RoundForm,
        lambda actor, **data: kap.add_round(actor, survey.pk, **data),
        right=None,
        title=_("Add a round to %(name)s") % {"name": survey.name},
        back=(reverse("prevention:survey", args=[survey.pk]), survey.name),
        lede=_(
            "Responses are sent through the API: POST "
            "/api/v1/prevention/survey-rounds/{id}/responses."
        ),
        success=lambda r: (
            _("Round %(label)s added.") % {"label": r.label},
            reverse("prevention:survey", args=[survey.pk]),
        ),
    )

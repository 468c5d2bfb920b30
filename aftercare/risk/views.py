"""Risk pages. Thin: check the role, fetch the case through cases.services, call risk.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts.policy import Action, can, require
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import listed_names
from aftercare.core.errors import DomainError, TransitionNotAllowed
from aftercare.risk import access, measures, services
from aftercare.risk.forms import AssessmentForm, MeasureForm
from aftercare.risk.models import AlertStatus, RiskLevel


def _add_errors(form, exc: ValidationError) -> None:
    for field, messages_ in exc.message_dict.items():
        name = field.replace("answers.", "factor_" if isinstance(form, AssessmentForm) else "item_")
        form.add_error(name if name in form.fields else None, messages_)


@require_safe
@login_required
def survivor_risk(request, survivor_id):
    """The risk and wellbeing sections on their own page, as the case page includes them."""
    actor = request.actor
    case = access.case_to_read(actor, survivor_id)
    context = {"survivor": case.survivor}
    context.update(services.case_risk_context(case))
    context.update(services.case_wellbeing_context(case))
    return render(request, "risk/survivor.html", context)


@login_required
def assess(request, survivor_id):
    actor = request.actor
    survivor = access.case_to_record(actor, survivor_id, Action.ASSESS_RISK).survivor
    instrument = services.active_instrument()
    form = AssessmentForm(instrument, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assess_risk(
                actor, survivor, form.answers(), assessed_on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except DomainError as exc:
            form.add_error("on" if exc.field == "assessed_on" else None, exc.message)
        else:
            messages.success(
                request,
                _("Risk assessed as %(level)s (score %(score)s). Next follow-up by %(date)s.")
                % {
                    "level": RiskLevel(assessment.level).label,
                    "score": assessment.score_text,
                    "date": assessment.next_follow_up.isoformat(),
                },
            )
            return redirect("risk:survivor", survivor_id=survivor.pk)
    return render(
        request, "risk/assess.html", {"survivor": survivor, "form": form, "instrument": instrument}
    )


@login_required
def record_measure(request, survivor_id, code):
    actor = request.actor
    survivor = access.case_to_record(actor, survivor_id, Action.RECORD_MEASURE).survivor
    try:
        measure = measures.active_measure(code)
    except measures.UnknownMeasure as exc:
        raise Http404("No such measure") from exc
    form = MeasureForm(measure, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = measures.record_measure(
                actor, survivor, measure.code, form.answers(), recorded_on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except DomainError as exc:
            form.add_error("on" if exc.field == "recorded_on" else None, exc.message)
        else:
            messages.success(
                request,
                _("%(measure)s recorded: %(total)s (%(band)s).")
                % {
                    "measure": measure.name_text,
                    "total": measurement.total,
                    "band": measurement.band_label,
                },
            )
            return redirect("risk:survivor", survivor_id=survivor.pk)
    return render(
        request, "risk/measure.html", {"survivor": survivor, "form": form, "measure": measure}
    )


@login_required
def alerts(request):
    actor = request.actor
    require(actor, Action.VIEW_RISK_ALERTS)
    status = request.GET.get("status", AlertStatus.OPEN)
    if status not in AlertStatus.values:
        status = AlertStatus.OPEN
    if status == AlertStatus.OPEN:
        services.flag_overdue_if_stale(actor.organisation_id)
    page = Paginator(services.visible_alerts(actor, status), 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    names = listed_names(
        actor, {alert.survivor_id: alert.case_organisation_id for alert in page.object_list}
    )
    for alert in page.object_list:
        alert.listed_name = names.get(alert.survivor_id, "")
    record(
        actor,
        AuditAction.LIST,
        object_type="risk.alert",
        label=f"{len(page.object_list)} {status} alerts",
    )
    return render(
        request,
        "risk/alerts.html",
        {
            "page": page,
            "status": status,
            "statuses": AlertStatus.choices,
            "can_acknowledge": can(actor, Action.ACKNOWLEDGE_RISK_ALERT),
        },
    )


@login_required
@require_POST
def acknowledge(request, alert_id):
    try:
        alert = services.acknowledge_alert(request.actor, alert_id)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request, _("Alert on %(code)s acknowledged.") % {"code": alert.survivor.case_code}
        )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("risk:alerts")

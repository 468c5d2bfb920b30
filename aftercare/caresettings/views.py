"""Pages: a case's care settings, an organisation's programme costs, outcomes by care setting.

Thin: each page fetches what the actor may see through `services` and renders it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from aftercare.accounts.policy import Action, can
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.caresettings import access, comparison, services
from aftercare.caresettings.forms import CareSettingForm, CostForm, EndSettingForm, LawyerForm
from aftercare.cases.counting import NETWORK, can_choose_scope, scope_for
from aftercare.core.errors import DomainError
from aftercare.core.spreadsheets import to_csv, workbook
from aftercare.core.stats.indicators import PeriodInvalid, parse_period
from aftercare.core.submit import record_forms, submit


def _back(survivor) -> str:
    return reverse("caresettings:case", args=[survivor.pk])


@require_safe
@login_required
def case(request, survivor_id):
    actor = request.actor
    survivor = access.case_to_read(actor, survivor_id)
    periods = list(services.settings_of(survivor))
    can_record = can(actor, Action.RECORD_CARE_SETTING)
    context = {
        "survivor": survivor,
        "periods": periods,
        "can_record": can_record,
        "current": services.current_setting(survivor),
        "lawyer_days": services.lawyer_alert_days(),
    }
    if can_record:
        context["form"] = CareSettingForm(auto_id="setting-%s")
    return render(request, "caresettings/case.html", context)


_form = record_forms(access.case_to_record, _back)


add = _form(CareSettingForm, services.record_setting, gettext_lazy("Period of care recorded."))
end = _form(
    EndSettingForm,
    lambda actor, survivor, setting_id, data: services.update_setting(
        actor, survivor, setting_id, {"end": data["end"]}, data["version"]
    ),
    gettext_lazy("The period of care is ended."),
)
lawyer = _form(
    LawyerForm,
    lambda actor, survivor, setting_id, data: services.update_setting(
        actor,
        survivor,
        setting_id,
        {"lawyer_access": True, "lawyer_access_on": data["lawyer_access_on"]},
        data["version"],
    ),
    gettext_lazy("Access to a lawyer recorded."),
)


@login_required
def costs(request):
    actor = request.actor
    rows = services.costs_visible_to(actor).select_related("organisation")[:200]
    can_record = can(actor, Action.RECORD_COSTS)
    form = CostForm(request.POST or None) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        return submit(
            request,
            form,
            lambda data: services.record_cost(actor, data),
            _("Cost recorded."),
            reverse("caresettings:costs"),
        )
    return render(
        request, "caresettings/costs.html", {"rows": rows, "form": form, "can_record": can_record}
    )


@login_required
@require_POST
def remove_cost(request, cost_id):
    try:
        services.remove_cost(request.actor, cost_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cost line removed."))
    return redirect("caresettings:costs")


def _compare(request):
    scope = scope_for(request.actor, request.GET.get("scope", ""))
    start, end = parse_period(request.GET)
    return scope, comparison.compare(
        scope, start, end, currency=request.GET.get("currency") or None
    )


@login_required
def report(request):
    context = {"can_choose_scope": can_choose_scope(request.actor), "network": NETWORK}
    try:
        scope, result = _compare(request)
    except PeriodInvalid as exc:
        scope = scope_for(request.actor, request.GET.get("scope", ""))
        context.update(
            scope=scope,
            errors=exc.errors,
            period_from=request.GET.get("from", ""),
            period_to=request.GET.get("to", ""),
            hidden_text=f"<{scope.small_cell_min}",
        )
        return render(request, "caresettings/report.html", context, status=400)
    record(
        request.actor,
        AuditAction.READ,
        None,
        object_type="caresettings.comparison",
        label=f"care settings {result.start}..{result.end}",
        fields=[scope.name],
    )
    context.update(
        scope=scope,
        result=result,
        period_from=result.start.isoformat(),
        period_to=result.end.isoformat(),
        query=request.GET.urlencode(),
        hidden_text=f"<{scope.small_cell_min}",
        rate_labels=comparison.RATES,
    )
    return render(request, "caresettings/report.html", context)


COLUMNS = [
    "setting",
    "survivors",
    "median_months",
    "survivor_months",
    "measure",
    "numerator",
    "denominator",
    "value",
    "interval_low",
    "interval_high",
    "cost",
    "cost_per_survivor_month",
    "currency",
]


def report_rows(result: comparison.Comparison):
    for group in result.groups:
        head = [group.label, group.survivors, group.median_months, group.survivor_months]
        costs = [group.cost, group.cost_per_survivor_month, result.currency or ""]
        for rate in group.rates:
            low, high = rate.interval or (None, None)
            yield [
                *head,
                rate.label,
                rate.numerator,
                rate.denominator,
                None if rate.value is None else round(rate.value, 4),
                None if low is None else round(low, 4),
                None if high is None else round(high, 4),
                *costs,
            ]
        for mix, cells in group.mix.items():
            for label, count in cells:
                yield [*head, f"{mix}: {label}", count, group.survivors, None, None, None, *costs]


@login_required
def report_download(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        scope, result = _compare(request)
    except PeriodInvalid as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    record(
        request.actor,
        AuditAction.EXPORT,
        None,
        object_type="caresettings.comparison",
        label=f"care settings {result.start}..{result.end}",
        fields=[fmt, scope.name],
    )
    rows = list(report_rows(result))
    about = [
        ["period", f"{result.start} to {result.end}"],
        ["scope", result.scope_label],
        ["small cells hidden below", result.small_cell_min or "-"],
        ["note", str(result.note)],
        ["costs", result.cost_note],
    ]
    if fmt == "csv":
        body, content_type = to_csv(COLUMNS, rows), "text/csv; charset=utf-8"
    else:
        body = workbook([("Care settings", COLUMNS, rows), ("About", ["item", "value"], about)])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="care-settings-{result.start}-{result.end}.{fmt}"'
    )
    return response

"""Report pages: the dashboard, the indicator report, the gap map, and exports. Thin: each
reads its parameters, asks the report modules for figures already scoped and protected, and
renders them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases import counting
from aftercare.cases.counting import NETWORK, can_choose_scope, scope_for
from aftercare.cases.models import NeedLevel
from aftercare.core.errors import DomainError
from aftercare.core.ids import is_uuid
from aftercare.core.stats.indicators import PeriodInvalid, parse_period
from aftercare.network.models import Region
from aftercare.network.taxonomy import ServiceDomain
from aftercare.reports import builders, dashboard, export_jobs, gaps, indicators
from aftercare.reports.models import ExportFormat, ExportJob, ExportKind, ExportStatus


def _scope(request):
    return scope_for(request.actor, request.GET.get("scope", ""))


def _common(request, scope) -> dict:
    return {
        "scope": scope,
        "can_choose_scope": can_choose_scope(request.actor),
        "network": NETWORK,
        "hidden_text": f"<{scope.small_cell_min}",
    }


@login_required
def dashboard_page(request):
    scope = _scope(request)
    today = timezone.localdate()
    figures = dashboard.figures(scope, today)
    outcomes = indicators.build(
        scope,
        today - timedelta(days=364),
        today,
        contributors=[c for c in indicators.CONTRIBUTORS if c.domain == "livelihoods"],
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            **_common(request, scope),
            **figures,
            "outcomes": outcomes,
            "open_definition": counting.definition(network=scope.organisation_id is None),
            "open_as_of": timezone.now(),
        },
    )


@login_required
def indicators_page(request):
    scope = _scope(request)
    context = _common(request, scope)
    try:
        start, end = parse_period(request.GET)
    except PeriodInvalid as exc:
        context.update(
            errors=exc.errors,
            period_from=request.GET.get("from", ""),
            period_to=request.GET.get("to", ""),
        )
        return render(request, "reports/indicators.html", context, status=400)
    report = indicators.build(scope, start, end)
    context.update(
        report=report,
        period_from=start.isoformat(),
        period_to=end.isoformat(),
        query=request.GET.urlencode(),
    )
    return render(request, "reports/indicators.html", context)


@login_required
def indicators_download(request, fmt: str):
    if fmt not in ExportFormat.values:
        raise Http404
    try:
        built = builders.indicator_file(request.actor, request.GET, fmt)
    except PeriodInvalid as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    except builders.ExportUnavailable as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    return _file(request, built, ExportKind.INDICATORS, fmt)


def _file(request, built: builders.Built, kind: str, fmt: str) -> HttpResponse:
    record(
        request.actor,
        AuditAction.EXPORT,
        None,
        object_type=f"reports.{kind}",
        label=built.filename,
        fields=[kind, fmt, *built.audit_fields],
        reason=f"{built.rows} rows; {built.summary}",
    )
    response = HttpResponse(built.as_bytes(), content_type=built.content_type)
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


@login_required
def gaps_page(request):
    scope = _scope(request)
    parent = _region(request.GET.get("region"))
    level = request.GET.get("level") or NeedLevel.HIGH
    if level not in (NeedLevel.MEDIUM, NeedLevel.HIGH, NeedLevel.URGENT):
        level = NeedLevel.HIGH
    gap_map = gaps.gap_map(scope, parent, level)
    return render(
        request,
        "reports/gaps.html",
        {
            **_common(request, scope),
            "map": gap_map,
            "status_labels": gaps.STATUS_LABELS,
            "levels": [
                (NeedLevel.MEDIUM, NeedLevel.MEDIUM.label),
                (NeedLevel.HIGH, NeedLevel.HIGH.label),
                (NeedLevel.URGENT, NeedLevel.URGENT.label),
            ],
        },
    )


def _region(key) -> Region | None:
    if not key:
        return None
    region = (
        Region.objects.filter(pk=key).first()
        if is_uuid(key)
        else Region.objects.filter(code=key).first()
    )
    if region is None:
        raise Http404("No such region")
    return region


@login_required
def gap_cell(request):
    scope = _scope(request)
    domain = request.GET.get("domain", "")
    if domain not in ServiceDomain.values:
        raise Http404("No such service domain")
    key = request.GET.get("region", "")
    region = None if key == gaps.NO_REGION else _region(key)
    detail = gaps.cell(scope, region, domain)
    if detail.cases is not None:
        record(
            request.actor,
            AuditAction.LIST,
            None,
            object_type="cases.survivor",
            label=f"gap map {region.name if region else 'no region'} · {domain}",
            fields=["case_code"],
        )
    return render(
        request,
        "reports/gap_cell.html",
        {
            **_common(request, scope),
            "detail": detail,
            "domain_label": ServiceDomain(domain).label,
        },
    )


@login_required
def exports_page(request):
    export_jobs.require_export(request.actor, ExportKind.INDICATORS)
    export_jobs.fail_stalled()
    export_jobs.purge_expired()
    scope = _scope(request)
    my_jobs = ExportJob.objects.mine(request.actor).defer("content")[:20]
    kinds = [
        (kind, label, export_jobs.FORMATS[kind])
        for kind, label in ExportKind.choices
        if kind != ExportKind.CASELOAD or scope.shows_people or can_choose_scope(request.actor)
    ]
    return render(
        request,
        "reports/exports.html",
        {**_common(request, scope), "jobs": my_jobs, "kinds": kinds, "today": timezone.localdate()},
    )


@login_required
@require_POST
def start_export(request):
    kind, fmt = request.POST.get("kind", ""), request.POST.get("format", "")
    params = {
        name: request.POST[name]
        for name in ("from", "to", "scope", "status", "region", "level")
        if request.POST.get(name)
    }
    try:
        if kind == ExportKind.INDICATORS:
            parse_period(params)
        job = export_jobs.start_export(request.actor, kind, fmt, params)
    except DomainError as exc:
        from django.contrib import messages

        messages.error(request, exc.message)
        return redirect("reports:exports")
    return redirect("reports:export", job_id=job.pk)


def _own_job(request, job_id) -> ExportJob:
    export_jobs.require_export(request.actor, ExportKind.INDICATORS)
    job = (
        ExportJob.objects.mine(request.actor).defer("content").filter(pk=job_id).first()
        if is_uuid(job_id)
        else None
    )
    if job is None:
        raise Http404("No such export")
    return job


@login_required
def export_page(request, job_id):
    job = _own_job(request, job_id)
    return render(request, "reports/export.html", {"job": job, **_job_context(job)})


@login_required
def export_status(request, job_id):
    """The progress fragment that the export page polls (htmx) while the file is being made."""
    job = _own_job(request, job_id)
    return render(request, "reports/_export_status.html", {"job": job, **_job_context(job)})


def _job_context(job: ExportJob) -> dict:
    link = None
    if job.is_ready:
        link = reverse("reports:download", kwargs={"token": export_jobs.download_token(job)})
    return {
        "link": link,
        "polling": job.status in (ExportStatus.PENDING, ExportStatus.RUNNING),
        "link_minutes": export_jobs.settings.AFTERCARE_EXPORT_LINK_MINUTES,
    }


@login_required
def download(request, token: str):
    try:
        job = export_jobs.job_for_download(request.actor, token)
    except export_jobs.LinkExpired as exc:
        return render(request, "reports/link_expired.html", {"message": exc.message}, status=410)
    response = StreamingHttpResponse(
        export_jobs.stream(request.actor, job), content_type=job.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "no-store"
    return response

"""Exports as background jobs: requested, built by a task with its progress saved as it goes,
kept encrypted until they expire, fetched through a signed link that lapses on its own.

The link is signed with the site's secret and a timestamp (valid for
`AFTERCARE_EXPORT_LINK_MINUTES`), and works only for the person who asked for the export,
acting in the same organisation; the file itself is deleted `AFTERCARE_EXPORT_KEEP_HOURS`
after it was made (`purge_expired`, run by Celery beat and whenever the exports page opens).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.policy import Action, Actor, can, require
from aftercare.accounts.services import actor_for
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.core import crypto, sealed
from aftercare.core.errors import DomainError
from aftercare.core.routers import reading_from_replica
from aftercare.core.tasks import enqueue
from aftercare.reports.models import ExportFormat, ExportJob, ExportKind, ExportStatus

LINK_SALT = "aftercare.reports.export-link"
# Failures worth another try: the database or the object storage briefly out of reach.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
FORMATS = {
    ExportKind.CASELOAD: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.INDICATORS: (ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.PDF),
    ExportKind.GAPS: (ExportFormat.CSV, ExportFormat.XLSX),
    ExportKind.CTDC: (ExportFormat.CSV, ExportFormat.XLSX),
}


class LinkExpired(DomainError):
    status_code = 410
    code = "link_expired"


def require_export(actor: Actor, kind: str) -> None:
    """Exports are for report roles; the caseload (one row per case) only for case roles,
    and only of their own organisation's cases."""
    require(actor, Action.VIEW_AGGREGATE_REPORTS)
    if kind == ExportKind.CASELOAD:
        require(actor, Action.VIEW_CASES)


@transaction.atomic
def start_export(actor: Actor, kind: str, fmt: str, params: dict | None = None) -> ExportJob:
    require_export(actor, kind)
    if kind not in FORMATS or fmt not in FORMATS[kind]:
        raise DomainError(_("This export is not offered in that format."), field="format")
    from aftercare.reports.tasks import run_export

    job = ExportJob.objects.create(
        kind=kind,
        format=fmt,
        params=params or {},
        requested_by=actor.user,
        organisation=actor.organisation,
        role=str(actor.role),
        expires_at=timezone.now() + timedelta(hours=settings.AFTERCARE_EXPORT_KEEP_HOURS),
    )

    enqueue(run_export, str(job.pk))
    return job


def _progress(job: ExportJob, done: int) -> None:
    percent = min(99, int(done * 100 / job.total_rows)) if job.total_rows else 50
    ExportJob.objects.filter(pk=job.pk).update(
        rows=done, progress=percent, heartbeat_at=timezone.now()
    )


def run(job_id) -> ExportJob | None:
    """Build the file for a pending job, as the person who asked, with their rights as they are
    now."""
    from aftercare.reports import builders

    # Claimed with one UPDATE: a task delivered twice (a retry, a redelivery after a worker was
    # lost) finds the job no longer pending and does nothing.
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING)
    if not claimed.update(status=ExportStatus.RUNNING, heartbeat_at=timezone.now()):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    actor = actor_for(job.requested_by, str(job.organisation_id))
    if str(actor.role) != job.role or not can(actor, Action.VIEW_AGGREGATE_REPORTS):
        return _fail(job, _("Your role changed since you asked for this export; ask again."))
    writer = sealed.SealedWriter()
    try:
        built = builders.build(actor, job, lambda done: _progress(job, done))
        with (
            reading_from_replica()
        ):  # the rows may come from the replica; the job row stays on the primary
            built.write_to(writer)  # row by row, encrypted a chunk at a time
        stored = writer.store(f"exports/{job.pk}.{job.format}.sealed")
    except builders.ExportUnavailable as exc:
        writer.discard()
        return _fail(job, exc.message)
    except TRANSIENT:
        writer.discard()
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.PENDING, rows=0, progress=0)
        raise  # the task retries (reports.tasks.run_export) and claims the job again
    except Exception:
        writer.discard()
        _fail(
            job,
            _(
                "The export could not be made. Ask for it again; "
                "if it fails again, tell your administrator."
            ),
        )
        raise  # the worker's log keeps the cause; the page stops waiting

    job.stored_file, job.size = stored, writer.size
    job.filename, job.content_type, job.rows = built.filename, built.content_type, built.rows
    job.status, job.progress, job.finished_at, job.note = (
        ExportStatus.DONE,
        100,
        timezone.now(),
        built.note,
    )
    job.save(
        update_fields=[
            "stored_file",
            "size",
            "filename",
            "content_type",
            "rows",
            "status",
            "progress",
            "finished_at",
            "note",
        ]
    )
    record(
        actor,
        AuditAction.EXPORT,
        job,
        fields=[job.kind, job.format, *built.audit_fields],
        reason=f"{built.rows} rows; {built.summary}".strip("; "),
    )
    return job


def _fail(job: ExportJob, message: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportStatus.FAILED, message[:300], timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def download_token(job: ExportJob) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(str(job.pk))


def job_for_download(actor: Actor, token: str) -> ExportJob:
    """The job a link names, if the link is genuine, not lapsed, and the caller asked for the
    job."""
    from django.http import Http404

    try:
        job_id = signing.TimestampSigner(salt=LINK_SALT).unsign(
            token, max_age=settings.AFTERCARE_EXPORT_LINK_MINUTES * 60
        )
    except signing.SignatureExpired as exc:
        raise LinkExpired(
            _("This download link has expired. Open the export again for a new link.")
        ) from exc
    except signing.BadSignature as exc:
        raise Http404("No such export") from exc
    job = ExportJob.objects.mine(actor).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such export")
    require_export(actor, job.kind)
    if not job.is_ready:
        raise LinkExpired(_("This export has expired and was deleted. Ask for it again."))
    return job


def stream(actor: Actor, job: ExportJob) -> Iterator[bytes]:
    """The file, decrypted a chunk at a time for a streaming response; the download is audited."""
    record(
        actor,
        AuditAction.EXPORT,
        job,
        fields=[job.kind, job.format, "downloaded"],
        reason=f"{job.rows} rows",
    )
    if job.stored_file:
        return sealed.read_chunks(job.stored_file)
    return iter(
        [crypto.decrypt_bytes(bytes(job.content))]
    )  # a file made before exports were streamed


def read(actor: Actor, job: ExportJob) -> bytes:
    return b"".join(stream(actor, job))


def fail_stalled(now=None) -> int:
    """Fail the running jobs whose worker was lost: no progress for AFTERCARE_EXPORT_STALL_MINUTES.

    A worker killed mid-export (out of memory, a redeploy) leaves its job claimed, and a second
    delivery of the task cannot claim it again; the person waiting is told to ask again instead.
    """
    now = now or timezone.now()
    silent_since = now - timedelta(minutes=settings.AFTERCARE_EXPORT_STALL_MINUTES)
    # Looked for first, so that a page asking (the exports page) writes nothing when none is lost.
    lost = list(
        ExportJob.objects.filter(
            status=ExportStatus.RUNNING, heartbeat_at__lt=silent_since
        ).values_list("pk", flat=True)
    )
    if not lost:
        return 0
    return ExportJob.objects.filter(pk__in=lost, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error=_("The export stopped before it finished (its worker was lost). Ask for it again."),
    )


def purge_expired(now=None) -> int:
    """Delete expired jobs and their files (the file first: a row left behind is purged next
    time)."""
    expired = list(ExportJob.objects.expired(now).values_list("pk", "stored_file"))
    if not expired:
        return 0
    for _pk, name in expired:
        sealed.delete(name)
    deleted, _by_model = ExportJob.objects.filter(pk__in=[pk for pk, _name in expired]).delete()
    return deleted

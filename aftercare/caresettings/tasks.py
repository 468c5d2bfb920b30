"""Background work of care settings: the sweep for detentions without a lawyer (Celery beat)."""

from celery import shared_task

from aftercare.caresettings import services


@shared_task
def flag_detentions_without_lawyer() -> int:
    return services.flag_detentions_without_lawyer()

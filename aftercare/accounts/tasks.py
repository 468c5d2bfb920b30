from celery import shared_task
from django.utils import timezone

from aftercare.accounts.models import ApiToken


@shared_task
def purge_expired_tokens() -> int:
    """Delete API tokens that expired more than a day ago; returns how many went."""
    cutoff = timezone.now() - timezone.timedelta(days=1)
    deleted, _ = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aftercare.core.models import Notification


@login_required
def notifications(request):
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    Notification.objects.filter(user=request.user).unread().update(read_at=timezone.now())
    return redirect("core:notifications")

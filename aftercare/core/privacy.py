"""No copy of a signed-in page in any cache: a shared computer's browser history, a proxy.

Staff pages and API answers carry survivors' records; the survivor portal already says
`no-store` (`never_cache`). Every answer to a signed-in user or an API client does too, so
no page that shows survivor data can forget it. Static files and public pages keep theirs.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response

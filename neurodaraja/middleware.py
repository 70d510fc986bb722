"""The product's own "not found" page in every mode.

With DEBUG on (as `make run` sets) Django answers a 404 with its technical page, which lists every
URL pattern of the site: a map for anyone who mistypes an address or probes for one, and a page a
trainee on a phone cannot read. This middleware answers as production does, with the page that
`handler404` names (`core.views.page_not_found`), in the reader's language. Whatever answers its
own 404 already (the JSON API, DICOMweb) keeps doing so: only what would reach Django's technical
page is replaced. A 403 needs nothing: Django sends `handler403`'s page in every mode.

It must come last in MIDDLEWARE: a path that no URL matches fails inside the innermost handler, so
only the last middleware sees Django's answer before the others (CommonMiddleware's trailing
slash, the Content-Security-Policy, the language) do their part with the product's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import Resolver404, get_resolver


def not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """The page `handler404` names, as Django sends it when DEBUG is off."""
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
    # The stubs type a handler as taking the request only; a 404 handler also takes the exception.
    return cast(Callable[[HttpRequest, Exception], HttpResponseBase], handler)(request, exception)


class ProductNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # No URL matched (no resolver_match): with DEBUG on, the answer is the technical page.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return not_found(request, Resolver404({"path": request.path_info}))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found(request, exception)
        return None  # without DEBUG, Django itself calls handler404

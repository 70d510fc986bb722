"""The product's own error pages in every mode: 400, 404 and 500 as production sends them.

With DEBUG on (as `make run` sets) Django answers a 404 with its technical page, which lists every
URL pattern of the site, and a 400 or a 500 with its traceback page, which shows the settings and
each frame's local variables: a map for anyone who probes, a page a trainee on a phone cannot
read, and (with a case loaded in a view's variables) patient data on the screen of whoever caused
the error. This middleware answers as production does, with the pages that `handler400`,
`handler404` and `handler500` name (`core.views`), in the reader's language. Whatever answers its
own errors already (the JSON API, DICOMweb) keeps doing so: only what would reach Django's
technical pages is replaced. A 403 needs nothing: Django sends `handler403`'s page in every mode.

A 405 (an address that takes a form, opened or reloaded) is the product's page in every mode,
and the API's JSON under /api/: Django's own is empty and the browser shows its own error page.

A developer who wants the traceback page sets TECHNICAL_ERROR_PAGES=true with DEBUG (never on a
server anyone else reaches); the traceback is in the log either way, as `django.request` logs it
without DEBUG.

It must come last in MIDDLEWARE: a path that no URL matches fails inside the innermost handler, so
only the last middleware sees Django's answer before the others (CommonMiddleware's trailing
slash, the Content-Security-Policy, the language) do their part with the product's page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, resolve
from django.utils.log import log_response
from django.utils.translation import gettext as _

from neurodaraja.api import method_not_allowed as api_method_not_allowed


def error_page(request: HttpRequest, status: int, exception: Exception | None = None) -> HttpResponseBase:
    """The page `handler<status>` names, as Django sends it when DEBUG is off."""
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(status)
    if status == 500:  # a 500 handler takes the request only
        return cast(Callable[[HttpRequest], HttpResponseBase], handler)(request)
    # The stubs type a handler as taking the request only; the others also take the exception.
    return cast(Callable[[HttpRequest, Exception | None], HttpResponseBase], handler)(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    return error_page(request, 404, exception)


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    """A form's address opened, reloaded or reopened in a new tab (Django's own answer is an empty
    405, which the browser shows as its error page in its own language, with no way back). The
    way back is the page the form was on, where the address is a form's below a page."""
    context: dict[str, Any] = {
        "title": _("This address cannot be opened"),
        "message": _(
            "This address only receives a form when it is sent; it cannot be opened or reloaded. "
            "Go back to the page and send the form again."
        ),
        "status": 405,
        "back": _page_above(request.path_info),
    }
    return render(request, "core/error.html", context, status=405)


def _page_above(path: str) -> str | None:
    above = path.rstrip("/").rpartition("/")[0] + "/"
    if above == "/":
        return None
    try:
        match = resolve(above)
    except Resolver404:
        return None
    return above if match.url_name != "api_no_such_endpoint" else None


def _not_allowed(request: HttpRequest, refused: HttpResponseNotAllowed) -> HttpResponseBase:
    """A method the address does not take, in every mode: Django's answer is empty (the browser
    shows its own error page, with no way back) and django-ninja's is plain text; the API answers
    in its JSON, a page with the product's."""
    allowed = refused.get("Allow", "")
    if request.path_info.startswith("/api/"):
        return api_method_not_allowed(request, allowed)
    response = method_not_allowed(request)
    response["Allow"] = allowed
    return response


def _replacing() -> bool:
    return settings.DEBUG and not settings.TECHNICAL_ERROR_PAGES


class ProductNotFoundMiddleware:
    """Named for the 404 it first replaced; it replaces the 400 and 500 pages as well."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # No URL matched (no resolver_match): with DEBUG on, the answer is the technical page.
        if _replacing() and response.status_code == 404 and request.resolver_match is None:
            return not_found(request, Resolver404({"path": request.path_info}))
        if isinstance(response, HttpResponseNotAllowed):
            return _not_allowed(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if not _replacing():
            return None  # without DEBUG, Django itself calls the handlers (and logs)
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # handler403 in every mode
        if isinstance(exception, MultiPartParserError | BadRequest | SuspiciousOperation):
            if isinstance(exception, SuspiciousOperation):
                # What Django logs for it without DEBUG, under the same logger name.
                logging.getLogger(f"django.security.{exception.__class__.__name__}").error(
                    str(exception), extra={"status_code": 400, "request": request}
                )
            response = error_page(request, 400, exception)
        else:
            response = error_page(request, 500)
            # Django's own log line for an unhandled exception, with its traceback.
            log_response(
                "%s: %s",
                response.reason_phrase,
                request.path,
                response=response,  # type: ignore[arg-type]  # the handler's page is an HttpResponse
                request=request,
                exception=exception,
            )
        return response

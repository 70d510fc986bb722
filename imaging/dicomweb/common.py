"""What the three DICOMweb services share: authentication, refusals as short texts, answers in
DICOM JSON or multipart, and the pseudonym that stands for the patient."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.api_auth import ApiTokenAuth
from accounts.models import User
from imaging.models import Study
from lib.dicomweb import DICOM_JSON, accepts_json, multipart, new_boundary

# As imaging.services writes it into a study that waits for its case.
UNATTACHED = "ND-UNATTACHED"


def answer(status: int, message: str, **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class Refused(Exception):
    def __init__(self, status: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.response = answer(status, message, **headers)


def authenticate(request: HttpRequest) -> User:
    header = request.headers.get("Authorization", "")
    challenge = {"WWW_Authenticate": 'Bearer realm="NeuroDaraja DICOMweb"'}
    if header.lower().startswith("bearer "):
        user = ApiTokenAuth().authenticate(request, header.split(" ", 1)[1].strip())
        if user is None:
            raise Refused(
                401, _("This API token is not valid: it may have expired or been revoked."), **challenge
            )
        return user
    if not request.user.is_authenticated:
        raise Refused(401, _("Sign in, or send a personal API token (Authorization: Bearer …)."), **challenge)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # Exempted from the middleware for token clients; a browser session still needs the token.
        middleware = CsrfViewMiddleware(lambda r: HttpResponse())
        if middleware.process_view(request, lambda r: HttpResponse(), (), {}) is not None:
            raise Refused(403, _("The page has expired: reload it and try again."))
    return cast(User, request.user)


def _not_found() -> HttpResponse:
    return answer(404, _("Not found, or you do not have access to it."))


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Method check, authentication, and the platform's refusals as short texts."""

    def wrap(handler: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                return answer(405, _("This method is not allowed here."), Allow=", ".join(methods))
            try:
                return handler(request, authenticate(request), *args, **kwargs)
            except Refused as refused:
                return refused.response
            except Http404:
                return _not_found()

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return csrf_exempt(view)

    return wrap


def json_answer(data: Any, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=DICOM_JSON)
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def require_json(request: HttpRequest) -> None:
    if not accepts_json(request.headers.get("Accept", "")):
        raise Refused(406, _("Search results and metadata are sent as application/dicom+json."))


def multipart_answer(
    media: str, parts: Iterable[tuple[str, Callable[[], Iterable[bytes]]]]
) -> StreamingHttpResponse:
    """A streamed multipart/related answer: each part read only when its turn comes."""
    boundary = new_boundary()
    response = StreamingHttpResponse(
        multipart(boundary, parts), content_type=f'multipart/related; type="{media}"; boundary={boundary}'
    )
    response["Cache-Control"] = "no-store"
    return response


def pseudonym(study: Study) -> str:
    return study.case.code if study.case else UNATTACHED

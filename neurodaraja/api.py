"""The JSON API under /api/v1/, with its OpenAPI description at /api/v1/openapi.json."""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.types import DictStrAny

from accounts.api import router as accounts_router
from accounts.api_auth import ApiTokenAuth
from consultations.api import router as consultations_router
from core.api import router as core_router
from core.api_errors import describe_validation_errors
from core.errors import ActionError, FieldErrors
from imaging.api import router as imaging_router
from library.api import router as library_router
from scores.api import router as scores_router
from training.api import router as training_router
from training.assessments.api import router as assessments_router
from training.certificates.api import router as certificates_router
from training.quizzes.api import router as quizzes_router
from training.sessions.api import router as sessions_router

logger = logging.getLogger(__name__)


# Every JSON body the API declares is an object, a few levels deep at most (a case, its
# findings, a list of people); test_api_bodies walks the OpenAPI description to keep it so.
MAX_BODY_DEPTH = 16


class BodyRefused(Exception):
    """A request body that is not the JSON object the operation declares."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(code)
        self.message, self.code = message, code


def _depth(value: object) -> int:
    # Counted without recursion: the point is to refuse what recursion would choke on.
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_BODY_DEPTH:
                break
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class JsonObjectParser(Parser):
    """Reads a body only when it says it is JSON, and only a JSON object: django-ninja would
    read a text/plain or form body as JSON, and its schemas read the attributes of whatever
    they are given, so a list, a string or null passed as an empty profile change."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        media = getattr(request, "content_type", None)
        if media is None:
            # One field of a multipart form, which django-ninja reads as JSON on its own.
            return cast(DictStrAny, json.loads(request.body))
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise BodyRefused(
                _("Send the body as JSON, with the header Content-Type: application/json."),
                "unsupported_media_type",
            )
        try:
            data = json.loads(request.body)
        except RecursionError as error:
            raise BodyRefused(_("The request body is nested too deeply."), "malformed") from error
        if not isinstance(data, dict):
            raise BodyRefused(_("The request body must be a JSON object."), "malformed")
        if _depth(data) > MAX_BODY_DEPTH:
            raise BodyRefused(_("The request body is nested too deeply."), "malformed")
        return cast(DictStrAny, data)


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "<app>_api_<function>", whatever module of the app's api package holds the endpoint, so
        # a client generated from the description keeps working when an app splits its API.
        app = operation.view_func.__module__.split(".")[0]
        return f"{app}_api_{operation.view_func.__name__}"


api = Api(
    title="NeuroDaraja API",
    version="1",
    description="Tele-consultation, training and research platform of the China–Tanzania "
    "neurosurgery partnership. Authenticate with a personal token: `Authorization: Bearer nd_…`.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    parser=JsonObjectParser(),
)
api.add_router("/", accounts_router)
api.add_router("/", consultations_router)
api.add_router("/", core_router)
api.add_router("/", scores_router)
api.add_router("/", imaging_router)
api.add_router("/", training_router)
api.add_router("/", assessments_router)
api.add_router("/", sessions_router)
api.add_router("/", quizzes_router)
api.add_router("/", certificates_router)
api.add_router("/", library_router)


def _answer(request: HttpRequest, status: int, detail: Any, code: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _answer(request, 422, describe_validation_errors(exc.errors), "invalid")


@api.exception_handler(FieldErrors)
def invalid_fields(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
    return _answer(request, 422, exc.errors, "invalid")


@api.exception_handler(DjangoValidationError)
def invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    detail: list[dict[str, Any]]
    if hasattr(exc, "error_dict"):
        detail = [
            {"field": name, "message": str(message)}
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        detail = [{"field": None, "message": str(message)} for message in exc.messages]
    return _answer(request, 422, detail, "invalid")


@api.exception_handler(ActionError)
def refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
    if exc.fields:
        body = {"detail": str(exc.message), "code": exc.code, "fields": list(exc.fields)}
        return api.create_response(request, body, status=exc.status)
    return _answer(request, exc.status, str(exc.message), exc.code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _answer(
        request,
        401,
        _("A valid API token is required (Authorization: Bearer …)."),
        "unauthenticated",
    )


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _answer(request, 403, _("Your role does not allow this."), "forbidden")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, _("Not found, or you do not have access to it."), "not_found")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, BodyRefused):  # django-ninja wraps what the parser raised
        return _answer(request, exc.status_code, exc.__cause__.message, exc.__cause__.code)
    messages = {
        # django-ninja raises a 400 when the body is not valid JSON.
        400: (_("The request body is not valid JSON."), "malformed"),
        401: (_("A valid API token is required (Authorization: Bearer …)."), "unauthenticated"),
        403: (_("Your role does not allow this."), "forbidden"),
        404: (_("Not found, or you do not have access to it."), "not_found"),
        405: (_("This method is not allowed here."), "method_not_allowed"),
    }
    message, code = messages.get(exc.status_code, (_("The request could not be handled."), "error"))
    return _answer(request, exc.status_code, message, code)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A multipart body without its boundary, a cut-off upload, too many fields.
    return _answer(request, 400, _("The request could not be handled."), "malformed")


@api.exception_handler(Exception)
def failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback for the administrators; the client gets JSON, never a debug page.
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return _answer(request, 500, _("Something went wrong"), "error")


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """The JSON answer for an endpoint asked with a method it does not take (django-ninja answers
    it as plain text), with the methods it takes in `Allow`, as for every other error."""
    detail = _("This endpoint does not accept %(method)s; it accepts %(allowed)s.") % {
        "method": request.method,
        "allowed": allowed,
    }
    response = _answer(request, 405, detail, "method_not_allowed")
    response["Allow"] = allowed
    return response


def no_such_endpoint(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/v1/ that is no endpoint: the API's own JSON 404, in DEBUG too."""
    return _answer(request, 404, _("Not found, or you do not have access to it."), "not_found")

"""How the API answers when it cannot do what was asked: always JSON, never a 500 for bad input.

Every refusal is `{"detail": "..."}`, except input the API cannot accept (422), which is
`{"detail": [{"field": ..., "message": ...}]}` whether the schema or a service refused it, so a
client handles one shape. A service's messages are the ones the pages show.
"""

from __future__ import annotations

import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

logger = logging.getLogger(__name__)

UNAUTHORISED = "Send a valid API token in the Authorization header, as: Bearer <token>"
NOT_FOUND = "Not found"
FORBIDDEN = "You do not have permission to do this"

# Where ninja says an input came from; the rest of `loc` names the field.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_errors(error: ValidationError) -> list[dict]:
    """A service's ValidationError as [{"field", "message"}], keeping its page messages."""
    if hasattr(error, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": message}
            for field, errors in error.error_dict.items()
            for e in errors
            for message in e.messages
        ]
    return [{"field": None, "message": message} for message in error.messages]


def _schema_field(loc, body_params: set[str]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    # Ninja names the body parameter ("payload"); a client never sees that name.
    if parts and parts[0] in body_params:
        parts = parts[1:]
    return ".".join(parts) or None


def _schema_message(error: dict) -> str:
    return str(error.get("msg") or "This value is not valid")


def register_exception_handlers(api: NinjaAPI, *, body_params: set[str]) -> None:
    def respond(request, data, status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request: HttpRequest, exc: SchemaValidationError):
        errors = [
            {"field": _schema_field(e.get("loc", ()), body_params), "message": _schema_message(e)}
            for e in exc.errors
            if isinstance(e, dict)
        ]
        return respond(request, {"detail": errors}, 422)

    @api.exception_handler(ValidationError)
    def service_invalid(request: HttpRequest, exc: ValidationError):
        return respond(request, {"detail": field_errors(exc)}, 422)

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError):
        response = respond(request, {"detail": UNAUTHORISED}, 401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError):
        return respond(request, {"detail": str(exc)}, exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return respond(request, {"detail": NOT_FOUND}, 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        return respond(request, {"detail": str(exc) or FORBIDDEN}, 403)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig):
        return respond(request, {"detail": "The request body is too large"}, 413)

    @api.exception_handler(SuspiciousOperation)
    def bad_request(request: HttpRequest, exc: SuspiciousOperation):
        return respond(request, {"detail": "The request could not be understood"}, 400)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception):
        # A fault of ours, not the client's: log it in full, answer in the API's own shape.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return respond(request, {"detail": "Sorry, something went wrong on our side"}, 500)

"""The one error shape of the service, and the errors routes and dependencies raise.

Every error response has the body ``{"error": {"code", "message", "field", "problems"}}``:
``code`` is a stable word a program can test, ``message`` a sentence for a person, ``field``
the first input field at fault (or null), and ``problems`` one ``{"field", "message"}`` per
invalid field.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error to return to the client with ``status`` and the one error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        problems: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.problems = problems or ([{"field": field, "message": message}] if field else [])
        self.headers = headers

    def body(self) -> dict[str, object]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "field": self.field,
                "problems": self.problems,
            }
        }


SIGN_IN_HINT = "sign in or send an API token as 'Authorization: Bearer <token>'"


def not_signed_in(message: str = SIGN_IN_HINT) -> ApiError:
    return ApiError(401, "not_authenticated", message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(what: str, field_name: str | None = None) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found", field_name)


def invalid(field_name: str, message: str) -> ApiError:
    problems = [{"field": field_name, "message": message}]
    return ApiError(422, "invalid_input", f"{field_name}: {message}", field_name, problems)


def conflict(message: str, field_name: str | None = None) -> ApiError:
    return ApiError(409, "conflict", message, field_name)

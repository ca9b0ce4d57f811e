"""DomainError and the friendly error pages."""

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from fccnet.extensions import db


class DomainError(Exception):
    """A business rule refused a change. The message is shown to the person.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class ConflictError(DomainError):
    """Someone saved the record since this form was opened (its version moved on).

    `current` is the record as it is now, for the 409 page that shows both versions.
    """

    def __init__(self, current):
        super().__init__(ERROR_PAGES[409][1])
        self.current = current


ERROR_PAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Go back, reload the page and try again."),
    ),
    403: (_l("Not allowed"), _l("Your account is not allowed to do this.")),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. Check the link or go back to the home page."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    409: (
        _l("Someone else changed this"),
        _l("This record was changed by someone else while you were editing it. Nothing was saved."),
    ),
    413: (_l("File too large"), _l("The file or form you sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait 15 minutes and try again.")),
    500: (
        _l("Something went wrong"),
        _l("Something went wrong on our side. Nothing was saved. Try again in a moment."),
    ),
}


STATIC_SERVER_ERROR_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Something went wrong · fccnet</title></head>
<body><main>
<h1>Something went wrong</h1>
<p>Something went wrong on our side. Nothing was saved. Try again in a moment.</p>
<p lang="es">Algo salió mal de nuestro lado. No se guardó nada. Inténtelo de nuevo en un momento.</p>
</main></body>
</html>"""


def render_error(code: int, message=None):
    title, default_message = ERROR_PAGES[code]
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=message or default_message
        ),
        code,
    )


def register_errorhandlers(app: Flask) -> None:
    def handle_http(error: HTTPException):
        if error.code not in ERROR_PAGES:
            return error
        response = make_response(render_error(error.code))
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    def handle_csrf(error: CSRFError):
        return render_error(
            400,
            _l("Your form expired or was sent from somewhere else. Reload the page and try again."),
        )

    def handle_server_error(error: InternalServerError):
        # Flask has already logged the original exception; drop its half-done work.
        db.session.rollback()
        try:
            return render_error(500)
        except Exception:
            # The page itself needs the database (the signed-in user, their language).
            app.logger.exception("The error page could not be rendered")
            return STATIC_SERVER_ERROR_PAGE, 500

    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_server_error)

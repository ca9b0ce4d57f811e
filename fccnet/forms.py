"""Field helpers every domain's forms share."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# C0 controls (NUL included; PostgreSQL refuses NUL in text) except tab, newline
# and carriage return, DEL, C1 controls, and bidirectional overrides, which can
# make text display differently from what it is.
_FORBIDDEN_MULTILINE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_FORBIDDEN_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip(value):
    return value.strip() if isinstance(value, str) else value


class PlainText:
    """Refuses control and direction-override characters (and line breaks unless multiline)."""

    def __init__(self, multiline: bool = False):
        self.pattern = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_SINGLE_LINE

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and self.pattern.search(field.data):
            raise ValidationError(
                _l(
                    "Remove the invisible or control characters (such as line breaks) from this field."
                )
            )


def show_domain_error(form, error) -> None:
    """Put a DomainError next to the field it names, or above the form."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))

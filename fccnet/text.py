"""Rules for free text that every domain shares."""

import re

from flask_babel import lazy_gettext as _l

from fccnet.errors import DomainError

# C0 controls (NUL included; PostgreSQL refuses NUL in text) except tab, newline
# and carriage return, DEL, C1 controls, and bidirectional overrides, which can
# make text display differently from what it is.
_FORBIDDEN_MULTILINE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_FORBIDDEN_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_forbidden_characters(text: str, *, multiline: bool = False) -> bool:
    pattern = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_SINGLE_LINE
    return bool(pattern.search(text))


REQUIRED = _l("This field is required.")
CONTROL_CHARACTERS = _l(
    "Remove the invisible or control characters (such as line breaks) from this field."
)


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """The text without surrounding spaces, or DomainError naming `field`."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(REQUIRED, field=field)
    if len(value) > max_length:
        raise DomainError(_l("Use at most %(n)d characters.", n=max_length), field=field)
    if has_forbidden_characters(value, multiline=multiline):
        raise DomainError(CONTROL_CHARACTERS, field=field)
    return value

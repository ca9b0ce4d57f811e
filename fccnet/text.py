"""Rules for free text that every domain shares."""

import re

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

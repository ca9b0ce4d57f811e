"""Field helpers every domain's forms share."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from fccnet.text import has_forbidden_characters


def strip(value):
    return value.strip() if isinstance(value, str) else value


class PlainText:
    """Refuses control and direction-override characters (and line breaks unless multiline)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and has_forbidden_characters(
            field.data, multiline=self.multiline
        ):
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


def conflict_rows(form, current) -> list[tuple[str, object, object]]:
    """(label, what this person entered, what is saved now) for each field that differs,
    for the 409 page: nothing typed is lost, and the form can be saved again."""
    rows = []
    for field in form:
        if field.name in ("csrf_token", "version") or not hasattr(current, field.name):
            continue
        saved = getattr(current, field.name)
        if saved != field.data and not (saved in (None, "") and field.data in (None, "")):
            rows.append((field.label.text, field.data, saved))
    return rows

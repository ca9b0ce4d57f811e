"""Field helpers every domain's forms share, and saving a form's change."""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import wtforms
from flask import request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from fccnet.errors import ConflictError, DomainError
from fccnet.extensions import db
from fccnet.text import has_forbidden_characters


class QuickSelect(Select):
    """A <select> whose options render without WTForms' generic attribute builder:
    the coach lists of a large network have hundreds of options on every page."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        attributes = "".join(
            f' {escape(name)}="{escape(str(value))}"'
            for name, value in (choice.render_kw or {}).items()
        )
        selected = " selected" if choice.selected else ""
        label = choice.label if choice.label is not None else choice.value
        html = f'<option value="{escape(str(choice.value))}"{attributes}{selected}>{escape(str(label))}</option>'
        # Every part is escaped above (html.escape, quotes included).
        return Markup(html)  # noqa: S704  # nosec B704


class SelectField(wtforms.SelectField):
    """WTForms' select field, rendered by QuickSelect: every form uses this one."""

    widget = QuickSelect()


def filter_query(form) -> dict[str, list[str]]:
    """The query-string arguments a GET filter form reads, to carry into a link or a
    redirect: anything else in the address (a stray `name`, `_external`) is left behind."""
    return {
        name: values
        for name, values in request.args.to_dict(flat=False).items()
        if name in form._fields
    }


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


def find_field(fields, name: str):
    """The field of this name, also inside lists of subforms ("rows-2-hours")."""
    for field in fields:
        if field.name == name:
            return field
        if isinstance(field, wtforms.FieldList | wtforms.FormField):
            found = find_field(field, name)
            if found is not None:
                return found
    return None


def invalid_fields(fields):
    """The fields with errors, also inside lists of subforms (for the error summary)."""
    for field in fields:
        if isinstance(field, wtforms.FieldList | wtforms.FormField):
            yield from invalid_fields(field)
        elif field.errors:
            yield field


def show_domain_error(form, error) -> None:
    """Put a DomainError next to the field it names, or above the form."""
    field = find_field(form, error.field) if error.field else None
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


def show_conflict(form, current) -> None:
    """The 409 page's rows on the form, which now carries the saved version."""
    form.conflict = conflict_rows(form, current)
    form.version.data = current.version


CONCURRENT_CHANGE = _l(
    "Someone else saved a change at the same moment. Check the values and save again."
)


@dataclass(frozen=True)
class Saved:
    """What `save` answers: true when saved, with what the service returned."""

    ok: bool
    value: object = None

    def __bool__(self) -> bool:
        return self.ok


def save(form, action: Callable[[], object], *, taken: tuple[str, object] | None = None) -> Saved:
    """Run the service call `action` and commit; true (with its result) when saved.

    Otherwise everything is rolled back and the form shows why, next to the field:
    a DomainError's message; a ConflictError (the record was saved by someone else
    since the form was opened) as `form.conflict`, the rows of the 409 page; or,
    when a unique constraint caught a concurrent duplicate, `taken` = (field, message).
    """
    try:
        value = action()
        db.session.commit()
        return Saved(True, value)
    except ConflictError as error:
        db.session.rollback()
        show_conflict(form, error.current)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
    except IntegrityError:
        db.session.rollback()
        field, message = taken or (None, CONCURRENT_CHANGE)
        show_domain_error(form, DomainError(message, field=field))
    except StaleDataError:
        # A versioned record saved by someone else between the version check and the flush.
        db.session.rollback()
        form.form_errors.append(CONCURRENT_CHANGE)
    return Saved(False)


def page_status(form) -> int:
    """409 for a form that met a conflicting change, else 200."""
    return 409 if getattr(form, "conflict", None) is not None else 200

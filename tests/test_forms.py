"""fccnet.forms.save: whatever refuses a change, the form says so and nothing is kept."""

from sqlalchemy import update

from fccnet.extensions import db
from fccnet.forms import CONCURRENT_CHANGE, save
from fccnet.providers.models import Provider
from tests import factories


class _Form:
    def __init__(self):
        self.form_errors = []
        self._fields = {}


def test_a_record_saved_by_someone_else_during_the_save_is_a_message_not_a_500(ctx):
    factories.ensure_defaults()
    actor = factories.create_user(role="manager").load()
    provider = factories.create_provider(actor=actor, legal_name="Before")
    db.session.commit()
    assert provider.version == 1  # this request has read the record
    # Another request commits a change meanwhile, on its own connection.
    with db.engine.begin() as other:
        other.execute(
            update(Provider)
            .where(Provider.id == provider.id)
            .values(legal_name="Theirs", version=Provider.version + 1)
        )
    form = _Form()

    def change():
        provider.legal_name = "Mine"
        db.session.flush()

    saved = save(form, change)

    assert not saved
    assert [str(message) for message in form.form_errors] == [str(CONCURRENT_CHANGE)]
    assert db.session.get(Provider, provider.id).legal_name == "Theirs"

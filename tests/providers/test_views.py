"""Provider pages over HTTP: confidentiality, conflicts, uploads, duplicates, lists."""

import re

import pytest
from sqlalchemy import func, select

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role
from fccnet.extensions import db
from fccnet.licensing.models import ChecklistItem, Document, ItemStatus
from fccnet.providers import services
from fccnet.providers.models import Provider
from tests import factories

SENTINEL_NOTE = "SENTINEL-STAFF-NOTE-7f3a"
SENTINEL_MEMBER = "Sentinel Member Zq"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def people(app):
    with app.app_context():
        factories.ensure_defaults()
        manager = factories.create_user(role=Role.MANAGER)
        coach = factories.create_user(role=Role.COACH)
        provider_user = factories.create_user(role=Role.PROVIDER)
        other_user = factories.create_user(role=Role.PROVIDER)
        actor = coach.load()
        own = factories.create_provider(
            actor=actor, coach=actor, legal_name="Own Person", staff_notes=SENTINEL_NOTE
        )
        own.user_id = provider_user.id
        services.add_household_member(
            own,
            {
                "name": SENTINEL_MEMBER,
                "relationship_to_provider": "brother",
                "born_on": factories_date(1980),
            },
            actor=actor,
        )
        other = factories.create_provider(actor=actor, legal_name="Other Person")
        other.user_id = other_user.id
        db.session.commit()
        return {
            "manager": manager,
            "coach": coach,
            "provider": provider_user,
            "other_user": other_user,
            "own": own.id,
            "other": other.id,
        }


def factories_date(year):
    from datetime import date

    return date(year, 6, 15)


def test_a_provider_never_sees_staff_notes_or_household_details(client, auth, people):
    auth.sign_in(people["provider"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Own Person" in page
    assert SENTINEL_NOTE not in page
    assert SENTINEL_MEMBER not in page
    assert "Record history" not in page
    for path in ["/", f"/providers/{people['own']}/contact"]:
        html = client.get(path).get_data(as_text=True)
        assert SENTINEL_NOTE not in html and SENTINEL_MEMBER not in html


def test_staff_see_the_whole_record(client, auth, people):
    auth.sign_in(people["coach"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert SENTINEL_NOTE in page and SENTINEL_MEMBER in page


def test_another_providers_record_is_a_404_like_a_missing_one(client, auth, people):
    auth.sign_in(people["provider"])
    other = client.get(f"/providers/{people['other']}")
    missing = client.get("/providers/999999")
    assert other.status_code == missing.status_code == 404

    # Identical but for the address itself (the language switcher comes back to it)
    # and the CSRF tokens, which carry the time they were made.
    def normalised(response, path):
        body = response.get_data(as_text=True).replace(path, "X")
        return re.sub(r'name="csrf_token" value="[^"]*"', "", body)

    assert normalised(other, f"/providers/{people['other']}") == normalised(
        missing, "/providers/999999"
    )


def test_opening_a_record_is_audited(app, client, auth, people):
    auth.sign_in(people["manager"])
    client.get(f"/providers/{people['own']}")
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "provider.viewed")
        ).one()
        assert (event.actor_id, event.target_id) == (people["manager"].id, people["own"])


def test_a_stale_edit_gets_409_with_both_versions_and_loses_nothing(app, client, auth, people):
    auth.sign_in(people["coach"])
    form = client.get(f"/providers/{people['own']}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    with app.app_context():
        provider = db.session.get(Provider, people["own"])
        services.update_provider(
            provider,
            {"legal_name": "Saved By Someone Else"},
            actor=people["manager"].load(),
            expected_version=None,
        )
        db.session.commit()
        town_id, hood_id = provider.town_id, provider.neighborhood_id
    data = {
        "version": version,
        "legal_name": "My Unsaved Name",
        "town_id": town_id,
        "neighborhood_id": hood_id,
        "first_contact_on": "2026-01-05",
        "preferred_language": "en",
    }
    response = client.post(f"/providers/{people['own']}/edit", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "My Unsaved Name" in html and "Saved By Someone Else" in html
    with app.app_context():
        assert db.session.get(Provider, people["own"]).legal_name == "Saved By Someone Else"
    # The form now carries the current version: saving again works.
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.post(
        f"/providers/{people['own']}/edit", data={**data, "version": new_version}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Provider, people["own"]).legal_name == "My Unsaved Name"


def test_creating_a_possible_duplicate_warns_first(app, client, auth, people):
    auth.sign_in(people["coach"])
    with app.app_context():
        town, hood = factories.town().id, factories.neighborhood().id
    data = {
        "legal_name": "own person",
        "town_id": town,
        "neighborhood_id": hood,
        "first_contact_on": "2026-11-01",
        "preferred_language": "en",
    }
    response = client.post("/providers/new", data=data)
    assert response.status_code == 200
    assert b"This may be someone we already know" in response.data
    assert f'href="/providers/{people["own"]}"'.encode() in response.data
    confirmed = client.post("/providers/new", data={**data, "confirm_new": "yes"})
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Provider)) == 3


def test_a_provider_edits_only_their_contact_details(app, client, auth, people):
    auth.sign_in(people["provider"])
    response = client.post(
        f"/providers/{people['own']}/contact",
        data={
            "phone": "860-555-0177",
            "email": "me@example.org",
            "preferred_language": "es",
            "legal_name": "Hacked",
            "staff_notes": "x",
            "coach_id": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        provider = db.session.get(Provider, people["own"])
        assert provider.phone == "+18605550177" and provider.preferred_language == "es"
        assert provider.legal_name == "Own Person" and provider.staff_notes == SENTINEL_NOTE
    assert client.get(f"/providers/{people['own']}/edit").status_code == 403


def upload(client, provider_id, content, filename):
    from io import BytesIO

    return client.post(
        f"/providers/{provider_id}/documents",
        data={"file": (BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_uploads_are_checked_by_content(app, client, auth, people):
    auth.sign_in(people["coach"])
    refused = upload(client, people["own"], b"MZ\x90\x00 not a pdf", "certificate.pdf")
    assert refused.status_code == 400
    assert b"Upload a PDF, JPEG or PNG file." in refused.data
    accepted = upload(client, people["own"], PNG, "../../etc/photo.pdf")
    assert accepted.status_code == 302
    with app.app_context():
        document = db.session.scalars(select(Document)).one()
        assert document.content_type == "image/png"
        assert document.filename == "photo.png"


def test_oversized_uploads_are_refused(app, client, auth, people):
    auth.sign_in(people["coach"])
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client, people["own"], big, "big.pdf")
    assert response.status_code == 400
    assert b"larger than 10 MB" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_downloads_are_attachments_behind_the_record_rules(app, client, auth, people):
    auth.sign_in(people["coach"])
    upload(client, people["own"], PDF, "evidence.pdf")
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
    auth.sign_out()
    auth.sign_in(people["provider"])
    response = client.get(f"/providers/{people['own']}/documents/{document_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    auth.sign_out()
    auth.sign_in(people["other_user"])
    assert client.get(f"/providers/{people['own']}/documents/{document_id}").status_code == 404
    assert client.get(f"/providers/{people['other']}/documents/{document_id}").status_code == 404


def test_moving_to_licensed_through_the_form(app, client, auth, people):
    auth.sign_in(people["coach"])
    with app.app_context():
        from fccnet.licensing.models import Stage

        licensed = db.session.scalar(select(Stage.id).where(Stage.key == "licensed"))
    missing = client.post(f"/providers/{people['own']}/stage", data={"stage_id": licensed})
    assert missing.status_code == 200
    assert b'id="license_number-error"' in missing.data
    response = client.post(
        f"/providers/{people['own']}/stage",
        data={
            "stage_id": licensed,
            "license_number": "DA-777",
            "license_issued_on": "2026-11-01",
            "capacity_full_time": "6",
            "capacity_school_age": "3",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "DA-777" in page


def test_updating_an_item_and_a_stale_item_form(app, client, auth, people):
    auth.sign_in(people["coach"])
    with app.app_context():
        item = db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.provider_id == people["own"]).limit(1)
        ).one()
        item_id, version = item.id, item.version
    url = f"/providers/{people['own']}/items/{item_id}"
    ok = client.post(url, data={"status": "done", "completed_on": "2026-11-02", "version": version})
    assert ok.status_code == 302
    stale = client.post(
        url, data={"status": "waived", "waived_reason": "not needed", "version": version}
    )
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(ChecklistItem, item_id).status is ItemStatus.DONE


def test_the_list_searches_and_filters(app, client, auth, people):
    with app.app_context():
        actor = people["coach"].load()
        factories.create_provider(
            actor=actor,
            legal_name="Zoila Ramírez",
            phone="860-555-0188",
            business_name="Little Stars",
        )
        factories.create_provider(
            actor=actor,
            legal_name="Enfield Person",
            town_id=factories.town("Enfield").id,
            neighborhood_id=None,
        )
    auth.sign_in(people["coach"])

    def names(**query):
        html = client.get("/providers", query_string=query).get_data(as_text=True)
        return set(re.findall(r'href="/providers/\d+">([^<]+)</a>', html))

    assert names(q="ramirez") == set()  # accents matter in search
    assert names(q="ramírez") == {"Zoila Ramírez"}
    assert names(q="little") == {"Zoila Ramírez"}
    assert names(q="555-0188") == {"Zoila Ramírez"}
    assert names(q="8605550188") == {"Zoila Ramírez"}
    assert names(town=factories_town_id(app, "Enfield")) == {"Enfield Person"}
    assert "Own Person" in names(coach=people["coach"].id)
    assert "Other Person" not in names(coach=people["coach"].id)


def factories_town_id(app, name):
    with app.app_context():
        return factories.town(name).id


def test_documents_of_household_members_items_stay_with_staff(app, client, auth, people):
    with app.app_context():
        from fccnet.licensing import services as licensing_services

        provider = db.session.get(Provider, people["own"])
        member_item = db.session.scalars(
            select(ChecklistItem).where(
                ChecklistItem.provider_id == provider.id,
                ChecklistItem.household_member_id.is_not(None),
            )
        ).first()
        document = licensing_services.store_document(
            provider,
            PDF,
            "brother-fingerprints.pdf",
            actor=people["coach"].load(),
            item=member_item,
        )
        db.session.commit()
        document_id = document.id
    auth.sign_in(people["provider"])
    assert b"brother-fingerprints" not in client.get(f"/providers/{people['own']}").data
    assert client.get(f"/providers/{people['own']}/documents/{document_id}").status_code == 404
    auth.sign_out()
    auth.sign_in(people["coach"])
    assert client.get(f"/providers/{people['own']}/documents/{document_id}").status_code == 200


def test_one_click_next_stage_and_mark_done(app, client, auth, people):
    auth.sign_in(people["coach"])
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Move to Orientation" in page
    stage_id = re.search(r'name="stage_id" value="(\d+)"', page).group(1)
    assert (
        client.post(f"/providers/{people['own']}/stage", data={"stage_id": stage_id}).status_code
        == 302
    )
    page = client.get(f"/providers/{people['own']}").get_data(as_text=True)
    assert "Move to Preparing application" in page
    form = re.search(
        r'<form method="post" action="(/providers/\d+/items/\d+)" class="d-inline ms-2">(.*?)</form>',
        page,
        re.S,
    )
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert client.post(form.group(1), data=data).status_code == 302
    item_id = int(form.group(1).rsplit("/", 1)[1])
    with app.app_context():
        item = db.session.get(ChecklistItem, item_id)
        assert item.status is ItemStatus.DONE and item.completed_on is not None


def test_a_stale_household_member_form_gets_409(app, client, auth, people):
    from fccnet.providers.models import HouseholdMember

    auth.sign_in(people["coach"])
    with app.app_context():
        member = db.session.scalars(
            select(HouseholdMember).where(HouseholdMember.provider_id == people["own"])
        ).one()
        member_id, version = member.id, member.version
        services.update_household_member(
            member,
            {"relationship_to_provider": "cousin"},
            actor=people["manager"].load(),
            expected_version=None,
        )
        db.session.commit()
    response = client.post(
        f"/providers/{people['own']}/household/{member_id}",
        data={
            "version": version,
            "name": SENTINEL_MEMBER,
            "relationship_to_provider": "uncle",
            "born_on": "1980-06-15",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "uncle" in html and "cousin" in html
    with app.app_context():
        assert db.session.get(HouseholdMember, member_id).relationship_to_provider == "cousin"

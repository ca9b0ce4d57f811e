"""Access-matrix cases of the pipeline, checklist and documents."""

from tests.access_matrix import Case, signed_in

OWN = {"provider_id": "own_provider"}
OTHER = {"provider_id": "other_provider"}
PDF = b"%PDF-1.4\n% test\n"


def items_and_documents(records):
    from sqlalchemy import select

    from fccnet.auth.models import User
    from fccnet.extensions import db
    from fccnet.licensing import services
    from fccnet.licensing.models import ChecklistItem
    from fccnet.providers.models import Provider

    actor = db.session.get(User, records["coach_user"])
    found = {}
    for name in ("own", "other"):
        provider = db.session.get(Provider, records[f"{name}_provider"])
        found[f"{name}_item"] = db.session.scalar(
            select(ChecklistItem.id).where(ChecklistItem.provider_id == provider.id).limit(1)
        )
        found[f"{name}_document"] = services.store_document(
            provider, PDF, f"{name}.pdf", actor=actor
        ).id
    return found


RECORD_BUILDERS = [items_and_documents]

CASES = [
    Case("licensing.move_stage", "GET", signed_in(200, provider=403), url_args=OWN, label="own"),
    Case(
        "licensing.move_stage",
        "GET",
        signed_in(200, coach=403, provider=404),
        url_args=OTHER,
        label="other",
    ),
    Case(
        "licensing.move_stage",
        "POST",
        signed_in(200, provider=403),
        url_args=OWN,
        data={"stage_id": ""},
    ),
    Case(
        "licensing.update_item",
        "GET",
        signed_in(200, provider=403),
        url_args={**OWN, "item_id": "own_item"},
        label="own",
    ),
    Case(
        "licensing.update_item",
        "GET",
        signed_in(200, coach=403, provider=404),
        url_args={**OTHER, "item_id": "other_item"},
        label="other",
    ),
    Case(
        "licensing.update_item",
        "POST",
        signed_in(200, provider=403),
        url_args={**OWN, "item_id": "own_item"},
        data={"status": "waived", "waived_reason": ""},
    ),
    Case("licensing.upload_document", "POST", signed_in(400, provider=403), url_args=OWN),
    Case(
        "licensing.download_document",
        "GET",
        signed_in(200),
        url_args={**OWN, "document_id": "own_document"},
        label="own",
    ),
    Case(
        "licensing.download_document",
        "GET",
        signed_in(200, provider=404),
        url_args={**OTHER, "document_id": "other_document"},
        label="other",
    ),
    Case("compliance.caseload", "GET", signed_in(200, provider=403)),
]

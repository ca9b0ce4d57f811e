"""How audit events read on the audit log page, in the reader's language."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fccnet.auth.forms import ROLE_LABELS
from fccnet.auth.models import Role
from fccnet.settings.services import SETTINGS

ACTION_LABELS = {
    "auth.signed_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.signed_out": _l("Signed out"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.password_link_issued": _l("Set-password link issued"),
    "user.password_set": _l("Password set"),
    # Network settings and managed lists (fccnet.settings)
    "setting.changed": _l("Network setting changed"),
    "town.created": _l("Town added"),
    "town.updated": _l("Town renamed"),
    "town.deactivated": _l("Town deactivated"),
    "town.reactivated": _l("Town reactivated"),
    "neighborhood.created": _l("Neighborhood added"),
    "neighborhood.updated": _l("Neighborhood changed"),
    "referral_source.created": _l("How-heard answer added"),
    "referral_source.updated": _l("How-heard answer changed"),
    "referral_source.deactivated": _l("How-heard answer deactivated"),
    "referral_source.reactivated": _l("How-heard answer reactivated"),
    "stage.created": _l("Pipeline stage added"),
    "stage.updated": _l("Pipeline stage changed"),
    "stage.moved": _l("Pipeline stage moved"),
    "requirement.created": _l("Requirement added"),
    "requirement.updated": _l("Requirement changed"),
    "requirement.moved": _l("Requirement moved"),
    # Provider records (fccnet.providers, fccnet.licensing)
    "provider.created": _l("Provider record created"),
    "provider.updated": _l("Provider record changed"),
    "provider.viewed": _l("Provider record opened"),
    "provider.stage_changed": _l("Stage changed"),
    "provider.coach_assigned": _l("Coach assigned"),
    "provider.deleted": _l("Provider record deleted"),
    "provider.restored": _l("Provider record restored"),
    "caseload.reassigned": _l("Caseload moved"),
    "household_member.created": _l("Household member added"),
    "household_member.updated": _l("Household member changed"),
    "checklist_item.updated": _l("Checklist item changed"),
    "document.uploaded": _l("Document uploaded"),
    # Training (fccnet.training, fccnet.attendance, fccnet.credits)
    "course.created": _l("Course added"),
    "course.updated": _l("Course changed"),
    "training_session.created": _l("Training session scheduled"),
    "training_session.updated": _l("Training session changed"),
    "training_session.cancelled": _l("Training session cancelled"),
    "registration.created": _l("Registered for a training session"),
    "registration.cancelled": _l("Training registration cancelled"),
    "registration.promoted": _l("Moved up from the waitlist"),
    "registration.walk_in": _l("Walk-in added to a roster"),
    "attendance.recorded": _l("Attendance recorded"),
    "credit.created": _l("Training credit added"),
    "credit.updated": _l("Training credit corrected"),
    "credit.removed": _l("Training credit removed"),
    "credit.submitted": _l("Training from elsewhere submitted"),
    "credit.approved": _l("Training credit approved"),
    "credit.rejected": _l("Training credit rejected"),
    "calendar_feed.regenerated": _l("Calendar feed address replaced"),
    "ckc_area.created": _l("CKC area added"),
    "ckc_area.updated": _l("CKC area changed"),
    "ckc_area.moved": _l("CKC area moved"),
    "ckc_area.deactivated": _l("CKC area deactivated"),
    "ckc_area.reactivated": _l("CKC area reactivated"),
    "credential.created": _l("Credential added"),
    "credential.updated": _l("Credential changed"),
    "credential.moved": _l("Credential moved"),
    "credential.deactivated": _l("Credential deactivated"),
    "credential.reactivated": _l("Credential reactivated"),
}

TARGET_LABELS = {
    "providers": _l("Provider"),
    "household_members": _l("Household member"),
    "checklist_items": _l("Checklist item"),
    "documents": _l("Document"),
    "users": _l("Account"),
    "towns": _l("Town"),
    "neighborhoods": _l("Neighborhood"),
    "referral_sources": _l("How-heard answer"),
    "stages": _l("Pipeline stage"),
    "requirements": _l("Requirement"),
    "courses": _l("Course"),
    "training_sessions": _l("Training session"),
    "registrations": _l("Training registration"),
    "credits": _l("Training credit"),
    "calendar_feeds": _l("Calendar feed"),
    "ckc_areas": _l("CKC area"),
    "credentials": _l("Credential"),
}

FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Active"),
    # Provider records (fccnet.providers, fccnet.licensing)
    "legal_name": _l("Legal name"),
    "preferred_name": _l("Preferred name"),
    "business_name": _l("Business name"),
    "phone": _l("Phone"),
    "street": _l("Street address"),
    "town_id": _l("Town"),
    "neighborhood_id": _l("Neighborhood"),
    "languages": _l("Languages spoken"),
    "preferred_language": _l("Preferred language"),
    "first_contact_on": _l("Date of first contact"),
    "referral_source_id": _l("How they heard of the network"),
    "staff_notes": _l("Staff notes"),
    "has_well": _l("The home has a well"),
    "ages_served": _l("Ages served"),
    "hours_of_operation": _l("Hours of operation"),
    "accepts_care4kids": _l("Accepts Care 4 Kids"),
    "stage": _l("Stage"),
    "closed_reason": _l("Reason for closing"),
    "license_number": _l("License number"),
    "license_issued_on": _l("License issued on"),
    "license_expires_on": _l("Expires"),
    "capacity_full_time": _l("Full-time slots"),
    "capacity_school_age": _l("School-age slots"),
    "coach_id": _l("Coach"),
    "user_id": _l("Sign-in account"),
    "relationship_to_provider": _l("Relationship"),
    "born_on": _l("Date of birth"),
    "moved_in_on": _l("Moved in on"),
    "moved_out_on": _l("Moved out on"),
    "status": _l("Status"),
    "due_on": _l("Due on"),
    "submitted_on": _l("Submitted on"),
    "completed_on": _l("Completed on"),
    "expires_on": _l("Expires on"),
    "waived_reason": _l("Reason for waiving"),
    # Network settings and managed lists (fccnet.settings)
    "key": _l("Internal key"),
    "name_en": _l("Name in English"),
    "name_es": _l("Name in Spanish"),
    "description_en": _l("Description in English"),
    "description_es": _l("Description in Spanish"),
    "promise_zone": _l("In the North Hartford Promise Zone"),
    "is_closed": _l("Closed stage"),
    "position": _l("Order"),
    "applies_to": _l("Applies to"),
    "condition": _l("When"),
    "before_licensing": _l("Needed before licensing"),
    "valid_months": _l("Valid for (months)"),
    "valid_months_at_application": _l("Valid at application for (months)"),
    # Training (fccnet.training, fccnet.attendance, fccnet.credits)
    "title_en": _l("Title in English"),
    "title_es": _l("Title in Spanish"),
    "ckc_area_id": _l("CKC area"),
    "credit_minutes": _l("Credit minutes"),
    "delivery": _l("Delivery"),
    "credential_id": _l("Credential"),
    "course_id": _l("Course"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "location": _l("Location"),
    "meeting_url": _l("Meeting link"),
    "trainer_id": _l("Trainer"),
    "trainer_name": _l("Outside trainer"),
    "capacity": _l("Capacity"),
    "attendance": _l("Attendance"),
    "attended_minutes": _l("Minutes attended"),
    "title": _l("Title"),
    "taken_on": _l("Date taken"),
    "minutes": _l("Minutes"),
    "credential_expires_on": _l("Credential expires on"),
    "requirement_id": _l("Checklist requirement"),
}
FIELD_LABELS.update({key: spec.label for key, spec in SETTINGS.items()})


def describe_value(field: str, value) -> str:
    """A stored old or new value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "role" and value in Role._value2member_map_:
        return str(ROLE_LABELS[Role(value)])
    if field == "language":
        return current_app.config["LANGUAGES"].get(value, value)
    return str(value)

"""The training calendar feed, parsed back as a calendar app would."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from fccnet.training.ical import sessions_calendar
from fccnet.training.models import Course, Delivery, SessionStatus, TrainingSession

pytestmark = pytest.mark.filterwarnings("error")


def course(**overrides) -> Course:
    values = {
        "title_en": "Safe sleep for infants",
        "title_es": "Sueño seguro para bebés",
        "description_en": "Back to sleep, safe cribs; what the rules require.",
        "description_es": "Boca arriba, cunas seguras; lo que exigen las normas.",
        "credit_minutes": 90,
        "delivery": Delivery.IN_PERSON,
    } | overrides
    return Course(**values)


def session(session_id: int, **overrides) -> TrainingSession:
    values = {
        "id": session_id,
        "course": course(),
        "starts_at": datetime(2026, 7, 14, 13, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 7, 14, 14, 30, tzinfo=UTC),
        "location": "Community room, 12 Main St",
        "meeting_url": None,
        "language": "en",
        "capacity": 12,
        "status": SessionStatus.SCHEDULED,
    } | overrides
    return TrainingSession(**values)


def url_of(training_session: TrainingSession) -> str:
    return f"https://fccnet.example/training/sessions/{training_session.id}"


def export(sessions, locale="en", name="Sunrise FCC Network \u2013 training") -> bytes:
    return sessions_calendar(sessions, calendar_name=name, locale=locale, session_url=url_of)


def events(data: bytes) -> dict[str, object]:
    return {str(event["UID"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def sessions():
    return [
        session(41),
        session(
            42,
            course=course(
                title_en="Early literacy, songs; and stories",
                title_es="Lectura temprana, canciones y cuentos",
                description_en="",
                description_es="",
                delivery=Delivery.ONLINE_LIVE,
            ),
            starts_at=datetime(2026, 8, 3, 22, 0, tzinfo=UTC),
            ends_at=datetime(2026, 8, 4, 0, 0, tzinfo=UTC),
            location=None,
            meeting_url="https://meet.example/abc-defg-hij",
        ),
        session(43, status=SessionStatus.CANCELLED),
    ]


def test_calendar_properties(sessions):
    data = export(sessions)
    calendar = Calendar.from_ical(data)

    assert isinstance(data, bytes)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert str(calendar["PRODID"]) == "-//fccnet//Training calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Sunrise FCC Network \u2013 training"
    assert len(calendar.walk("VEVENT")) == 3


def test_one_event_per_session_with_utc_times(sessions):
    data = export(sessions)
    by_uid = events(data)

    assert set(by_uid) == {f"training-session-{n}@fccnet" for n in (41, 42, 43)}
    first = by_uid["training-session-41@fccnet"]
    assert first.decoded("DTSTART") == datetime(2026, 7, 14, 13, 0, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2026, 7, 14, 14, 30, tzinfo=UTC)
    online = by_uid["training-session-42@fccnet"]
    assert online.decoded("DTSTART") == datetime(2026, 8, 3, 22, 0, tzinfo=UTC)
    assert online.decoded("DTEND") == datetime(2026, 8, 4, 0, 0, tzinfo=UTC)
    # Written as UTC ("Z"), not floating local times.
    assert b"DTSTART:20260714T130000Z" in data
    assert b"DTEND:20260714T143000Z" in data
    stamp = first.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)


def test_times_in_another_zone_are_written_in_utc():
    new_york = ZoneInfo("America/New_York")
    data = export(
        [
            session(
                7,
                starts_at=datetime(2026, 7, 14, 9, 0, tzinfo=new_york),
                ends_at=datetime(2026, 7, 14, 10, 30, tzinfo=new_york),
            )
        ]
    )

    assert b"DTSTART:20260714T130000Z" in data
    assert b"DTEND:20260714T143000Z" in data


def test_summary_and_description_in_the_requested_language(sessions):
    english = events(export(sessions, locale="en"))
    spanish = events(export(sessions, locale="es"))

    assert str(english["training-session-41@fccnet"]["SUMMARY"]) == "Safe sleep for infants"
    assert str(spanish["training-session-41@fccnet"]["SUMMARY"]) == "Sueño seguro para bebés"
    # Commas and semicolons survive the round trip (they are escaped in the file).
    assert (
        str(english["training-session-42@fccnet"]["SUMMARY"])
        == "Early literacy, songs; and stories"
    )
    assert (
        str(english["training-session-41@fccnet"]["DESCRIPTION"])
        == "Back to sleep, safe cribs; what the rules require.\n\n"
        "https://fccnet.example/training/sessions/41"
    )
    assert str(spanish["training-session-41@fccnet"]["DESCRIPTION"]).startswith(
        "Boca arriba, cunas seguras; lo que exigen las normas."
    )


def test_online_session_links_the_meeting(sessions):
    online = events(export(sessions))["training-session-42@fccnet"]

    assert str(online["LOCATION"]) == "https://meet.example/abc-defg-hij"
    # No course description: the meeting link, then the session page.
    assert str(online["DESCRIPTION"]) == (
        "https://meet.example/abc-defg-hij\n\nhttps://fccnet.example/training/sessions/42"
    )


def test_location_url_and_status(sessions):
    by_uid = events(export(sessions))

    first = by_uid["training-session-41@fccnet"]
    assert str(first["LOCATION"]) == "Community room, 12 Main St"
    assert str(first["URL"]) == "https://fccnet.example/training/sessions/41"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(by_uid["training-session-42@fccnet"]["STATUS"]) == "CONFIRMED"
    cancelled = by_uid["training-session-43@fccnet"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["URL"]) == "https://fccnet.example/training/sessions/43"


def test_session_without_place_or_link_has_no_location():
    event = events(export([session(9, location=None, meeting_url=None)]))[
        "training-session-9@fccnet"
    ]

    assert "LOCATION" not in event
    assert str(event["URL"]) == "https://fccnet.example/training/sessions/9"


def test_no_sessions_is_an_empty_calendar():
    calendar = Calendar.from_ical(export([]))

    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Sunrise FCC Network \u2013 training"


def test_text_cannot_inject_calendar_lines():
    hostile = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected"
    data = export([session(5, course=course(title_en=hostile), location=hostile)])
    by_uid = events(data)

    assert list(by_uid) == ["training-session-5@fccnet"]
    # The line breaks stay inside the text (escaped, CRLF read back as LF).
    assert str(by_uid["training-session-5@fccnet"]["SUMMARY"]) == hostile.replace("\r\n", "\n")
    assert b"\r\nUID:injected" not in data

"""Training sessions as an iCalendar (RFC 5545) feed, for calendar apps to subscribe to."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from fccnet.training.models import SessionStatus, TrainingSession

PRODID = "-//fccnet//Training calendar//EN"


def _utc(moment: datetime) -> datetime:
    """Stored times are UTC; a naive one (as some drivers return them) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def session_uid(session: TrainingSession) -> str:
    """Stable across downloads, so a calendar updates the event instead of adding another."""
    return f"training-session-{session.id}@fccnet"


def _event(
    session: TrainingSession,
    *,
    locale: str,
    url: str,
    stamp: datetime,
    with_meeting_link: bool,
) -> Event:
    course = session.course
    meeting_url = session.meeting_url if with_meeting_link else None
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(session.starts_at))
    event.add("dtend", _utc(session.ends_at))
    event.add("summary", course.title(locale))
    parts = (course.description(locale), meeting_url, url)
    event.add("description", "\n\n".join(part.strip() for part in parts if part and part.strip()))
    where = session.location or meeting_url
    if where:
        event.add("location", where)
    event.add("url", url)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def sessions_calendar(
    sessions: Iterable[TrainingSession],
    *,
    calendar_name: str,
    locale: str,
    session_url: Callable[[TrainingSession], str],
    with_meeting_links: bool = True,
) -> bytes:
    """One VEVENT per session, titled and described in `locale`, times in UTC.

    `with_meeting_links=False` leaves online sessions' links out, for someone who does
    not hold a seat.

    Cancelled sessions stay in the feed with STATUS:CANCELLED, so that calendars
    which already have them mark them cancelled rather than keep them.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for session in sessions:
        calendar.add_component(
            _event(
                session,
                locale=locale,
                url=session_url(session),
                stamp=stamp,
                with_meeting_link=with_meeting_links,
            )
        )
    return calendar.to_ical()

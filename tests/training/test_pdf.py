"""Transcripts and certificates as PDF, read back as text."""

import io
import unicodedata
from datetime import date

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from fccnet.training.pdf import (
    Certificate,
    Transcript,
    TranscriptLine,
    certificate_pdf,
    transcript_pdf,
)

pytestmark = pytest.mark.filterwarnings("error")

NETWORK = "Sunrise Family Child Care Network"


@pytest.fixture
def request_ctx(app):
    """format_date and format_hours need a request (for the locale)."""
    with app.test_request_context():
        yield


def read(data: bytes) -> PdfReader:
    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]


def line(title: str, **overrides) -> TranscriptLine:
    values = {
        "taken_on": date(2026, 3, 12),
        "title": title,
        "organisation": None,
        "source": "Network session",
        "ckc_area": "Health, safety and nutrition",
        "minutes": 90,
        "status": "Approved",
        "credential": None,
        "credential_expires_on": None,
    } | overrides
    return TranscriptLine(**values)


def transcript(lines: list[TranscriptLine], **overrides) -> Transcript:
    values = {
        "network_name": NETWORK,
        "provider_name": "María Pérez Núñez",
        "period_start": date(2025, 7, 1),
        "period_end": date(2026, 6, 30),
        "generated_on": date(2026, 7, 14),
        "lines": lines,
        "total_minutes": 750,
        "required_minutes": 900,
        "minutes_by_area": [("Health, safety and nutrition", 600), ("Child development", 150)],
    } | overrides
    return Transcript(**values)


def certificate(**overrides) -> Certificate:
    values = {
        "network_name": NETWORK,
        "provider_name": "María Pérez Núñez",
        "course_title": "Pediatric First Aid and CPR",
        "session_date": date(2026, 7, 14),
        "minutes": 90,
        "ckc_area": "Health, safety and nutrition",
        "trainer": "Zoë O\u2019Brien",
        "credential": "Pediatric First Aid",
        "credential_expires_on": date(2028, 7, 14),
        "reference": "C-000123",
        "generated_on": date(2026, 7, 15),
    } | overrides
    return Certificate(**values)


SAMPLE_LINES = [
    line("Safe sleep for infants", taken_on=date(2025, 9, 3), minutes=120),
    line(
        "Pediatric First Aid and CPR",
        taken_on=date(2025, 11, 20),
        minutes=360,
        credential="Pediatric First Aid",
        credential_expires_on=date(2027, 11, 20),
    ),
    line(
        "Early literacy at home",
        taken_on=date(2026, 2, 7),
        organisation="Springfield Public Library",
        source="Elsewhere",
        ckc_area="Child development",
        status="Pending",
        minutes=150,
    ),
]


def test_transcript_shows_the_provider_period_lines_and_totals(request_ctx):
    data = transcript_pdf(transcript(SAMPLE_LINES))
    text = "\n".join(pages_text(data))

    assert NETWORK in text
    assert "Training transcript" in text
    assert "María Pérez Núñez" in text
    assert "Period: July 1, 2025 \u2013 June 30, 2026" in text
    assert "Generated on July 14, 2026" in text
    for heading in ("Date", "Training", "Area", "Status"):
        assert heading in text
    for title in ("Safe sleep for infants", "Pediatric First Aid and CPR", "Early literacy"):
        assert title in text
    # Each line: its date, hours, status; where it was taken; the credential it gave.
    assert "Sep 3, 2025" in text
    assert "Nov 20, 2025" in text
    assert "Springfield Public Library" in text
    assert "Elsewhere" in text
    assert "Credential: Pediatric First Aid" in text
    assert "Expires Nov 20, 2027" in text
    assert "2 Approved" in text
    assert "6 Approved" in text
    assert "2.5 Pending" in text
    # Counted total against the requirement.
    assert "Counted hours: 12.5" in text
    assert "Required each year: 15" in text
    assert "Still needed: 2.5" in text
    assert "Hours by area" in text
    assert "Child development 2.5" in text
    assert "Health, safety and nutrition 10" in text
    assert "Page 1 of 1" in text


def test_transcript_metadata_and_embedded_unicode_font(request_ctx):
    reader = read(transcript_pdf(transcript(SAMPLE_LINES)))

    assert reader.metadata.title == "Training transcript \u2013 María Pérez Núñez"
    assert reader.metadata.author == NETWORK
    fonts = reader.pages[0]["/Resources"]["/Font"]
    base_fonts = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert base_fonts
    assert all("DejaVu" in name for name in base_fonts)


def test_transcript_when_the_requirement_is_met(request_ctx):
    data = transcript_pdf(transcript(SAMPLE_LINES, total_minutes=960))
    text = pages_text(data)[0]

    assert "Counted hours: 16" in text
    assert "The annual requirement is met." in text
    assert "Still needed" not in text


def test_empty_transcript(request_ctx):
    data = transcript_pdf(transcript([], total_minutes=0, minutes_by_area=[]))
    (text,) = pages_text(data)

    assert "No training in this period." in text
    assert "Counted hours: 0" in text
    assert "Still needed: 15" in text
    assert "Hours by area" not in text


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Ánh",
        "Zoë O\u2019Brien",
        # The same Vietnamese name typed with combining accents prints composed.
        unicodedata.normalize("NFD", "Nguyễn Thị Ánh"),
    ],
)
def test_any_name_prints(request_ctx, name):
    expected = unicodedata.normalize("NFC", name)

    transcript_text = pages_text(transcript_pdf(transcript(SAMPLE_LINES, provider_name=name)))[0]
    certificate_text = pages_text(certificate_pdf(certificate(provider_name=name)))[0]

    assert expected in transcript_text
    assert expected in certificate_text


def test_long_transcript_spans_pages_with_headers_and_footers(request_ctx):
    lines = [
        line(
            f"Course {number:02d}: responsive caregiving, routines and transitions"
            + (" for mixed-age groups in a family child care home" if number % 3 == 0 else ""),
            taken_on=date(2025, 7 + number % 6, 1 + number % 28),
        )
        for number in range(1, 61)
    ]
    data = transcript_pdf(transcript(lines, total_minutes=5400))
    texts = pages_text(data)

    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert "María Pérez Núñez" in text
        assert NETWORK in text
    # The table header is repeated on every page the table runs onto.
    table_pages = [text for text in texts if "Course " in text]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "Date" in text
        assert "Training" in text
        assert "Status" in text
    # Every line is there, once (long titles wrap; the course number starts the title).
    everything = "\n".join(texts)
    for number in range(1, 61):
        assert everything.count(f"Course {number:02d}:") == 1
    assert "Counted hours: 90" in texts[-1]


def test_spanish_transcript_uses_spanish_dates_and_numbers(app):
    with app.test_request_context(), force_locale("es"):
        data = transcript_pdf(transcript(SAMPLE_LINES))
    text = "\n".join(pages_text(data))

    assert "1 de julio de 2025" in text
    assert "30 de junio de 2026" in text
    assert "14 de julio de 2026" in text
    assert "12,5" in text
    assert "2,5" in text
    assert "12.5" not in text
    assert "July" not in text


def test_certificate_is_one_landscape_page_with_every_detail(request_ctx):
    data = certificate_pdf(certificate())
    reader = read(data)

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height
    text = reader.pages[0].extract_text()
    assert NETWORK in text
    assert "Certificate of completion" in text
    assert "This certifies that" in text
    assert "María Pérez Núñez" in text
    assert "completed" in text
    assert "Pediatric First Aid and CPR" in text
    assert "Date: July 14, 2026" in text
    assert "1.5" in text
    assert "Area: Health, safety and nutrition" in text
    assert "Trainer: Zoë O\u2019Brien" in text
    assert "Credential: Pediatric First Aid" in text
    assert "Expires July 14, 2028" in text
    assert "C-000123" in text
    assert "Generated on July 15, 2026" in text
    assert reader.metadata.title == "Certificate of completion \u2013 María Pérez Núñez"
    assert reader.metadata.author == NETWORK


def test_certificate_without_credential_or_trainer(request_ctx):
    data = certificate_pdf(certificate(credential=None, credential_expires_on=None, trainer=""))
    (text,) = pages_text(data)

    assert "Pediatric First Aid and CPR" in text
    assert "Credential" not in text
    assert "Expires" not in text
    assert "Trainer" not in text


def test_certificate_credential_valid_for_ever(request_ctx):
    data = certificate_pdf(certificate(credential="Orientation", credential_expires_on=None))
    (text,) = pages_text(data)

    assert "Credential: Orientation" in text
    assert "Expires" not in text


def test_spanish_certificate_uses_spanish_dates_and_numbers(app):
    with app.test_request_context(), force_locale("es"):
        data = certificate_pdf(certificate())
    (text,) = pages_text(data)

    assert "14 de julio de 2026" in text
    assert "julio de 2028" in text
    assert "1,5" in text
    assert "July" not in text


def test_certificate_stays_on_one_page_whatever_the_lengths(request_ctx):
    data = certificate_pdf(
        certificate(
            network_name="N" * 300,
            provider_name="Pérez " * 60,
            course_title="Responsive caregiving " * 40,
            ckc_area="A" * 200,
            trainer="T" * 200,
            credential="C" * 200,
        )
    )
    reader = read(data)

    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Pérez Pérez" in text
    assert "…" in text
    assert "C-000123" in text


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "a\x00b",
    "line\r\nbreak",
    "\u202eright-to-left",
    "emoji 😀",
    "   ",
    "x" * 10_000,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_never_breaks_a_pdf(request_ctx, value):
    hostile_line = line(
        value,
        organisation=value,
        source=value,
        ckc_area=value,
        status=value,
        credential=value,
        credential_expires_on=date(2027, 1, 1),
    )
    transcript_data = transcript_pdf(
        transcript(
            [hostile_line, line("Safe sleep for infants")],
            network_name=value,
            provider_name=value,
            minutes_by_area=[(value, 90)],
        )
    )
    certificate_data = certificate_pdf(
        certificate(
            network_name=value,
            provider_name=value,
            course_title=value,
            ckc_area=value,
            trainer=value,
            credential=value,
            reference=value,
        )
    )

    assert "Safe sleep for infants" in "\n".join(pages_text(transcript_data))
    assert len(read(certificate_data).pages) == 1
    for text in pages_text(transcript_data) + pages_text(certificate_data):
        assert "\x00" not in text
        assert "\u202e" not in text

"""Printable training transcripts and certificates (PDF, built with fpdf2).

Pure builders: they take plain data (already loaded and, for labels that come
from the database, already translated) and return the PDF bytes. Fixed labels,
dates and hours follow the current Flask-Babel locale, so the caller wraps the
call in ``flask_babel.force_locale(provider_language)``.

The DejaVu fonts shipped next to this module are embedded (subset), so any
name prints, whatever its accents or script.
"""

import copy
import functools
import unicodedata
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from fontTools import ttLib
from fpdf import FPDF, FontFace, XPos, YPos
from fpdf.enums import MethodReturnValue, TableBordersLayout
from fpdf.fonts import SubsetMap, TTFFont

from fccnet.training.hours import format_hours

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
# Replaced by the page count when the document is closed (unlikely to appear in a name).
PAGES_ALIAS = "{fccnet:pages}"
ELLIPSIS = "…"
EN_DASH = "\u2013"
# Lengths at which a transcript cell stops growing, so that a row always fits on a
# page whatever was typed (the database columns are shorter; SQLite does not enforce them).
MAX_TITLE_CHARS = 300
MAX_NAME_CHARS = 160
MAX_LABEL_CHARS = 60

INK = (33, 37, 41)
MUTED = (90, 98, 106)
RULE = (170, 176, 182)
HEADING_FILL = (233, 236, 239)
ACCENT = (31, 78, 121)


@dataclass(frozen=True)
class TranscriptLine:
    taken_on: date
    title: str
    organisation: str | None  # where it was taken; None for network sessions
    source: str  # already-translated label, e.g. "Network session" / "Elsewhere"
    ckc_area: str
    minutes: int
    status: str  # already-translated label ("Approved", "Pending", ...)
    credential: str | None
    credential_expires_on: date | None


@dataclass(frozen=True)
class Transcript:
    network_name: str
    provider_name: str
    period_start: date
    period_end: date
    generated_on: date
    lines: list[TranscriptLine]
    total_minutes: int  # counted hours (approved only) in the period
    required_minutes: int  # the annual requirement
    minutes_by_area: list[tuple[str, int]]


@dataclass(frozen=True)
class Certificate:
    network_name: str
    provider_name: str
    course_title: str
    session_date: date
    minutes: int
    ckc_area: str
    trainer: str
    credential: str | None
    credential_expires_on: date | None
    reference: str  # e.g. "C-000123", printed on the certificate
    generated_on: date


def clean(text: str | None, limit: int | None = None) -> str:
    """Text as it can be drawn: composed accents, no control or bidi-override
    characters (line breaks become spaces), optionally cut to `limit` characters."""
    text = unicodedata.normalize("NFC", text or "")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" " if char in "\t\n\r\x0b\x0c" else "")
        elif category != "Cf":
            kept.append(char)
    text = " ".join("".join(kept).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


def long_date(day: date) -> str:
    return format_date(day, format="long")


def medium_date(day: date) -> str:
    return format_date(day, format="medium")


def labelled(label: str, value: str) -> str:
    return f"{label}: {value}"


# Tables of the DejaVu files that never reach a PDF: fpdf2's output() has fontTools drop
# them from the embedded subset (kern because the font has GPOS), yet the subsetter still
# parses the layout ones first.
UNEMBEDDED_TABLES = ("GDEF", "GPOS", "GSUB", "kern")


@dataclass(frozen=True)
class _ParsedFont:
    font: TTFFont  # as add_font makes it, less its fontTools font (`ttfont`)
    data: bytes  # the file, for a fontTools font of each document's own
    glyph_order: tuple[str, ...]


@functools.cache
def _parsed_font(style: str, filename: str) -> _ParsedFont:
    """A font file read once per process rather than once per document.

    add_font costs about 25 ms a font: fontTools decodes every glyph's name, width and
    outline, and fpdf2 builds its width and glyph maps from them. None of that changes
    from one document to the next, except the fontTools font itself, which output()
    subsets in place: each document opens its own (_Document.add_parsed_font) from the
    bytes kept here. Those bytes leave out the tables above and the post table's glyph
    names, which the subset drops too (post format 3); the glyph order is kept instead,
    since fontTools would not guess every name from the cmap ("Gcommaaccent"). The
    subsets embedded are byte for byte the same, and each costs about 5 ms less to make.
    (Two threads reading a font at the same time both parse it; no harm done.)"""
    pdf = FPDF()
    pdf.add_font(FONT, style, FONTS / filename)
    (font,) = pdf.fonts.values()
    if font.color_font is not None or font.is_cff:
        # Colour glyphs are drawn per document, and CFF outlines are embedded another way:
        # the sharing was checked for plain TrueType outlines, like DejaVu's.
        raise ValueError(f"{filename}: only TrueType outline fonts are shared")
    font.close()
    del font.ttfont

    file = ttLib.TTFont(FONTS / filename, recalcTimestamp=False, lazy=True)
    glyph_order = tuple(file.getGlyphOrder())
    for tag in UNEMBEDDED_TABLES:
        if tag in file:
            del file[tag]
    file["post"].formatType = 3.0
    data = BytesIO()
    file.save(data)
    file.close()
    return _ParsedFont(font, data.getvalue(), glyph_order)


class _Document(FPDF):
    """Letter-sized pages with the DejaVu fonts, document metadata and the
    current locale as the document language."""

    def __init__(self, *, orientation: str, title: str, author: str, subject: str):
        super().__init__(orientation=orientation, unit="mm", format="Letter")
        self.add_parsed_font("", "DejaVuSans.ttf")
        self.add_parsed_font("B", "DejaVuSans-Bold.ttf")
        self.set_font(FONT, size=10)
        self.set_text_color(*INK)
        self.alias_nb_pages(PAGES_ALIAS)
        self.set_title(title)
        self.set_author(author)
        self.set_subject(subject)
        self.set_creator("fccnet")
        self.set_lang(str(get_locale() or "en").replace("_", "-"))

    def add_parsed_font(self, style: str, filename: str) -> None:
        """What add_font(FONT, style, FONTS / filename) does, from a font read once per
        process: this document shares what never changes (widths, glyph ids and names) and
        gets its own copy of everything that drawing text or output() changes."""
        parsed = _parsed_font(style, filename)
        font = copy.copy(parsed.font)
        font.i = len(self.fonts) + 1
        font.ttfont = ttLib.TTFont(BytesIO(parsed.data), recalcTimestamp=False, lazy=True)
        font.ttfont.setGlyphOrder(list(parsed.glyph_order))
        font.cw = parsed.font.cw.copy()  # a defaultdict: a missing character is added
        font.desc = copy.copy(parsed.font.desc)  # output() names and numbers it
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        self.fonts[font.fontkey] = font

    def use(self, size: float, style: str = "", color: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)

    def line_of(self, text: str, height: float, align: str = "L") -> None:
        """One line across the printable width, then move to the next line."""
        self.set_x(self.l_margin)
        self.cell(self.epw, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def wrapped(self, text: str, height: float, align: str = "L") -> None:
        self.set_x(self.l_margin)
        self.multi_cell(self.epw, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def shortened(self, text: str, width: float) -> str:
        """`text` cut with an ellipsis to fit `width` in the current font."""
        full = self.get_string_width(text)
        if full <= width:
            return text
        text = text[: int(len(text) * width / full) + 1]
        while text and self.get_string_width(text + ELLIPSIS) > width:
            text = text[:-1]
        return text.rstrip() + ELLIPSIS

    def rule(self, gap: float = 2) -> None:
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.ln(gap)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


# -- Transcript ----------------------------------------------------------------


class _TranscriptDocument(_Document):
    def __init__(self, transcript: Transcript):
        self.network_name = clean(transcript.network_name, 200)
        self.provider_name = clean(transcript.provider_name, 200)
        self.heading = _("Training transcript")
        super().__init__(
            orientation="portrait",
            title=f"{self.heading} {EN_DASH} {self.provider_name}",
            author=self.network_name,
            subject=self.heading,
        )
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def header(self) -> None:
        self.use(9, "B", ACCENT)
        self.set_y(10)
        half = self.epw / 2
        self.set_x(self.l_margin)
        first = self.page_no() == 1
        network = self.shortened(self.network_name, self.epw if first else half - 4)
        self.cell(half, 5, network, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.use(9, color=MUTED)
        # The first page shows the title in full below.
        running = "" if first else self.heading
        self.cell(half, 5, running, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule(gap=4)
        self.use(10)

    def footer(self) -> None:
        self.set_y(-13)
        self.use(8, color=MUTED)
        half = self.epw / 2
        self.set_x(self.l_margin)
        # Left-aligned: the page count replaces a wider placeholder, and only the
        # space after it is left over.
        pages = _("Page %(page)s of %(pages)s", page=self.page_no(), pages=PAGES_ALIAS)
        self.cell(half, 5, pages, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(half, 5, self.shortened(self.provider_name, half - 4), align="R")


def _training_cell(line: TranscriptLine) -> str:
    parts = [clean(line.title, MAX_TITLE_CHARS)]
    origin = clean(line.source, MAX_LABEL_CHARS)
    organisation = clean(line.organisation, MAX_NAME_CHARS)
    if organisation:
        origin = f"{origin} · {organisation}" if origin else organisation
    if origin:
        parts.append(origin)
    credential = clean(line.credential, MAX_NAME_CHARS)
    if credential:
        credential = labelled(_("Credential"), credential)
        if line.credential_expires_on is not None:
            credential += " · " + _(
                "Expires %(date)s", date=medium_date(line.credential_expires_on)
            )
        parts.append(credential)
    return "\n".join(parts)


def _lines_table(pdf: _TranscriptDocument, lines: list[TranscriptLine]) -> None:
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(28, 70, 38, 19, 25),  # the date column takes "May 28, 2026" on one line
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
        v_align="TOP",
        align="LEFT",
        width=pdf.epw,
        line_height=4.6,
        padding=1.5,
        headings_style=headings,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for label in (_("Date"), _("Training"), _("Area"), _("Credit hours"), _("Status")):
            heading.cell(label)
        for line in lines:
            row = table.row()
            row.cell(medium_date(line.taken_on))
            row.cell(_training_cell(line))
            row.cell(clean(line.ckc_area, MAX_NAME_CHARS))
            row.cell(format_hours(line.minutes))
            row.cell(clean(line.status, MAX_LABEL_CHARS))


def _area_table(pdf: _TranscriptDocument, minutes_by_area: list[tuple[str, int]]) -> None:
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(100, 25),
        text_align=("LEFT", "RIGHT"),
        align="LEFT",
        width=125,
        line_height=4.6,
        padding=1.5,
        headings_style=headings,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
    ) as table:
        heading = table.row()
        heading.cell(_("Area"))
        heading.cell(_("Credit hours"))
        for area, minutes in minutes_by_area:
            row = table.row()
            row.cell(clean(area, MAX_NAME_CHARS))
            row.cell(format_hours(minutes))


def _section_title(pdf: _Document, text: str, room: float) -> None:
    """A section heading, kept on the same page as the first `room` mm of its content."""
    if pdf.will_page_break(10 + room):
        pdf.add_page()
    pdf.ln(4)
    pdf.use(12, "B", ACCENT)
    pdf.line_of(text, 7)
    pdf.use(10)
    pdf.ln(1)


def transcript_pdf(transcript: Transcript) -> bytes:
    """Every line of the provider's record in the period, the counted total
    against the annual requirement, and the hours by area."""
    pdf = _TranscriptDocument(transcript)
    pdf.add_page()

    pdf.use(20, "B")
    pdf.line_of(pdf.heading, 10)
    pdf.use(15, "B")
    pdf.wrapped(pdf.provider_name, 7)
    pdf.ln(1)
    pdf.use(10, color=MUTED)
    period = f"{long_date(transcript.period_start)} {EN_DASH} {long_date(transcript.period_end)}"
    pdf.line_of(labelled(_("Period"), period), 5.5)
    pdf.line_of(_("Generated on %(date)s", date=long_date(transcript.generated_on)), 5.5)
    pdf.ln(4)

    pdf.use(10)
    if transcript.lines:
        _lines_table(pdf, transcript.lines)
    else:
        pdf.use(10, color=MUTED)
        pdf.line_of(_("No training in this period."), 6)

    _section_title(pdf, _("Total hours"), room=28)
    total = format_hours(transcript.total_minutes)
    required = format_hours(transcript.required_minutes)
    pdf.use(10, "B")
    pdf.line_of(labelled(_("Counted hours"), total), 5.5)
    pdf.use(10)
    pdf.line_of(labelled(_("Required each year"), required), 5.5)
    missing = transcript.required_minutes - transcript.total_minutes
    if missing > 0:
        pdf.line_of(labelled(_("Still needed"), format_hours(missing)), 5.5)
    else:
        pdf.line_of(_("The annual requirement is met."), 5.5)
    pdf.use(8.5, color=MUTED)
    pdf.line_of(_("Only approved hours count toward the total."), 5)

    if transcript.minutes_by_area:
        _section_title(pdf, _("Hours by area"), room=20)
        _area_table(pdf, transcript.minutes_by_area)

    return pdf.to_bytes()


# -- Certificate -----------------------------------------------------------------


def _fit(
    pdf: _Document, text: str, *, style: str, largest: float, smallest: float, max_lines: int
) -> tuple[float, list[str]]:
    """The largest font size (down to `smallest`) at which `text` wraps into at
    most `max_lines` lines of the printable width; cut with an ellipsis if even
    the smallest size needs more."""
    size = largest
    while True:
        pdf.set_font(FONT, style, size)
        lines = pdf.multi_cell(
            pdf.epw, text=text, dry_run=True, output=MethodReturnValue.LINES, padding=0
        )
        if len(lines) <= max_lines or size <= smallest:
            break
        size = max(smallest, size - 1)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1].rstrip()
        while last and pdf.get_string_width(last + ELLIPSIS) > pdf.epw:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return size, lines


def _fitted(
    pdf: _Document,
    text: str,
    *,
    style: str = "",
    largest: float,
    smallest: float,
    max_lines: int = 1,
    color: tuple[int, int, int] = INK,
) -> None:
    size, lines = _fit(
        pdf, text, style=style, largest=largest, smallest=smallest, max_lines=max_lines
    )
    pdf.use(size, style, color)
    for line in lines:
        pdf.line_of(line, size * 0.48, align="C")


def certificate_pdf(certificate: Certificate) -> bytes:
    """One landscape page stating that the provider completed the session."""
    heading = _("Certificate of completion")
    provider_name = clean(certificate.provider_name, 300)
    pdf = _Document(
        orientation="landscape",
        title=f"{heading} {EN_DASH} {provider_name}",
        author=clean(certificate.network_name, 200),
        subject=clean(certificate.course_title, 300),
    )
    # Everything is fitted to the page: the certificate never runs onto a second one.
    pdf.set_auto_page_break(False)
    pdf.set_margins(28, 22, 28)
    pdf.add_page()

    # A double frame.
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    pdf.set_y(24)
    _fitted(
        pdf,
        clean(certificate.network_name, 300),
        style="B",
        largest=14,
        smallest=9,
        color=ACCENT,
    )
    pdf.ln(5)
    _fitted(pdf, heading, style="B", largest=30, smallest=18)
    pdf.ln(7)

    pdf.use(13, color=MUTED)
    pdf.line_of(_("This certifies that"), 7, align="C")
    pdf.ln(3)
    _fitted(pdf, provider_name, style="B", largest=28, smallest=12)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.w / 2 - 75, pdf.y + 1.5, pdf.w / 2 + 75, pdf.y + 1.5)
    pdf.ln(6)

    pdf.use(13, color=MUTED)
    pdf.line_of(_("completed"), 7, align="C")
    pdf.ln(2)
    _fitted(
        pdf,
        clean(certificate.course_title, 300),
        style="B",
        largest=19,
        smallest=11,
        max_lines=2,
        color=ACCENT,
    )
    pdf.ln(6)

    details = [
        labelled(_("Date"), long_date(certificate.session_date)),
        labelled(_("Credit hours"), format_hours(certificate.minutes)),
        labelled(_("Area"), clean(certificate.ckc_area, 160)),
    ]
    _fitted(pdf, "   ·   ".join(details), largest=12, smallest=8, max_lines=2)
    trainer = clean(certificate.trainer, 160)
    if trainer:
        pdf.ln(1)
        _fitted(pdf, labelled(_("Trainer"), trainer), largest=12, smallest=8)
    credential = clean(certificate.credential, 160)
    if credential:
        text = labelled(_("Credential"), credential)
        if certificate.credential_expires_on is not None:
            expires = _("Expires %(date)s", date=long_date(certificate.credential_expires_on))
            text = f"{text} · {expires}"
        pdf.ln(1)
        _fitted(pdf, text, style="B", largest=12, smallest=8)

    # Reference and date along the bottom of the frame.
    pdf.set_y(pdf.h - 30)
    pdf.rule(gap=2)
    pdf.use(9, color=MUTED)
    half = pdf.epw / 2
    pdf.set_x(pdf.l_margin)
    reference = _("Reference %(reference)s", reference=clean(certificate.reference, 40))
    pdf.cell(half, 5, reference, new_x=XPos.RIGHT, new_y=YPos.TOP)
    generated = _("Generated on %(date)s", date=long_date(certificate.generated_on))
    pdf.cell(half, 5, generated, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    return pdf.to_bytes()

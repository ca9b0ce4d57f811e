"""The DejaVu fonts are read once per process (fccnet.training.pdf._parsed_font), yet each
document embeds a font subset of its own: byte for byte what fpdf2's add_font gives, one
document after another."""

import io

import pytest
from fontTools.ttLib import TTFont
from fpdf.fonts import TTFFont

from fccnet.training import pdf
from fccnet.training.pdf import certificate_pdf, transcript_pdf
from tests.training.test_pdf import SAMPLE_LINES, certificate, line, pages_text, read, transcript

pytestmark = pytest.mark.filterwarnings("error")

NAMES = [
    "María Pérez Núñez",
    "Дмитрий Шостакович",
    "Γιώργος Παπαδόπουλος",
    "Nguyễn Thị Ánh",
    "Łukasz Żółć",
    "Ģirts Ķēniņš",  # glyph names that fontTools would not guess from the cmap
    "שלמה כהן",
    "Անի Սարգսյան",
    "ნინო ბერიძე",
]


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


def with_add_font(monkeypatch, build):
    """`build()` with documents that read their fonts with fpdf2's own add_font."""

    def add_font(self, style, filename):
        self.add_font(pdf.FONT, style, pdf.FONTS / filename)

    with monkeypatch.context() as patch:
        patch.setattr(pdf._Document, "add_parsed_font", add_font)
        return build()


def documents():
    """One document builder per name: certificates and transcripts in turn, the transcripts
    with lines naming the others (several pages for the later ones)."""
    for number, name in enumerate(NAMES):
        if number % 2:
            lines = [
                line(f"Course {index} with {NAMES[index % len(NAMES)]}", minutes=30 + index)
                for index in range(number * 6)
            ]
            yield lambda name=name, lines=lines: transcript_pdf(
                transcript(lines or SAMPLE_LINES, provider_name=name)
            )
        else:
            yield lambda name=name: certificate_pdf(
                certificate(provider_name=name, trainer=NAMES[-1 - len(name) % len(NAMES)])
            )


def embedded_characters(data: bytes) -> set[str]:
    """The characters of the font subsets embedded in a PDF, read from their cmap tables."""
    characters = set()
    for font in read(data).pages[0]["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        subset = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        characters |= {chr(code) for code in TTFont(io.BytesIO(subset)).getBestCmap()}
    return characters


def test_each_document_embeds_what_add_font_embeds(
    request_ctx, fixed_pdf_creation_date, monkeypatch
):
    built = [build() for build in documents()]
    expected = [with_add_font(monkeypatch, build) for build in documents()]

    assert len(built) == len(NAMES)
    for data, reference in zip(built, expected, strict=True):
        assert data == reference


def test_a_second_document_embeds_the_glyphs_the_first_did_not_use(
    request_ctx, fixed_pdf_creation_date
):
    first = certificate_pdf(certificate(provider_name="María Pérez Núñez", trainer="Ana"))
    second = certificate_pdf(certificate(provider_name="Дмитрий Шостакович", trainer="Ana"))
    first_again = certificate_pdf(certificate(provider_name="María Pérez Núñez", trainer="Ana"))

    assert "María Pérez Núñez" in pages_text(first)[0]
    assert "Дмитрий Шостакович" in pages_text(second)[0]
    assert set("Núñez") <= embedded_characters(first)
    assert set("Дмитрий") <= embedded_characters(second)
    assert not set("Дмитрий") & embedded_characters(first)
    assert not set("ñú") & embedded_characters(second)
    # Nothing of the second document stayed behind in the fonts the third one shares.
    assert first_again == first


def test_documents_do_not_share_what_drawing_or_output_changes(request_ctx):
    first, second = (
        pdf._Document(orientation="portrait", title="t", author="a", subject="s") for _ in range(2)
    )
    for key, font in first.fonts.items():
        other = second.fonts[key]
        assert font.ttfont is not other.ttfont
        assert font.cw is not other.cw
        assert font.desc is not other.desc
        assert font.subset is not other.subset
        assert font.missing_glyphs is not other.missing_glyphs
        # What never changes is read once.
        assert font.cmap is other.cmap
        assert font.glyph_ids is other.glyph_ids


def test_the_font_attributes_copied_are_the_ones_reviewed():
    """_Document.add_parsed_font copies fpdf2's TTFFont attribute by attribute, giving each
    document its own copy of those a document changes. A new attribute (an fpdf2 upgrade)
    must be looked at there before this list is updated."""
    assert set(TTFFont.__slots__) == {
        "i", "type", "name", "desc", "glyph_ids", "_hbfont", "sp", "ss", "up", "ut", "cw",
        "ttffile", "fontkey", "emphasis", "scale", "subset", "cmap", "ttfont",
        "missing_glyphs", "biggest_size_pt", "color_font", "unicode_range", "palette_index",
        "is_compressed", "is_cff", "is_cid_keyed", "is_symbol", "cff_ros",
        "collection_font_number",
    }  # fmt: skip

"""CSV export: read back with the csv module, the BOM, formula neutralising, value types."""

import csv
import enum
import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from fccnet.reports.csv_export import csv_bytes, csv_cell, csv_filename

BOM = "\ufeff".encode()


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


class Stage(enum.StrEnum):
    APPLYING = "applying"


class Level(enum.IntEnum):
    TWO = 2


def test_text_round_trips_unchanged():
    header = ["Name", "Town", "Notes"]
    rows = [
        ["María Pérez Núñez", "Hartford", "plain"],
        ["Đặng Thị Hoa", "New Britain, CT", 'She said "hello", then left'],
        ["Zoë O'Brien", "Bristol", "line one\nline two\r\nline three"],
        ["", "Ångström 日本", "  spaced  "],
    ]

    assert read_back(csv_bytes(header, rows)) == [header, *rows]


def test_the_bom_comes_once_at_the_start_and_accents_are_utf8():
    data = csv_bytes(["Nombre"], [["María Pérez Núñez"], ["Đặng"]])

    assert data.startswith(BOM)
    assert data.count(BOM) == 1
    assert "María Pérez Núñez".encode() in data
    assert "Đặng".encode() in data


def test_one_header_row_even_without_data():
    assert read_back(csv_bytes(["Name", "Stage"], [])) == [["Name", "Stage"]]


def test_rows_end_with_crlf():
    assert csv_bytes(["a"], [["b"]]) == BOM + b"a\r\nb\r\n"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "\0=1", '=HYPERLINK("http://x")'],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    header, row = read_back(csv_bytes([text, "b"], [[text, "ok"]]))

    assert header == ["'" + text, "b"]
    assert row == ["'" + text, "ok"]


def test_formula_characters_after_the_start_are_left_alone():
    assert read_back(csv_bytes(["a"], [["1+1=2"], [" =1"], ["a-b@c"]]))[1:] == [
        ["1+1=2"],
        [" =1"],
        ["a-b@c"],
    ]


def test_numbers_dates_and_empty_values_are_not_mangled():
    rows = [
        [
            -5,
            Decimal("-12.50"),
            -0.25,
            1e16,
            date(2026, 11, 22),
            datetime(2026, 11, 22, 14, 5, 9, 123456, tzinfo=UTC),
            datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
            None,
        ]
    ]

    assert read_back(csv_bytes(list("abcdefgh"), rows))[1] == [
        "-5",
        "-12.50",
        "-0.25",
        "10000000000000000",
        "2026-11-22",
        "2026-11-22T14:05:09+00:00",
        "2026-03-01T09:30:00-05:00",
        "",
    ]


def test_enums_are_their_value_and_booleans_words():
    assert csv_cell(Stage.APPLYING) == "applying"
    assert csv_cell(Level.TWO) == "2"
    assert csv_cell(True) == "yes"
    assert csv_cell(False) == "no"
    assert csv_cell(True, yes_no=("sí", "no")) == "sí"
    assert read_back(csv_bytes(["x"], [[False]], yes_no=("Sí", "No")))[1] == ["No"]


def test_a_text_enum_value_is_neutralised_too():
    class Sign(enum.StrEnum):
        MINUS = "-"

    assert csv_cell(Sign.MINUS) == "'-"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (datetime(2026, 11, 22, 9, 0), ValueError),
        (float("nan"), ValueError),
        (float("-inf"), ValueError),
        (Decimal("NaN"), ValueError),
        (object(), TypeError),
        (b"bytes", TypeError),
    ],
)
def test_values_without_a_safe_form_are_refused(value, error):
    with pytest.raises(error):
        csv_bytes(["x"], [[value]])


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="row 2"):
        csv_bytes(["a", "b"], [[1, 2], [1]])


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("providers", "providers-2026-11-22.csv"),
        ("Proveedoras activas", "proveedoras-activas-2026-11-22.csv"),
        ("Núñez / Đặng: report", "nunez-ang-report-2026-11-22.csv"),
        ('../"evil"\r\n.csv', "evil-csv-2026-11-22.csv"),
        ("日本", "export-2026-11-22.csv"),
    ],
)
def test_filenames_are_ascii_and_dated(stem, expected):
    assert csv_filename(stem, date(2026, 11, 22)) == expected

"""The Spanish catalog is complete, not fuzzy, and current with the source."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "fccnet" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]")


def load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def spanish():
    return load(CATALOG)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Extract the source's messages exactly as `make translations` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            "--ignore-dirs",
            ".*",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    return load(pot)


def message_ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_the_catalog_is_current_with_the_source(spanish, extracted):
    missing = message_ids(extracted) - message_ids(spanish)
    obsolete = message_ids(spanish) - message_ids(extracted)
    assert not missing, f"run `make translations` and translate: {sorted(missing, key=str)}"
    assert not obsolete, f"run `make translations` to drop: {sorted(obsolete, key=str)}"
    assert len(message_ids(extracted)) > 100


def test_every_message_is_translated_and_none_is_fuzzy(spanish):
    untranslated, fuzzy = [], []
    for message in spanish:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_translations_keep_their_placeholders(spanish):
    for message in spanish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == expected, message.id

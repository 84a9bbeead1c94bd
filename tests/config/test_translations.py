"""The Simplified Chinese catalog is complete: Chinese is the first language."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"


def _catalog():
    with open(CATALOG, "rb") as fh:
        return read_po(fh, locale="zh_Hans", domain="django")


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def test_every_message_is_translated_and_not_fuzzy():
    catalog = _catalog()
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing[:20]} ({len(missing)} in all)"
    assert not fuzzy, f"fuzzy (unchecked guesses): {fuzzy[:20]} ({len(fuzzy)} in all)"


def test_placeholders_match():
    # Babel's checkers catch a %(name)s or {name} missing from a translation.
    problems = [
        (message.id, [str(e) for e in errors])
        for message, errors in _catalog().check()
        if message.id
    ]
    assert not problems, problems[:20]

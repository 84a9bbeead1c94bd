"""Fill Simplified Chinese translations into the committed catalog.

Usage (from the repository root, after `make messages`):

    .venv/bin/python scripts/translate.py - <<'JSON'
    {"Log in": "登录", "%(count)s school": ["%(count)s 所学校"]}
    JSON

Keys are msgids; a list value fills plural forms. Unknown msgids are reported
(run `make messages` first). The catalog is locked while it is rewritten, so
several developers' sessions can run this one after another safely.
"""

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = (
    Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"
)


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def main(argv: list[str]) -> int:
    if argv[1:] in ([], ["-"]):
        wanted = json.load(sys.stdin)
    else:
        wanted = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    with open(CATALOG.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(CATALOG, "rb") as fh:
            catalog = read_po(fh, locale="zh_Hans", domain="django")
        unknown = []
        for msgid, msgstr in wanted.items():
            message = catalog.get(msgid)
            if message is None:
                unknown.append(msgid)
                continue
            if isinstance(message.id, tuple):
                forms = msgstr if isinstance(msgstr, list) else [msgstr]
                message.string = tuple(forms)
            else:
                message.string = msgstr
            message.flags.discard("fuzzy")
        with open(CATALOG, "wb") as fh:
            write_po(fh, catalog, width=0, sort_output=False, include_previous=False)
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]
    print(f"filled {len(wanted) - len(unknown)}; untranslated left: {len(missing)}")
    for msgid in unknown:
        print(f"unknown msgid (run make messages?): {msgid!r}", file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

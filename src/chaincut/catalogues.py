"""Make the console's gettext catalogues: extract every message (Babel), merge it into each
language's `.po`, compile the `.mo` files the console reads. Needs Babel (a development
dependency, the `test` extra) and a source checkout (it reads `babel.cfg`):

    python -m chaincut.catalogues update    # extract, merge into the .po files, compile
    python -m chaincut.catalogues compile   # .po -> .mo only
    python -m chaincut.catalogues check     # exit 1 when a message lacks its Chinese or a
                                                # .mo is stale (what tests/web checks too)

Messages come from the templates (`_()`, `pgettext()`, `{% trans %}`), from Python code marked
with `N_`/`NP_` (`chaincut.markers`), and from the number and device scores' indicators
(`chaincut.telecom.indicators`, English with `str.format` fields, msgctxt `number reason` /
`device reason`), which the console says in Chinese from their code and values.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

import chaincut.service  # noqa: F401  (first: the console's modules import the use cases)
from chaincut.web.i18n import DOMAIN, LOCALE_DIR, LOCALES

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": ((1, "c"), 2), "NN_": (1, 2)}
#: the language whose ids are the messages: its catalogue may leave a message untranslated
SOURCE_LOCALE = "en"
PROJECT = "chaincut"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def indicator_messages() -> list[tuple[str, str | tuple[str, str]]]:
    """(msgctxt, English) of every number and device indicator's reason text (a text with a
    count: its singular and plural)."""
    from chaincut.telecom.indicators import INDICATORS

    return [
        (f"{kind} reason", ind.text if isinstance(ind.text, str) else ind.text[:2])
        for kind, inds in INDICATORS.items()
        for ind in inds
    ]


def extract(root: Path = ROOT) -> Catalog:
    """Every message of the console, as a template catalogue (no translations)."""
    config = root / "babel.cfg"
    if not config.is_file():
        raise SystemExit(f"{config}: not found; run from a source checkout")
    with config.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(config))  # type: ignore[no-untyped-call]
    # a fixed creation date: the .po headers change only when the messages do
    template = Catalog(project=PROJECT, fuzzy=False, creation_date=CREATED)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for context, text in indicator_messages():
        template.add(text, None, [("src/chaincut/telecom/indicators.py", 0)], context=context)
    return template


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(locale: str) -> Catalog:
    """The `.po` catalogue of `locale` (empty when there is none yet)."""
    path = po_path(locale)
    if not path.is_file():
        return Catalog(locale=locale, project=PROJECT, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def update() -> None:
    """Merge the extracted messages into every language's `.po` (new ones untranslated,
    obsolete ones dropped) and compile them."""
    template = extract()
    for locale in LOCALES.values():
        catalog = read(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _header(catalog, locale)
        if locale == SOURCE_LOCALE:  # English is the id itself (a plural's: both forms)
            for message in catalog:
                if message.id and not all(_forms(message.string)):
                    message.string = message.id
                    message.flags.discard("fuzzy")
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        out = BytesIO()  # written whole or not at all: a failure leaves the old file
        write_po(out, catalog, width=100, include_lineno=False)
        path.write_bytes(out.getvalue())
    compile_all()


def _header(catalog: Catalog, locale: str) -> None:
    """The `.po` header: what the file is and how it is made, no template placeholders."""
    catalog.fuzzy = False
    catalog.revision_date = catalog.creation_date = CREATED
    catalog.version = "1"
    catalog.copyright_holder = "the chaincut authors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = "the chaincut authors"
    catalog.header_comment = (
        f"# The chaincut console's words, {locale} (Apache-2.0, as the project).\n"
        "# Made by `python -m chaincut.catalogues update`: translate the empty msgstr, keep\n"
        "# the placeholders (%(name)s, {name:.0f}), then run it again to compile the .mo."
    )


def _forms(string: str | Sequence[str] | None) -> tuple[str, ...]:
    """A message's id or translation as its forms (one for a message without a plural, none
    for no translation)."""
    if string is None:
        return ()
    return (string,) if isinstance(string, str) else tuple(string)


def _key(message: Message) -> tuple[tuple[str, ...], str | None]:
    """A message's id (its forms: a `.mo` reads a plural's as a list) and context."""
    return _forms(message.id), message.context


def _translated(string: str | Sequence[str] | None, catalog: Catalog) -> bool:
    """Whether `string` translates its message whole: every form there, and for a plural as
    many forms as the language has (Plural-Forms: English 2, Chinese 1)."""
    forms = _forms(string)
    if not isinstance(string, str) and len(forms) != catalog.num_plurals:
        return False
    return bool(forms) and all(forms)


def compiled(locale: str) -> bytes:
    """The `.mo` bytes the `.po` of `locale` compiles to."""
    out = BytesIO()
    write_mo(out, read(locale))
    return out.getvalue()


def compile_all() -> None:
    for locale in LOCALES.values():
        po_path(locale).with_suffix(".mo").write_bytes(compiled(locale))


def problems(template: Catalog | None = None) -> list[str]:
    """What is wrong with the catalogues: a message of the console missing from a language's
    `.po` or untranslated there (or marked fuzzy), a `.mo` that differs from its `.po`."""
    template = template if template is not None else extract()
    out = []
    for locale in LOCALES.values():
        catalog = read(locale)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            if found is None or found.fuzzy or not _translated(found.string, catalog):
                out.append(f"{locale}: no translation of {message.id!r} ({message.context})")
        mo = po_path(locale).with_suffix(".mo")
        if not mo.is_file():
            out.append(f"{mo}: missing")
            continue
        with mo.open("rb") as handle:
            have = {_key(m): _forms(m.string) for m in read_mo(handle) if m.id}
        want = {_key(m): _forms(m.string) for m in catalog if m.id and m.string}
        if have != want:
            out.append(f"{mo}: stale, compile it (python -m chaincut.catalogues compile)")
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command != "check":
        print(f"unknown command {command!r}: update, compile or check", file=sys.stderr)
        return 2
    found = problems()
    print("\n".join(found) or "catalogues complete", file=sys.stderr if found else sys.stdout)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

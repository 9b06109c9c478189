"""What the detectors and use cases write in English, said in the console's language from
their codes and values, not by reading the English back: the self-check's and look-up's
phrases (`chaincut.services.phrases`), the number and device scores' reasons (an indicator's
code and the values its text was written with, `chaincut.telecom.indicators`) and the reasons
a filed report gives its fraud-list entries (`chaincut.services.listings`, stored as text: the
store keeps no code, so those are matched against their templates) and the trace's order
reasons (`chaincut.trace.reasons`: a code, its values and a sign) and the warning signals'
`why` (`chaincut.warning.why`: parts by code) and a gang member's evidence
(`chaincut.gangs.sentences`: a code and values for each sentence, none for an identifier).

Each answer carries the language it is in: a text with no translation (an older score without
values, a reason typed by a person) keeps its English and says so (`lang="en"`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from chaincut.gangs.sentences import JOINERS, SENTENCES, readable
from chaincut.gangs.sentences import fill as fill_sentence
from chaincut.markers import Plural, count
from chaincut.services.listings import REPORT_REASONS
from chaincut.services.phrases import PHRASES, WORDS, Phrase
from chaincut.store.enums import ListSource
from chaincut.telecom.indicators import INDICATORS
from chaincut.trace.reasons import REASONS, fill
from chaincut.warning.why import SEPARATORS
from chaincut.warning.why import TEMPLATES as WHY
from chaincut.web.i18n import gettext, ngettext, translate
from chaincut.web.i18n import pgettext as in_context  # by its own name Babel reads the

# computed msgctxt below as a message to extract
from chaincut.web.vocabulary import VOCABULARY

#: a phrase argument whose values are a console vocabulary's: its key prefix
_VOCABULARY_ARGS = {"fraud_type": "type", "label": "label", "kind": "kind", "status": "status"}
_TEXTS = {(kind, ind.code): ind.text for kind, found in INDICATORS.items() for ind in found}


class Said(NamedTuple):
    text: str
    lang: str


def _word(name: str, value: str, lang: str) -> str:
    if f"{name}:{value}" in WORDS:
        return gettext(WORDS[f"{name}:{value}"], lang)
    key = f"{_VOCABULARY_ARGS.get(name, name)}_{value}"
    return translate(key, lang) if key in VOCABULARY else value


def say(phrase: Phrase | Mapping[str, Any], lang: str) -> str:
    """`phrase` (a `Phrase` or its JSON) in `lang`, its word arguments translated too."""
    found = phrase if isinstance(phrase, Phrase) else Phrase.model_validate(phrase)
    template = gettext(PHRASES[found.code], lang)
    if not found.args:
        return template
    return template % {k: _word(k, v, lang) for k, v in found.args.items()}


def indicator(reason: Mapping[str, Any], kind: str, lang: str) -> Said:
    """A number's (`kind` "number") or device's ("device") score reason in `lang`: its
    indicator's template filled with the values it was written with; the English `text` when
    the reason does not carry them or the indicator is unknown."""
    english = str(reason.get("text", ""))
    template = _TEXTS.get((kind, str(reason.get("code"))))
    args = reason.get("args")
    if template is None or args is None or lang == "en":
        return Said(english, "en")
    context = f"{kind} reason"
    try:
        if isinstance(template, Plural):
            said = ngettext(template, count(args[template.counted]), lang, context)
        else:
            said = in_context(context, template, lang)
        return Said(said.format(**args), lang)
    except (KeyError, IndexError, ValueError):  # a template whose fields the values lack
        return Said(english, "en")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.S)


def listed_reason(source: ListSource, reason: str, lang: str) -> Said:
    """A fraud-list entry's reason in `lang`: the reasons a filed report wrote, translated;
    any other reason (typed by a person or a feed) as written, in no language we claim."""
    if source is ListSource.report:
        for template in REPORT_REASONS:
            hit = _pattern(template).fullmatch(reason)
            if hit:
                return Said(gettext(template, lang) % hit.groupdict(), lang)
    return Said(reason, "")


def _trace_reason(reason: Mapping[str, Any], lang: str) -> str:
    template = gettext(REASONS[str(reason["code"])], lang)
    return fill(template, reason.get("args") or {}, lambda r: _trace_reason(r, lang))


def order_reason(reason: Mapping[str, Any] | None, english: str, lang: str) -> Said:
    """A trace order's reason (`{"code", "args"}`, with "sign" for the evidence of a verify
    order) in `lang`; its `english` where it has no code (an order issued before codes were)
    or one this version lacks."""
    if reason is None or lang == "en":
        return Said(english, "en")
    try:
        text = _trace_reason(reason, lang)
    except (KeyError, TypeError, ValueError):  # an order written by another version
        return Said(english, "en")
    sign = reason.get("sign")
    return Said(f"{sign} {text}" if sign else text, lang)


def order_reasons(detail: Mapping[str, Any], lang: str) -> list[Said]:
    """A verify order's evidence (its `detail`: "reasons", "reason_codes") in `lang`."""
    english = [str(r) for r in detail.get("reasons") or []]
    codes = list(detail.get("reason_codes") or [])
    if len(codes) != len(english):  # no codes, or not these reasons'
        codes = [None] * len(english)
    return [order_reason(c, e, lang) for c, e in zip(codes, english, strict=True)]


def _why(parts: Any, lang: str) -> str:
    out = []
    for part in parts:
        code, args = str(part["code"]), dict(part.get("args") or {})
        if code == "text":  # a flag written elsewhere, as written
            out.append(str(args.get("text", "")))
            continue
        template = WHY[code]
        if code in SEPARATORS:
            out.append(SEPARATORS[code].get(lang, str(template)))
            continue
        values = {}
        for name, value in args.items():
            if isinstance(value, list):
                values[name] = _why(value, lang)
            elif name == "reason":  # a fraud-list entry's reason
                values[name] = listed_reason(ListSource.report, str(value), lang).text
            else:
                values[name] = _word(name, str(value), lang)
        if isinstance(template, Plural):
            said = ngettext(template, count(args[template.counted]), lang)
        else:
            said = gettext(template, lang)
        out.append(said % values)
    return "".join(out)


def signal_why(signal: Mapping[str, Any], lang: str) -> Said:
    """A warning signal's `why` in `lang`, from its codes and values ("why_code"); the English
    for a signal saved before it had them (or with a code this version lacks)."""
    english = str(signal.get("why", ""))
    parts = signal.get("why_code")
    if not parts or lang == "en":
        return Said(english, "en")
    try:
        return Said(_why(parts, lang), lang)
    except (KeyError, TypeError, ValueError, AttributeError):  # another version's signal
        return Said(english, "en")


def _sentence(sentence: Mapping[str, Any], lang: str) -> str:
    template = gettext(SENTENCES[str(sentence["code"])], lang)
    joiner = JOINERS.get(lang, JOINERS["en"])
    args: dict[str, Any] = readable(sentence.get("args") or {})
    if isinstance(roles := args.get("roles"), str):  # gang role keys ("launderer, mule")
        args["roles"] = _roles(roles, lang)
    return fill_sentence(template, args, lambda s: _sentence(s, lang), joiner)


def _roles(keys: str, lang: str) -> str:
    """Comma-separated gang role keys as the console's words for them in `lang` (round ten's
    new-user run found `launderer` inside a Chinese sentence on a gang's page)."""
    keys_ = [k.strip() for k in keys.split(",") if k.strip()]
    if not all(f"gang_role_{k}" in VOCABULARY for k in keys_):
        return keys  # not role keys (another version's values): as written
    words = [translate(f"gang_role_{k}", lang) for k in keys_]
    return ("、" if lang.startswith("zh") else ", ").join(words)


def member_evidence(member: Mapping[str, Any], lang: str) -> list[Said]:
    """A gang member's evidence ("evidence", "evidence_codes") in `lang`: each sentence said
    from its code and values, an identifier as it is (in no language: `lang` ""); the English
    for a member saved before codes were (or with a code this version lacks)."""
    english = [str(e) for e in member.get("evidence") or []]
    codes = list(member.get("evidence_codes") or [])
    if len(codes) != len(english):  # no codes, or not these sentences'
        return [Said(e, "en") for e in english]
    out = []
    for code, text in zip(codes, english, strict=True):
        if code is None or lang == "en":
            out.append(Said(text, "" if code is None else "en"))
            continue
        try:
            out.append(Said(_sentence(code, lang), lang))
        except (KeyError, TypeError, ValueError):  # a gang analysed by another version
            out.append(Said(text, "en"))
    return out

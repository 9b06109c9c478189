"""Why a signal counts, written from templates: the English `Signal.why` the API gives, and
beside it the same sentence by codes and values (`Why.as_list`: `[{"code", "args"}, ...]`,
said one after the other) for the console to say in its reader's language.

A value is text (an id, an amount, a count), a `Why` (a sentence inside another: why a number
or account is flagged, a span of time) or, for `fraud_type`, a fraud type's code (the console
says its name). A reason given as plain text (`Why.plain`: a flag from elsewhere) has the code
"text" and is said as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chaincut.markers import N_, NN_, Plural, count

#: every template a signal's `why` is written from, by code; a `Plural` where a count decides
#: the words (English: "1 person", "2 people"; the reader's language by its own plural rule)
TEMPLATES: dict[str, str | Plural] = {
    "text": "%(text)s",  # as written (not translated)
    # separators: punctuation, each language its own (`SEPARATORS`), no catalogue message
    "then": "; ",
    "colon": ": ",
    "seconds": N_("%(s)s s"),
    "minutes": N_("%(m)s min %(s)s s"),
    "hours": N_("%(h)s h %(m)s min"),
    # a call or message
    "reach": NN_(
        "a number that has contacted %(n)s person", "a number that has contacted %(n)s people"
    ),
    # its handset reached more people than the number (`handset_n` > `n` >= 1): never one
    "reach_handset": NN_(
        "a number that has contacted %(n)s person (its handset %(imei)s: %(handset_n)s people)",
        "a number that has contacted %(n)s people (its handset %(imei)s: %(handset_n)s people)",
    ),
    "script_from": N_("%(script)s, from %(src)s, %(reach)s"),
    # "a call of": "a 8 s call" wants "an", and the article no template can know
    "call_from": N_("a call of %(duration)s from %(src)s, %(reach)s"),
    "missed_call_from": N_("an unanswered call from %(src)s, %(reach)s"),
    "message_from": N_("a message from %(src)s, %(reach)s"),
    "number_is": N_("; the number is %(flagged)s"),
    "repeat": N_(" (contact number %(n)s from it)"),
    "script": N_("a message the classifier calls fraud of type %(fraud_type)s (%(phrases)s)"),
    "lure": NN_(
        "it names %(lure)s, as a fraud message to %(n)s other person did",
        "it names %(lure)s, as fraud messages to %(n)s other people did",
    ),
    "message_lure": N_("a message: %(what)s"),
    "called_script": N_("they called %(who)s, a stranger who had sent them a fraud script"),
    "called_call": N_("they called %(who)s, a stranger who had sent them a long call"),
    "wrote_script": N_("they wrote to %(who)s, a stranger who had sent them a fraud script"),
    "wrote_call": N_("they wrote to %(who)s, a stranger who had sent them a long call"),
    # a transfer
    "transfer": N_("a transfer of ¥%(amount)s from %(src)s to %(dst)s"),
    "first_payment": N_(", a first payment to this payee"),
    "account_is": N_("the account is %(flagged)s"),
    "fan_in": NN_(
        "a new payee that %(n)s other account paid in two weeks",
        "a new payee that %(n)s other accounts paid in two weeks",
    ),
    # a count, not an ordinal: gettext has plural forms but no ordinals ("2nd", 第 2)
    "burst": NN_(
        "%(n)s payment to a new payee within 6 hours, this one included",
        "%(n)s payments to new payees within 6 hours, this one included",
    ),
    "after_contact": N_("%(span)s after a suspicious contact"),
    "mule": N_("a payee the mule model scores %(score)s"),
    "lure_account": NN_(
        "an account that a fraud message to %(n)s person named",
        "an account that fraud messages to %(n)s people named",
    ),
    # the reverse trace
    "paid": N_("paid %(account)s at %(at)s"),
    "reverse": N_(
        "%(account)s, which %(payer)s paid, is %(flagged)s: others who paid it are likely victims"
    ),  # fmt: skip
    # why a warning is urgent (the worklist's order, `chaincut.warning.urgency`)
    "urgent_contact": N_("urgent: the last suspicious contact was %(span)s ago"),
    "urgent_quiet": N_("the last suspicious contact was %(span)s ago: less urgent"),
    "urgent_reply": N_("they answered the stranger %(span)s ago"),
    "urgent_lure": N_("a message %(span)s ago named an account, link or id to use"),
    "urgent_none": N_("no suspicious contact lately: not urgent"),
    "urgent_paid": N_(
        "already paid a new payee %(span)s ago after a suspicious contact: for the stop and "
        "recovery side (freeze and trace), not dissuasion"
    ),
    # why an account or number is flagged
    "reported_in": N_("reported in %(report)s"),
    "listed": N_("on the fraud list (%(reason)s)"),
    "stopped": N_("stopped (report %(report)s)"),
}


def _english(template: str | Plural, values: Mapping[str, str]) -> str:
    """`template` filled in English, a `Plural` in the form its count takes."""
    if isinstance(template, Plural):
        template = template.english(count(values[template.counted]))
    return template % values


#: the separators' punctuation in Chinese (full-width)
SEPARATORS: dict[str, dict[str, str]] = {"then": {"zh-CN": "；"}, "colon": {"zh-CN": "："}}


@dataclass(frozen=True, slots=True)
class Why:
    """A sentence as parts: `(code, args)` each, said one after the other."""

    parts: tuple[tuple[str, Mapping[str, str | Why]], ...]

    @staticmethod
    def plain(text: str) -> Why:
        """`text` as written (in no template)."""
        return Why((("text", {"text": text}),))

    def __add__(self, other: Why) -> Why:
        return Why(self.parts + other.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The sentence in English."""
        return "".join(
            _english(
                TEMPLATES[code], {k: v.text if isinstance(v, Why) else v for k, v in args.items()}
            )
            for code, args in self.parts
        )

    def as_list(self) -> list[dict[str, Any]]:
        """The parts as JSON: `[{"code", "args"}]`, a nested sentence as such a list."""
        return [
            {
                "code": code,
                "args": {k: v.as_list() if isinstance(v, Why) else v for k, v in args.items()},
            }  # fmt: skip
            for code, args in self.parts
        ]


def why(code: str, **args: str | Why) -> Why:
    """The one-part sentence `code` (a `KeyError` for a code `TEMPLATES` lacks)."""
    TEMPLATES[code]  # noqa: B018 - an unknown code fails where it is written
    return Why(((code, args),))


def joined(whys: Sequence[Why], sep: str = "then") -> Why:
    """`whys` one after the other, `sep` (a separator's code) between them."""
    # the parts gathered once: adding each `Why` to the sentence so far copied its parts
    # again at every step (a tenth of the warner's time under cProfile, docs/benchmarks.md)
    parts: list[tuple[str, Mapping[str, str | Why]]] = []
    for i, w in enumerate(whys):
        if i:
            parts += why(sep).parts
        parts += w.parts
    return Why(tuple(parts))


def as_why(value: str | Why) -> Why:
    """`value` as a `Why` (a plain text as written; an empty one says nothing)."""
    if isinstance(value, Why):
        return value
    return Why.plain(value) if value else Why(())

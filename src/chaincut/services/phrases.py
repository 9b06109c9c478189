"""Sentences the use cases write for people (the self-check's reasons and advice, a look-up's
reasons), each with a stable code and its arguments beside the English text, so that a client
says them in its reader's language without parsing English: the console's catalogues hold the
Chinese of every template here (msgid: the English template).

An argument's value is data (an id, an amount) or a word: `WORDS[f"{name}:{value}"]` gives the
English of a word (`noun:phone` -> "number"); the console translates those, and the values of
its own closed vocabularies (`kind`, `status`, `label`...), and shows any other value as is.
"""

from __future__ import annotations

from pydantic import BaseModel

from chaincut.markers import N_
from chaincut.store.punishment import BASIS_WORDS, REASONS

PHRASES: dict[str, str] = {
    # the self-check
    "not_a_phone": N_("this does not look like a phone number"),
    "not_a_link": N_("this does not look like a link"),
    "unknown": N_("we know nothing about this %(noun)s"),
    "no_record": N_("no fraud record for this %(noun)s"),
    "listed": N_("this %(noun)s is on the fraud list (%(source)s)"),
    "contacted_victim": N_("this %(noun)s contacted a fraud victim just before the money left"),
    "under_order": N_("this account is under a stop-payment or freeze order in a fraud case"),
    "confirmed_fraud": N_("this %(noun)s is on the list of confirmed fraud %(nouns)s"),
    "punished": N_("this %(noun)s belongs to the joint-punishment registry"),
    "scored": N_("our analysis of its activity marks it as likely %(what)s"),
    "message_number": N_("the message gives a number known for fraud"),
    "message_link": N_("the message holds a link known for fraud"),
    "message_link_signs": N_("the message holds a link with several warning signs"),
    "link_ip": N_("the link points at a bare IP address, not a registered name"),
    "link_punycode": N_("the name uses look-alike (punycode) characters"),
    "link_tld": N_("the domain ending is one that fraud sites often use"),
    "link_http": N_("the link is not encrypted (http)"),
    "link_words": N_("the link uses words common in refund, loan or log-in scams"),
    "link_at": N_("the link hides its real address behind an '@'"),
    "link_clean": N_("no warning sign in the link itself; it may still be fraud"),
    "text_not_installed": N_("message checking is not installed in this build"),
    "text_unavailable": N_("message checking is unavailable right now"),
    "text_clean": N_("the message does not read like a known fraud script"),
    "text_fraud": N_("the message reads like a fraud script (%(fraud_type)s)"),
    "text_phrases": N_("tell-tale phrases: %(phrases)s"),
    "advice_general": N_(
        "Do not click unknown links, do not trust strange calls, do not give personal data, "
        "verify every transfer. (陌生链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实)"
    ),
    "advice_paid": N_(
        "If you have paid already, call 110 or the anti-fraud hotline 96110 at once."
    ),
    "advice_stop": N_(
        "Stop: do not pay or transfer anything; police and banks never ask for a 'safe account'."
    ),
    # a look-up
    "lake_label": N_("listed as %(label)s"),
    "order": N_("%(kind)s order %(order)s: %(status)s, %(amount)s"),
    "simbox_pattern": N_("outbound only, to many distinct callees (SIM-box pattern)"),
    # why a filed report was not traced (`chaincut.services.tracing`)
    "trace_not_installed": N_("tracing is not installed in this build"),
    "trace_no_lake": N_("no lake at %(path)s: import data first"),
    "trace_not_in_lake": N_("none of the fraud transfers is in the lake: %(txns)s"),
    "trace_failed": N_("the trace failed: %(error)s"),
    # a filing refused (`chaincut.services.filing`)
    "filing_not_in_ledger": N_(
        "fraud transfer(s) not in the ledger: %(txns)s; check the transaction ids on the "
        "victim's statement"
    ),
    "filing_other_payer": N_(
        "fraud transfer(s) %(txns)s leave account(s) %(payers)s, not the victim's account "
        "%(victim)s: file them under the account that paid"
    ),
    "filing_already_reported": N_(
        "these transfers are already reported: %(reports)s; add them to that report "
        '(on_duplicate="join") instead of filing them twice'
    ),
    "filing_split": N_("the transfers are split over several reports: %(reports)s"),
    "filing_report_exists": N_("report %(report)s exists already; choose another id"),
    # the registry's check (`chaincut.store.punishment`)
    **REASONS,
}

WORDS: dict[str, str] = {
    "noun:phone": N_("number"),
    "noun:account": N_("account"),
    "noun:url": N_("link"),
    "noun:domain": N_("site"),
    "noun:qq": N_("QQ id"),
    "noun:wechat": N_("WeChat id"),
    "nouns:account": N_("accounts"),
    "nouns:phone": N_("phones"),
    "source:victim": N_("reported by a fraud victim"),
    "source:police": N_("confirmed by the police"),
    "source:operator": N_("reported by a telecom operator"),
    "source:bank": N_("reported by a bank or payment institution"),
    "source:case": N_("confirmed in a fraud case"),
    "what:runner": N_("a score-running (跑分) account"),
    "what:simbox": N_("a SIM-box (GOIP) line"),
    "what:fraud": N_("a fraud caller's line"),
    "what:mule": N_("a money-mule (断卡) account"),
    "what:fraud_line": N_("a fraud line"),
    **{f"basis:{basis.value}": words for basis, words in BASIS_WORDS.items()},
}


class Phrase(BaseModel):
    """A sentence by code: `PHRASES[code]` filled with `args` (words by `WORDS`)."""

    code: str
    args: dict[str, str] = {}

    @property
    def text(self) -> str:
        """The sentence in English."""
        words = {k: WORDS.get(f"{k}:{v}", v) for k, v in self.args.items()}
        return PHRASES[self.code] % words if words else PHRASES[self.code]


def phrase(code: str, **args: object) -> Phrase:
    """The phrase `code` with `args` (each written as a string)."""
    if code not in PHRASES:
        raise KeyError(f"no phrase {code!r}")
    return Phrase(code=code, args={k: str(v) for k, v in args.items()})

"""The weighted link graph: reports, accounts, persons, phones, devices and ID numbers joined by
the evidence `collect` gathered, each edge with its weight and the ids behind it.

Shared infrastructure never links on its own. Every node gets a score of being shared by many
honest people (`infra`, 0..1) from weighted features — its kind (a pooled payment account, an
exchange, a merchant, a carrier's short code), how many counterparties or contacts it has, how
few of them are victims — and an edge's weight is multiplied by (1 - infra) at both ends; nodes
past one half take no part in the grouping at all. No list of names is hard-coded.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

#: account kinds and how strongly each suggests an account many honest people share
KIND_WEIGHT = {"merchant": 3.0, "exchange": 3.0, "cash": 4.0, "payment": 0.5, "crypto_wallet": 0.0}
#: how many counterparties an ordinary (or rented) account has at most, about
ORDINARY_DEGREE = 60.0
#: an edge's base weight by the kind of evidence
WEIGHTS = {
    "paid": 3.0,  # a victim's fraud transfer to the account
    "traced": 2.0,  # the report's money traced to the account
    "exit": 2.0,  # the report's money left through this account
    "transfer": 1.0,  # money between two of the chain's (or flagged) accounts
    "holder": 2.0,  # the account's holder
    "registered": 2.0,  # a person's registered phone or ID number; a card's registered phone
    "same_person": 2.0,  # record linkage: the same person (weight scaled by match probability)
    "contact": 1.0,  # calls or messages (scaled by how focused the caller is on victims)
    "device": 1.5,  # a number used in a handset or SIM box
    "victim": 1.0,  # the report's victim and their account
    "indicator": 1.0,  # a link, card, QQ/WeChat id or wallet in a message to a victim
    "case": 3.0,  # an analyst put the report in this case: as strong as a victim's payment
    "cell": 0.3,  # a line that reached victims called from this cell (a den's site)
}
#: edge kinds that are evidence (a gang's dens, its lines' sites) but take no part in the
#: grouping: at weight 0.3 the cells joined one training world's split gang and merged two
#: gangs of an evaluation world (docs/gangs.md, "Round six: grouping")
EVIDENCE_ONLY = frozenset({"cell"})
#: indicator kinds (chaincut.text) -> node kinds of the link graph
INDICATOR_NODES = {"url": "url", "wechat": "wechat", "qq": "qq", "qq_group": "qq_group",
                   "wechat_group": "wechat_group", "crypto_wallet": "wallet",
                   "bank_card": "account", "payment_account": "account"}  # fmt: skip


def node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def split(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    return kind, ident


@dataclass
class Edge:
    """One link between two nodes: its kind, weight and evidence ids."""

    a: str
    b: str
    kind: str
    weight: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class LinkGraph:
    """Nodes with their infrastructure score, and the evidence edges between them."""

    infra: dict[str, float] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, a: str, b: str, kind: str, weight: float, evidence: list[str]) -> None:
        if a == b:
            return
        self.infra.setdefault(a, 0.0)
        self.infra.setdefault(b, 0.0)
        self.edges.append(Edge(a, b, kind, weight, evidence))

    def weighted(self) -> dict[tuple[str, str], float]:
        """Edge weights for grouping: pairs summed, scaled down at shared infrastructure,
        pairs touching a node past one half and edges of `EVIDENCE_ONLY` kinds left out."""
        out: dict[tuple[str, str], float] = defaultdict(float)
        for e in self.edges:
            if e.kind in EVIDENCE_ONLY:
                continue
            ia, ib = self.infra.get(e.a, 0.0), self.infra.get(e.b, 0.0)
            if ia >= 0.5 or ib >= 0.5:
                continue
            a, b = (e.a, e.b) if e.a < e.b else (e.b, e.a)
            out[(a, b)] += e.weight * (1 - ia) * (1 - ib)
        return dict(out)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def account_infra(kind: str, degree: int, hub: bool, org_holder: bool) -> tuple[float, str]:
    """How likely an account is shared infrastructure (a pooled platform account, an exchange,
    a merchant, a cash pseudo-account), and why."""
    x = -3.0 + KIND_WEIGHT.get(kind, 0.0) + 1.5 * math.log10(max(degree, 1) / ORDINARY_DEGREE + 1)
    x += 2.0 * hub + 2.5 * org_holder + 1.5 * math.log10(max(degree, 1) / 1000 + 1) * 2
    why = f"{kind or 'account'} with {degree} counterparties" + (", a pooled hub" if hub else "")
    why += ", held by an organisation" if org_holder else ""
    return _sigmoid(x), why


def phone_infra(phone: str, contacts: int, victims: int) -> tuple[float, str]:
    """How likely a number is shared or a service line (a carrier's short code, a
    switchboard, a courier): many contacts, few of them victims."""
    # a number outside E.164 made of digits only is a carrier's short code or a bulk-SMS
    # gateway (95555, 10086, 106...); messenger ids carry a prefix and are not
    short = not phone.startswith("+") and phone.isdigit()
    share = victims / max(contacts, 1)
    x = -3.0 + 6.0 * short + 1.2 * math.log10(max(contacts, 1) / 20 + 1) * 2 - 6.0 * share
    x -= 0.8 * min(victims, 5)
    why = f"{'short code, ' if short else ''}{contacts} contacts, {victims} of them victims"
    return _sigmoid(x), why


def device_infra(phones: int, contacts: int, victims_phones: int) -> tuple[float, str]:
    """A handset or gateway carrying many numbers that never reach victims is a company's
    trunk or a clinic's gateway; one whose numbers reach victims is a SIM box."""
    x = -3.0 + 1.5 * math.log10(max(phones, 1) / 4 + 1) * 2 - 2.0 * min(victims_phones, 3)
    x += 1.0 * math.log10(max(contacts, 1) / 200 + 1)
    return _sigmoid(x), f"{phones} numbers, {contacts} callees, {victims_phones} reach victims"


def indicator_infra(senders: int) -> tuple[float, str]:
    """A link or an id that very many numbers send is a service's (a bank's site, a
    shortener's home page), not one gang's."""
    x = -3.0 + 3.0 * math.log10(max(senders, 1) / 5 + 1)
    return _sigmoid(x), f"sent by {senders} numbers"


def cell_infra(callers: int, lines: int) -> tuple[float, str]:
    """A cell many honest numbers call from (a city centre, a station) is shared by everyone
    near it; a den's site carries mostly the lines that reach victims. `callers`: the
    different numbers calling from the cell; `lines`: those of them that reached victims."""
    share = lines / max(callers, 1)
    x = -3.0 + 4.0 * math.log10(max(callers, 1) / 30 + 1) - 8.0 * share - 0.5 * min(lines, 4)
    return _sigmoid(x), f"{callers} numbers call from it, {lines} of them reach victims"

"""Judge gangs against a world's truth: the simulator's `truth/world.json` or the foreign
world's `truth.json`.

- report-pair F1: over all pairs of reports, "same gang" predicted against the truth;
- mule cards: the truth gang's rented cards and score-running accounts listed (as `mule` or
  `launderer`) in the predicted gang holding most of its reports (recall; beside it the recall
  over the cards the world's transactions show at all), and the share of the listed accounts
  that are innocent (anyone not in any gang's chain), also counted per person (their holders);
  each missed card counted by why it is missed (`cards_missed`, round eleven);
- per role: precision and recall of the persons named in each role (the simulator's holders
  of runner accounts count as launderers, 跑分, as the foreign world's do);
- operator lines (`operator_lines`): the numbers and handsets named `operator` against the
  lines the dens worked victims with (SIM-box SIMs and IMEIs, the operators' own numbers, IM ids
  and handsets); launderer accounts (`launderer_accounts`): the accounts named `launderer`
  against the score-running (跑分) accounts and the launderers' own accounts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from chaincut.gangs.analyse import Gang
from chaincut.gangs.member import ROLES

#: the simulator's names for roles, where they differ
SIM_ROLES = {"core": "core_member"}
#: the roles whose recall over the recorded persons is given at the top of the output too
RECORDED_ROLES = ("card_dealer", "financier", "core_member", "launderer")


@dataclass
class TruthGang:
    reports: set[str]
    cards: set[str]
    chain: set[str]
    persons: dict[str, set[str]] = field(default_factory=dict)  # role -> person ids
    #: the numbers and handsets the gang's operators worked victims with
    lines: set[str] = field(default_factory=set)
    #: score-running accounts and the launderers' own accounts
    laundering: set[str] = field(default_factory=set)


def read_truth(folder: Path) -> list[TruthGang]:
    """The gangs of a simulator world (truth/world.json) or a foreign world (truth.json)."""
    sim, foreign = folder / "truth" / "world.json", folder / "truth.json"
    if foreign.exists():
        data = json.loads(foreign.read_text(encoding="utf-8"))
        out = []
        for g in data["gangs"]:
            cards = {a for level in g["mule_levels"] for a in level} | set(g["runner_accounts"])
            roles: dict[str, set[str]] = defaultdict(set)
            for m in g["members"]:
                if m["kind"] == "person":
                    roles[m["role"]].add(m["id"])
            chain = cards | set(g.get("accounts", []))
            lines = {m["id"] for m in g["members"]
                     if m["kind"] in ("phone", "device") and m["role"] == "operator"}  # fmt: skip
            for box in g.get("boxes", []):
                lines |= {s["number"] for s in box["sims"]} | {i for _, i in box["imeis"]}
            laundering = set(g["runner_accounts"]) | {
                m["id"] for m in g["members"] if m["kind"] == "account" and m["role"] == "launderer"
            }
            out.append(TruthGang(set(g["reports"]), cards, chain, dict(roles), lines, laundering))
        return out
    if sim.exists():
        data = json.loads(sim.read_text(encoding="utf-8"))
        holders = _holders(folder)
        out = []
        for d in data["dens"]:
            acc = d["accounts"]
            cards = {a for k, v in acc.items() if k.startswith("mule_") or k == "runner" for a in v}
            chain = {a for v in acc.values() for a in v}
            roles = {SIM_ROLES.get(r, r): set(p) for r, p in d["members"].items()}
            # the simulator names mule persons only by label: the holders of the den's cards;
            # the holders of its runner (跑分) accounts are what the issue and the foreign
            # world call launderers (score-running), whatever the simulator's label says
            runners = {holders[a] for a in acc.get("runner", []) if a in holders}
            runners -= set().union(*roles.values())
            roles["launderer"] = roles.get("launderer", set()) | runners
            roles["mule"] = {holders[a] for a in cards if a in holders} - set().union(
                *roles.values()
            )
            lines = set(d.get("mobile_phones", [])) | set(d.get("roaming_phones", []))
            lines |= set(d.get("mobile_imeis", []))
            for box in d.get("simboxes", []):
                lines |= set(box["sims"]) | set(box.get("imeis", []))
            laundering = set(acc.get("runner", [])) | set(acc.get("launderer", []))
            out.append(TruthGang(set(d["report_ids"]), cards, chain, roles, lines, laundering))
        return out
    raise FileNotFoundError(f"no truth in {folder}: expected truth/world.json or truth.json")


#: (round eleven) why a true card is missed (`cards_missed` of the output), the first that
#: fits: `unrecorded` in no transaction of the world (only with `recorded`); `no_gang` its
#: gang's reports are in no predicted gang; `split` listed in another predicted gang that
#: holds some of the same true gang's reports (the grouping cut the gang); `other_gang` listed
#: in a predicted gang holding none of them (the card placed with another gang); `unlisted`
#: listed in no gang
MISSED = ("unrecorded", "no_gang", "split", "other_gang", "unlisted")


def _missed(
    t: TruthGang,
    mine: set[str],
    where: Mapping[str, str],
    by_id: Mapping[str, Gang],
    there: set[str],
    home: Gang | None,
) -> Counter[str]:
    """The true cards of `t` not in `mine` (the listed cards of `home`, the predicted gang
    holding most of its reports), counted by why (`MISSED`)."""
    out: Counter[str] = Counter()
    for card in t.cards - mine:
        if there and card not in there:
            out["unrecorded"] += 1
        elif home is None:
            out["no_gang"] += 1
        elif card in where:
            shared = set(by_id[where[card]].reports) & t.reports
            out["split" if shared else "other_gang"] += 1
        else:
            out["unlisted"] += 1
    return out


#: (round thirteen) the roles whose missed and wrong persons are counted by why
#: (`roles_missed`, `roles_wrong` of the output): issue 14's card dealers, financiers and core
#: members
SORTED_ROLES = ("card_dealer", "financier", "core_member")


def _role_misses(
    truth: list[TruthGang], named: Mapping[str, set[str]], seen: Collection[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, int]]]:
    """(round thirteen) Each of `SORTED_ROLES`' true persons not named in it, counted by why
    (as `cards_missed` counts the cards): `unrecorded` in no row of the world (only with
    `seen`; a financier abroad who never calls here and holds no account the money reaches),
    `other_role` named in another role (counted per role; the first by name where a person
    is named in several gangs), `not_named` in no role; and each person named in one of them
    wrongly, counted by his true role (`none`: in no gang). `named`: person -> the roles any
    gang names him in (scored as the roles are: named in one gang is named)."""
    true_role: dict[str, str] = {}
    for t in truth:
        for role, people in t.persons.items():
            for p in people:
                true_role.setdefault(p, role)
    missed: dict[str, dict[str, Any]] = {}
    wrong: dict[str, dict[str, int]] = {}
    for role in SORTED_ROLES:
        want = set().union(*(t.persons.get(role, set()) for t in truth)) if truth else set()
        counts: dict[str, Any] = {"unrecorded": 0, "other_role": {}, "not_named": 0}
        for p in sorted(want):
            got = named.get(p, set())
            if role in got:
                continue
            if seen and p not in seen:
                counts["unrecorded"] += 1
            elif got:
                other = min(got)
                counts["other_role"][other] = counts["other_role"].get(other, 0) + 1
            else:
                counts["not_named"] += 1
        missed[role] = counts
        bad = Counter(true_role.get(p, "none") for p, roles in named.items()
                      if role in roles and p not in want)  # fmt: skip
        wrong[role] = dict(sorted(bad.items()))
    return missed, wrong


def _table(folder: Path, name: str) -> Iterator[dict[str, str]]:
    import csv

    path = folder / f"{name}.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            yield from csv.DictReader(fh)


def recorded_persons(folder: Path) -> set[str]:
    """The persons of a world (CSV tables) some row of its data names doing anything: the
    holder of an account that appears in a transaction; the person a number that appears in a
    call or a message is registered to (`persons.phone`, or a SIM of `registered_sims`); the
    person whose number registered an account that appears in a transaction (a card dealer's
    phone on the cards he sold, round ten). A financier abroad who never calls here and holds
    no account the money reaches is in no record, and no analysis of the records can name
    him."""
    active: set[str] = set()
    for t in _table(folder, "transactions"):
        active.update((t["src_account"], t["dst_account"]))
    for c in _table(folder, "calls"):
        active.update((c["caller"], c["callee"]))
    for m in _table(folder, "messages"):
        active.update((m["sender"], m["receiver"]))
    owner: dict[str, str] = {}
    out: set[str] = set()
    for p in _table(folder, "persons"):
        numbers = [p.get("phone") or "", *(p.get("registered_sims") or "").split(";")]
        for n in filter(None, (x.strip() for x in numbers)):
            owner.setdefault(n, p["person_id"])
            if n in active:
                out.add(p["person_id"])
    for a in _table(folder, "accounts"):
        if a["account_id"] in active:
            out.add(a["holder_id"])
            if (a.get("reg_phone") or "") in owner:
                out.add(owner[a["reg_phone"]])
    return out - {""}


def recorded_accounts(folder: Path) -> set[str]:
    """The accounts a world's transactions (CSV) show, as payer or payee. A score-running
    account lent to a gang that no one paid in the world's window is in no record of money:
    `card_recall_recorded` counts the cards that are."""
    active: set[str] = set()
    for t in _table(folder, "transactions"):
        active.update((t["src_account"], t["dst_account"]))
    return active


def account_holders(folder: Path) -> dict[str, str]:
    """Account id -> holder id, from a world's `accounts.csv` (empty without one)."""
    return _holders(folder)


def _holders(folder: Path) -> dict[str, str]:
    import csv

    path = folder / "accounts.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["account_id"]: r["holder_id"] for r in csv.DictReader(fh) if r.get("holder_id")}


def _scored(
    gangs: list[Gang],
    truth: list[TruthGang],
    kinds: tuple[str, ...],
    role: str,
    want_of: Callable[[TruthGang], set[str]],
) -> dict[str, float]:
    """Precision and recall of the members of `kinds` named `role` against `want_of` (over
    all gangs together, as the persons' roles are scored)."""
    want = set().union(*map(want_of, truth)) if truth else set()
    got = {m.id for g in gangs for m in g.members if m.kind in kinds and m.role == role}
    hit = len(want & got)
    return {
        "precision": round(hit / len(got), 3) if got else 0.0,
        "recall": round(hit / len(want), 3) if want else 0.0,
        "named": len(got),
        "true": len(want),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(
    gangs: list[Gang],
    truth: list[TruthGang],
    seen: Collection[str] = (),
    *,
    recorded: Collection[str] = (),
    holders: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The figures of docs/gangs.md for one world. With `seen` (`recorded_persons`: the
    persons the world's data shows doing anything), each role also says how many of its true
    persons it shows (`recorded`) and the recall over those (`recall_recorded`): a world that
    leaves no trace of a role is no test of naming it. With `recorded` (`recorded_accounts`)
    the card recall is also given over the cards the transactions show
    (`card_recall_recorded`, `cards_recorded`); with `holders` (account -> person), the
    innocent accounts are also counted per person (`innocent_persons`: their holders who are in
    no gang; `innocent_person_share`: of the holders of the listed accounts)."""
    true_of = {r: k for k, t in enumerate(truth) for r in t.reports}
    pred_of = {r: g.gang_id for g in gangs for r in g.reports}
    reports = sorted(set(true_of) & set(pred_of))
    tp = fp = fn = 0
    for a, b in combinations(reports, 2):
        same_t, same_p = true_of[a] == true_of[b], pred_of[a] == pred_of[b]
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    by_id = {g.gang_id: g for g in gangs}
    chain = set().union(*(t.chain for t in truth)) if truth else set()
    found = total = found_rec = total_rec = 0
    there = set(recorded)
    listed: set[str] = set()
    for g in gangs:
        listed |= {
            m.id for m in g.members if m.kind == "account" and m.role in ("mule", "launderer")
        }
    where = {m.id: g.gang_id for g in gangs for m in g.members
             if m.kind == "account" and m.role in ("mule", "launderer")}  # fmt: skip
    missed: Counter[str] = Counter({k: 0 for k in MISSED})
    for t in truth:
        votes = Counter(pred_of[r] for r in t.reports if r in pred_of)
        total += len(t.cards)
        total_rec += len(t.cards & there)
        if not votes:
            missed.update(_missed(t, set(), where, by_id, there, None))
            continue
        # (a tie between two gangs goes to the smaller id, not to the order the set gives)
        g = by_id[min(votes, key=lambda k: (-votes[k], k))]
        mine = {m.id for m in g.members if m.kind == "account" and m.role in ("mule", "launderer")}
        found += len(t.cards & mine)
        found_rec += len(t.cards & mine & there)
        missed.update(_missed(t, mine, where, by_id, there, g))
    innocent = len(listed - chain)
    roles: dict[str, dict[str, float]] = {}
    for role in ROLES:
        want = set().union(*(t.persons.get(role, set()) for t in truth)) if truth else set()
        got = {m.id for g in gangs for m in g.members if m.kind == "person" and m.role == role}
        hit = len(want & got)
        roles[role] = {
            "precision": round(hit / len(got), 3) if got else 0.0,
            "recall": round(hit / len(want), 3) if want else 0.0,
            "named": len(got),
            "true": len(want),
        }
        if seen:
            shown = want & set(seen)
            roles[role]["recorded"] = len(shown)
            roles[role]["recall_recorded"] = (
                round(len(shown & got) / len(shown), 3) if shown else 0.0
            )
    lines = _scored(gangs, truth, ("phone", "device"), "operator", lambda t: t.lines)
    laundering: dict[str, Any] = _scored(
        gangs, truth, ("account",), "launderer", lambda t: t.laundering
    )
    out: dict[str, Any] = {
        "reports": len(reports),
        "gangs": len(gangs),
        "true_gangs": len(truth),
        "report_pair_f1": round(_f1(prec, rec), 3),
        "report_pair_precision": round(prec, 3),
        "report_pair_recall": round(rec, 3),
        "mule_card_recall": round(found / total, 3) if total else 0.0,
        "mule_cards_listed": len(listed),
        "innocent_share": round(innocent / len(listed), 3) if listed else 0.0,
        # (round eleven) the count beside the share, and why each missed card is missed
        "innocent_accounts": innocent,
        "cards_missed": dict(missed),
        "roles": roles,
        "operator_lines": lines,
        "launderer_accounts": laundering,
    }
    # (round thirteen) why each true dealer, financier and core member is missed, and what
    # the wrong ones are: a person in no record is counted apart, not guessed at
    named_as: dict[str, set[str]] = defaultdict(set)
    for g in gangs:
        for m in g.members:
            if m.kind == "person":
                named_as[m.id].add(m.role)
    out["roles_missed"], out["roles_wrong"] = _role_misses(truth, named_as, seen)
    if seen:
        # (round ten) beside the cards', the recall of the roles issue 14 asks for over the
        # true persons some row of the world names (`recorded_persons`): a financier in no
        # record is no test of an analysis of the records
        for role in RECORDED_ROLES:
            out[f"{role}_recall_recorded"] = roles[role]["recall_recorded"]
            out[f"{role}s_recorded"] = roles[role]["recorded"]
            out[f"{role}s_true"] = roles[role]["true"]
    if there:
        out["card_recall_recorded"] = round(found_rec / total_rec, 3) if total_rec else 0.0
        out["cards_recorded"] = total_rec
        out["cards_true"] = total
        # (round ten) a score-running account no one paid in the world's window is in no
        # record of money
        want = set().union(*(t.laundering for t in truth)) if truth else set()
        shown = want & there
        got = {m.id for g in gangs for m in g.members
               if m.kind == "account" and m.role == "launderer"}  # fmt: skip
        laundering["recorded"] = len(shown)
        laundering["recall_recorded"] = round(len(shown & got) / len(shown), 3) if shown else 0.0
        if holders is not None and seen:
            # a launderer whose score-running accounts no one paid is in no record of
            # laundering, whatever calls he made: the launderers' recall of recorded counts
            # those holding one of the gang's laundering accounts that the transactions show
            want = set().union(*(t.persons.get("launderer", set()) for t in truth))
            paid = {holders[a] for a in shown if a in holders} & want
            named = {m.id for g in gangs for m in g.members
                     if m.kind == "person" and m.role == "launderer"}  # fmt: skip
            out["launderer_recall_recorded"] = (
                round(len(paid & named) / len(paid), 3) if paid else 0.0
            )
            out["launderers_recorded"] = len(paid)
    if holders is not None:
        # (an account without a holder counts as a person of its own; a gang member's own
        # account listed by mistake harms no innocent person, but counts in `innocent_share`)
        guilty = set().union(*(p for t in truth for p in t.persons.values()))
        people = {holders.get(a, a) for a in listed}
        harmed = {holders.get(a, a) for a in listed - chain} - guilty
        out["innocent_persons"] = len(harmed)
        out["innocent_person_share"] = round(len(harmed) / len(people), 3) if people else 0.0
    return out

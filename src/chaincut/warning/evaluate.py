"""How good is the worklist: victims reached before they pay, at a fixed daily capacity.

The worklist of a day holds the `capacity` subjects with the highest warning score raised that
day (about five times the day's victims, by default); a subject is on it from the first warning
of that day that scored at least the day's cut. A victim counts as warned in time when it was on
a worklist before its first payment. Precision counts the worklist's entries (subject-days) that
are victims or people the fraud numbers reached (called or wrote to), against all entries. The
same measure is taken, in the same run, for the plain rule of the issue (`PlainRule`).

Harm per person: an innocent person is one on a worklist whom no fraud number reached (no call
or message from one) and who is no victim; each is a normal person the police would call. A
simulated world holds far more victims per person than a city does, so the innocent people per
victim warned are also given at an ASSUMED real prevalence (`PREVALENCE_PER_MONTH`), supposing
the worklist keeps its share of victims in time and its share of the unreached it puts on the
list (`bothered_per_warned`).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from chaincut import metrics
from chaincut.lake.engine import Engine
from chaincut.warning.events import Call, Event, Message, to_epoch
from chaincut.warning.mule import Schedule
from chaincut.warning.replay import lake_events, with_mule_scores
from chaincut.warning.signals import Directory, RaisedWarning, Warner
from chaincut.warning.state import Signal

#: account labels of the chain a victim pays into (simulator and foreign world alike)
CHAIN_PREFIXES = ("mule", "runner")
#: phone labels of fraud lines
FRAUD_PHONES = frozenset({"fraud", "simbox"})
#: ASSUMED share of people defrauded in a month (1 in 10,000): no published per-person figure
#: was found; China's police report some hundreds of thousands of telecom-fraud cases a year
#: among 1.4 billion people (about 3 in 100,000 a month), and most victims never report
PREVALENCE_PER_MONTH: Final = 1e-4


@dataclass(frozen=True)
class Truth:
    """Victims (person -> first payment, epoch s), everyone the fraud numbers reached, the days
    the lake spans and the people of its `persons` table neither reached nor victims (0:
    unknown)."""

    victims: Mapping[str, int]
    reached: frozenset[str]
    days: int
    unreached: int = 0


@dataclass(frozen=True)
class Figures:
    """The worklist's figures for one detector on one world."""

    victims: int
    capacity: int
    warned_in_time: int
    share_in_time: float
    median_lead_h: float | None
    entries: int
    precision: float
    innocent_people: int
    #: innocent people on the worklist per victim warned in time (None: none in time)
    innocent_per_warned: float | None = None
    #: the same at `prevalence` (`PREVALENCE_PER_MONTH` over the lake's days; None: unknown)
    bothered_per_warned: float | None = None
    prevalence: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def lake_truth(engine: Engine, directory: Directory, foreign: Path | None = None) -> Truth:
    """The truth of the world in the lake: from its labels, reports and transactions, or from
    `foreign/truth.json` for a foreign world (its victims' transfers and its targeted)."""
    labels = engine.execute(engine.table("labels"), label="labels").to_pylist()
    by_kind: dict[str, dict[str, str]] = defaultdict(dict)
    for row in labels:
        by_kind[row["entity_kind"]][row["entity_id"]] = row["label"]
    victims_p = {p for p, label in by_kind["person"].items() if label == "victim"}
    txns = engine.table("transactions")
    rows = engine.execute(txns.select("txn_id", "ts", "src_account", "dst_account"), label="txns")
    first: dict[str, int] = {}
    extra_reached: set[str] = set()
    if foreign is not None:
        from chaincut.foreign import read_truth

        data = read_truth(foreign)
        wanted = {t: v["person_id"] for v in data["victims"] for t in v["txn_ids"]}
        extra_reached = {t["person_id"] for t in data["targeted"]}
        for txn, ts in zip(rows["txn_id"].to_pylist(), rows["ts"].to_pylist(), strict=True):
            if txn in wanted:
                person, epoch = wanted[txn], to_epoch(ts)
                first[person] = min(first.get(person, epoch), epoch)
    else:
        chain = {a for a, label in by_kind["account"].items() if label.startswith(CHAIN_PREFIXES)}
        holder = directory.account_holder
        for src, dst, ts in zip(
            rows["src_account"].to_pylist(), rows["dst_account"].to_pylist(),
            rows["ts"].to_pylist(), strict=True,
        ):  # fmt: skip
            person = holder.get(src)
            if person in victims_p and dst in chain:
                epoch = to_epoch(ts)
                first[person] = min(first.get(person, epoch), epoch)
    fraud_phones = {p for p, label in by_kind["phone"].items() if label in FRAUD_PHONES}
    reached = set(extra_reached)
    for table, src, dst in (("calls", "caller", "callee"), ("messages", "sender", "receiver")):
        t = engine.table(table)
        got = engine.execute(t.filter(t[src].isin(list(fraud_phones))).select(dst), label=table)
        reached.update(directory.phone_holder.get(p, p) for p in got[dst].to_pylist())
    span = engine.execute(txns.aggregate(a=txns.ts.min(), b=txns.ts.max()), label="span")
    days = max(1, math.ceil((span["b"][0].as_py() - span["a"][0].as_py()).total_seconds() / 86400))
    reached |= set(first)
    people = engine.execute(engine.table("persons").select("person_id"), label="people")
    unreached = len(set(people["person_id"].to_pylist()) - reached)
    return Truth(first, frozenset(reached), days, unreached)


def person_of(w: RaisedWarning, directory: Directory) -> str:
    """The person a warning is about (its phone's or account's holder), else its subject."""
    if w.subject_kind == "phone":
        return directory.phone_holder.get(w.subject_id, w.subject_id)
    if w.subject_kind == "account":
        return directory.account_holder.get(w.subject_id, w.subject_id)
    return w.subject_id


def worklist_entries(
    warnings: Iterable[RaisedWarning], capacity: int, directory: Directory
) -> list[tuple[str, int]]:
    """(person, time on the list) for each entry of each day's worklist of `capacity`."""
    days: dict[int, dict[str, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    for w in warnings:
        days[w.raised_at // 86_400][person_of(w, directory)].append((w.rank, w.raised_at))
    entries: list[tuple[str, int]] = []
    for subjects in days.values():
        ranked = sorted(
            subjects.items(),
            key=lambda kv: (-max(s for s, _ in kv[1]), min(t for _, t in kv[1]), kv[0]),
        )
        top = ranked[:capacity]
        if not top:
            continue
        cut = max(s for s, _ in top[-1][1])
        for person, raised in top:
            entries.append((person, min(t for s, t in raised if s >= cut)))
    return entries


def figures(
    warnings: Iterable[RaisedWarning], truth: Truth, directory: Directory, per_victim: float = 5
) -> Figures:
    """The worklist's figures at a daily capacity of `per_victim` times the average day's
    victims (at least one entry a day)."""
    capacity = max(1, math.ceil(per_victim * len(truth.victims) / truth.days))
    entries = worklist_entries(warnings, capacity, directory)
    earliest: dict[str, int] = {}
    for person, at in entries:
        earliest[person] = min(earliest.get(person, at), at)
    leads = [
        (paid - earliest[v]) / 3600
        for v, paid in truth.victims.items()
        if v in earliest and earliest[v] < paid
    ]
    good = sum(1 for person, _ in entries if person in truth.reached)
    innocent = {person for person, _ in entries if person not in truth.reached}
    n = len(truth.victims)
    prevalence = PREVALENCE_PER_MONTH * truth.days / 30
    return Figures(
        victims=n,
        capacity=capacity,
        warned_in_time=len(leads),
        share_in_time=len(leads) / n if n else 0.0,
        median_lead_h=statistics.median(leads) if leads else None,
        entries=len(entries),
        precision=good / len(entries) if entries else 0.0,
        innocent_people=len(innocent),
        innocent_per_warned=len(innocent) / len(leads) if leads else None,
        bothered_per_warned=bothered_per_warned(
            len(leads) / n if n else 0.0, len(innocent), truth, prevalence
        ),
        prevalence=prevalence,
    )


def bothered_per_warned(
    share_in_time: float, innocent: int, truth: Truth, prevalence: float
) -> float | None:
    """Innocent people on the list per victim warned in time were victims `prevalence` of the
    people, supposing the list kept its share of victims in time (its recall) and its share of
    the unreached people it lists (its false-positive rate): (1 - P) / P, P the precision at that
    prevalence (`metrics.precision_at_prevalence`). None where no victim was in time or the
    unreached people are unknown."""
    if share_in_time <= 0 or truth.unreached <= 0:
        return None
    rate = min(1.0, innocent / truth.unreached)
    precision = metrics.precision_at_prevalence(share_in_time, rate, prevalence)
    return (1 - precision) / precision


@dataclass(frozen=True)
class Measured:
    """One replay's worklist figures: the warner's (`model`) and the plain rule's."""

    truth: Truth
    warnings: int
    model: Figures
    plain_rule: Figures

    def to_json(self) -> dict[str, Any]:
        """The shape `chaincut warn --replay --evaluate --json` prints."""
        return {
            "victims": len(self.truth.victims),
            "days": self.truth.days,
            "warnings": self.warnings,
            "model": self.model.to_json(),
            "plain_rule": self.plain_rule.to_json(),
        }


def measure(
    engine: Engine,
    directory: Directory,
    foreign: Path | None = None,
    *,
    per_victim: float = 5,
    mule: Schedule = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> Measured:
    """Replay the lake once through the warner (`mule`: the scheduled mule scores) and the plain
    rule side by side and judge both worklists against the lake's truth (`lake_truth`;
    `foreign`: a foreign world's folder)."""
    truth = lake_truth(engine, directory, foreign)
    warner, rule = Warner(directory), PlainRule(directory)
    ours: list[RaisedWarning] = []
    plain: list[RaisedWarning] = []
    for event in with_mule_scores(lake_events(engine, since, until), warner, mule):
        ours += warner.process(event)
        plain += rule.process(event)
    return Measured(
        truth,
        len(ours),
        figures(ours, truth, directory, per_victim),
        figures(plain, truth, directory, per_victim),
    )


class PlainRule:
    """The issue's plain rule: warn whoever a number that has reached 30+ people calls for 2+
    minutes or texts. Every such warning scores 1 (ties are taken in time order)."""

    def __init__(self, directory: Directory, reach: int = 30, call_s: int = 120) -> None:
        self.directory, self.reach, self.call_s = directory, reach, call_s
        self.contacts: dict[str, set[str]] = defaultdict(set)
        self.warned: set[str] = set()
        self._next = 1

    def process(self, event: Event) -> list[RaisedWarning]:
        if isinstance(event, Call):
            src, dst, eid, kind = event.caller, event.callee, event.call_id, "call"
            long_enough = event.duration_s >= self.call_s
        elif isinstance(event, Message):
            src, dst, eid, kind = event.sender, event.receiver, event.msg_id, "message"
            long_enough = True
        else:
            return []
        seen = self.contacts[src]
        if len(seen) < self.reach:
            seen.add(dst)
        if not long_enough or len(seen) < self.reach or dst in self.warned:
            return []
        self.warned.add(dst)
        warning_id, self._next = f"R{self._next:08d}", self._next + 1
        why = f"contact from {src}, a number that has reached {self.reach}+ people"
        signal = Signal(kind, eid, event.ts, why, 1.0)
        return [RaisedWarning(warning_id, "phone", dst, event.ts, 1.0, "other", "sms", (signal,))]

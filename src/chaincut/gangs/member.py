"""A gang member as `chaincut gangs` lists it: kind, id, role, confidence and evidence (in
English, and beside it each sentence's code and values: `chaincut.gangs.sentences`)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chaincut.gangs.sentences import Sentence

ROLES = ("financier", "core_member", "operator", "card_dealer", "launderer", "mule",
         "recruiter", "logistics")  # fmt: skip
#: members below this confidence are left out of a gang's list
MIN_CONFIDENCE = 0.5


@dataclass
class Member:
    kind: str
    id: str
    role: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    #: each evidence item's code and values, `None` for an identifier (parallel to evidence)
    codes: list[dict[str, Any] | None] = field(default_factory=list)

    def json(self) -> dict[str, object]:
        codes = self.codes if len(self.codes) == len(self.evidence) else []
        return {"kind": self.kind, "id": self.id, "role": self.role,
                "confidence": round(self.confidence, 2), "evidence": self.evidence[:12],
                "evidence_codes": codes[:12]}  # fmt: skip


def member(
    kind: str, ident: str, role: str, confidence: float, items: Iterable[str | Sentence]
) -> Member:
    """A member whose evidence is `items`: sentences (said in English, their codes kept
    beside) and identifiers (as they are)."""
    found = list(items)
    text = [i if isinstance(i, str) else i.text for i in found]
    codes = [None if isinstance(i, str) else i.as_dict() for i in found]
    return Member(kind, ident, role, confidence, text, codes)


def sig(x: float) -> float:
    """The logistic function: a weighted sum of evidence to a confidence."""
    return 1.0 / (1.0 + math.exp(-x))

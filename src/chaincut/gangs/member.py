"""A gang member as `chaincut gangs` lists it: kind, id, role, confidence and evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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

    def json(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "role": self.role,
                "confidence": round(self.confidence, 2), "evidence": self.evidence[:12]}  # fmt: skip


def sig(x: float) -> float:
    """The logistic function: a weighted sum of evidence to a confidence."""
    return 1.0 / (1.0 + math.exp(-x))

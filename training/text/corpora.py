"""Loaders for the labelled corpora in ../shared/data and the type mappings onto FRAUD_TYPES.

`teleantifraud_dialogues` (Apache-2.0) may train the shipped model. `telecom_fraud_texts_5`
(GPL-3.0, research use) is for evaluation and development only: it is loaded by the evaluation
script and never by `build_model.py`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
DIALOGUES = DATA / "teleantifraud_dialogues"
TELECOM = DATA / "telecom_fraud_texts_5"

#: TeleAntiFraud's generic types onto PRODUCT.md's; by what the scripts say (README notes):
#: bank, phishing, identity-theft and parcel ("邮件") scripts are fake customer/bank/courier
#: service agents asking for card data, codes or fees; the "kidnapping" scripts are callers
#: posing as a relative's friend or as the relative in trouble (冒充熟人); lottery prizes fit none
DIALOGUE_TYPES: dict[str, str] = {
    "投资诈骗": "fake_investment",
    "客服诈骗": "fake_customer_service",
    "银行诈骗": "fake_customer_service",
    "钓鱼诈骗": "fake_customer_service",
    "身份盗窃": "fake_customer_service",
    "邮件诈骗": "fake_customer_service",
    "绑架诈骗": "impersonate_boss",
    "彩票诈骗": "other",
}

#: telecom_fraud_texts_5's classes onto PRODUCT.md's
TELECOM_TYPES: dict[str, str] = {
    "冒充公检法及政府机关类": "impersonate_police",
    "贷款、代办信用卡类": "fake_loan",
    "冒充客服服务": "fake_customer_service",
    "冒充领导、熟人类": "impersonate_boss",
}


@dataclass(frozen=True)
class Example:
    """One labelled text. `group` keeps related texts (one dialogue, one template) together."""

    text: str
    fraud: bool
    fraud_type: str | None
    source: str
    group: str
    label: str = ""  # the data set's own label


def _dialogue_rows() -> Iterator[tuple[str, dict[str, object]]]:
    for path in sorted(DIALOGUES.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield f"{path.stem}:{number}", json.loads(line)


def load_dialogues(views: tuple[str, ...] = ("transcript", "caller", "opener")) -> list[Example]:
    """TeleAntiFraud dialogues, each as up to three texts (views) in one group.

    transcript: both speakers' turns interleaved, as a call transcript reads; caller: the left
    speaker's turns (the fraudster in fraud files, the agent in normal ones); opener: the first
    two caller turns, about as long as an SMS.
    """
    examples: list[Example] = []
    for group, row in _dialogue_rows():
        left = [str(t) for t in row.get("left") or []]  # type: ignore[attr-defined]
        right = [str(t) for t in row.get("right") or []]  # type: ignore[attr-defined]
        fraud = group.startswith("fraud_")
        fraud_type = DIALOGUE_TYPES[str(row["fraud_type"])] if fraud else None
        turns = [t for pair in zip(left, right + [""] * len(left), strict=False) for t in pair if t]
        texts = {
            "transcript": "\n".join(turns),
            "caller": "\n".join(left),
            "opener": "".join(left[:2]),
        }
        for view in views:
            if texts[view]:
                examples.append(
                    Example(
                        texts[view],
                        fraud,
                        fraud_type,
                        f"dialogues/{view}",
                        group,
                        str(row["fraud_type"]),
                    )
                )
    return examples


def _telecom_rows() -> Iterator[tuple[str, str, str]]:
    for path in sorted(TELECOM.glob("label*.csv")):
        encoding = "gb18030" if path.name.startswith("label04") else "utf-8"
        with path.open(encoding=encoding, newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                yield f"{path.stem}:{number}", row["content"], row["label"]


def in_dev_split(text: str) -> bool:
    """The fixed development third of telecom_fraud_texts_5 (by a hash of the text)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 3 == 0


def load_telecom(split: str = "test") -> list[Example]:
    """telecom_fraud_texts_5, EVALUATION ONLY: split "dev" (a third), "test" (the rest) or "all"."""
    examples: list[Example] = []
    for group, text, label in _telecom_rows():
        if split != "all" and in_dev_split(text) != (split == "dev"):
            continue
        fraud = label.strip() != "0"
        fraud_type = TELECOM_TYPES[label.strip()] if fraud else None
        examples.append(Example(text, fraud, fraud_type, "telecom", group, label.strip()))
    return examples


def split_by_group(examples: list[Example], test_share: float = 0.2) -> tuple[list[Example], ...]:
    """A deterministic train/test split that keeps each group on one side."""

    def held_out(group: str) -> bool:
        digest = hashlib.sha256(group.encode("utf-8")).hexdigest()[:8]
        return int(digest, 16) / 0xFFFFFFFF < test_share

    train = [e for e in examples if not held_out(e.group)]
    test = [e for e in examples if held_out(e.group)]
    return train, test

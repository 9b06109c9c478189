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
NORMAL_DIALOGUES = DATA / "normal_dialogues"

#: normal_dialogues files that may train the shipped model; the others are held out, so that
#: its figures on them are on sources it never saw (one of each genre on either side)
NORMAL_TRAIN_FILES = ("lccc_weibo", "audreyt_transcripts", "crosswoz", "multiwoz_zh_mt")
NORMAL_HELD_OUT_FILES = ("kdconv", "cped_tv", "vcsum_meetings", "multiwoz_zh_human")
#: TeleAntiFraud held out by generation run (fraud) and by scene (normal)
DIALOGUES_HELD_OUT_FILE = "fraud_dialogues-20250301_111817"
DIALOGUES_HELD_OUT_SCENES = ("交通咨询", "打车服务")

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
    spam: bool = False  # advertising or marketing (never fraud)
    genre: str = "sms"  # sms, call, chat, meeting, task, tv_drama, ...

    @property
    def verdict(self) -> str:
        """The three-way label: fraud, spam or normal."""
        return "fraud" if self.fraud else "spam" if self.spam else "normal"


def _dialogue_rows() -> Iterator[tuple[str, dict[str, object]]]:
    for path in sorted(DIALOGUES.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield f"{path.stem}:{number}", json.loads(line)


def dialogue_held_out(group: str, scene: str) -> bool:
    """Whether a TeleAntiFraud dialogue belongs to the held-out side (see the constants)."""
    return group.startswith(DIALOGUES_HELD_OUT_FILE) or scene in DIALOGUES_HELD_OUT_SCENES


def load_dialogues(
    views: tuple[str, ...] = ("transcript", "caller", "opener"), split: str = "all"
) -> list[Example]:
    """TeleAntiFraud dialogues, each as up to three texts (views) in one group.

    split: "train" (what the shipped model may see), "held_out" (the other generation run and
    scenes) or "all".

    transcript: both speakers' turns interleaved, as a call transcript reads; caller: the left
    speaker's turns (the fraudster in fraud files, the agent in normal ones); opener: the first
    two caller turns, about as long as an SMS.
    """
    examples: list[Example] = []
    for group, row in _dialogue_rows():
        held_out = dialogue_held_out(group, str(row.get("fraud_type", "")))
        if split != "all" and held_out != (split == "held_out"):
            continue
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
                        genre="call",
                    )
                )
    return examples


def load_normal_dialogues(
    files: tuple[str, ...] = NORMAL_TRAIN_FILES, views: tuple[str, ...] = ("text", "opener")
) -> list[Example]:
    """Real normal conversations (normal_dialogues), each as the text and (when it has more
    than two turns) its first two turns, in one group; the genre is the file's."""
    examples: list[Example] = []
    for name in files:
        with (NORMAL_DIALOGUES / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                turns = str(row["text"]).split("\n")
                texts = {"text": str(row["text"])}
                if len(turns) > 2:
                    texts["opener"] = "\n".join(turns[:2])
                for view in views:
                    if view in texts:
                        examples.append(
                            Example(
                                texts[view],
                                False,
                                None,
                                f"normal_dialogues/{name}",
                                str(row["id"]),
                                str(row["genre"]),
                                genre=str(row["genre"]),
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

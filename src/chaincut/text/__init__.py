"""Fraud-script recognition (话术识别): is a text fraud, which type, and which phrases say so.

    >>> from chaincut.text import classify
    >>> verdict = classify("您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户")
    >>> verdict.fraud, verdict.fraud_type
    (True, 'impersonate_police')

A conversation (a thread of turns between two parties, in time order) is judged as a unit by
`classify_conversation(turns)`.

The default model is small, CPU-only and ships in the package (see docs/text-classifier.md).
"""

from __future__ import annotations

from chaincut.text.conversation import (
    ConversationVerdict,
    classify_conversation,
    classify_conversations,
)
from chaincut.text.indicators import Indicator, extract_indicators
from chaincut.text.model import ModelError, TextModel, default_model
from chaincut.text.normalize import normalize
from chaincut.text.verdict import Verdict, classify, classify_many

__all__ = [
    "ConversationVerdict",
    "Indicator",
    "ModelError",
    "TextModel",
    "Verdict",
    "classify",
    "classify_conversation",
    "classify_conversations",
    "classify_many",
    "default_model",
    "extract_indicators",
    "normalize",
]

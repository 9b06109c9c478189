"""A score reason that counts against a number (an answered call: people answer, SIM boxes
hardly do) shows its weight as `-3.16`, not `+-3.16` (round ten's new-user run, a number's
look-up page)."""

from __future__ import annotations

from types import SimpleNamespace

from chaincut.web.common import templates
from chaincut.web.phrasing import indicator


def _render(result: object) -> str:
    return templates.env.get_template("_scores.html").render(
        result=result,
        t=lambda key: key,
        feature=lambda f: f["description"],
        indicator=lambda r, kind: indicator(r, kind, "en"),
    )


def test_weights_carry_their_own_sign() -> None:
    number = SimpleNamespace(
        score=0.02, label="normal", flagged=False, evidence=[],
        reasons=[{"code": "x", "text": "answers calls", "weight": -3.16, "evidence": []},
                 {"code": "y", "text": "one cell", "weight": 2.51, "evidence": []}],
    )  # fmt: skip
    page = _render(SimpleNamespace(kind="phone", scores=SimpleNamespace(number=number, devices=[])))
    assert "(-3.16)" in page and "(+2.51)" in page and "+-" not in page
    account = SimpleNamespace(
        score=0.5, label="normal", flagged=False, patterns=[],
        features=[{"description": "night share", "value": 0.1, "contribution": -0.4},
                  {"description": "pass-through", "value": 0.9, "contribution": 1.2}],
    )  # fmt: skip
    page = _render(SimpleNamespace(kind="account", scores=SimpleNamespace(account=account)))
    assert "<td>-0.40</td>" in page and "<td>+1.20</td>" in page and "+-" not in page

"""Round eleven: `why.joined` gathers the parts once, the same sentence as adding them."""

from __future__ import annotations

import pytest

from chaincut.warning.why import Why, joined, why


def _added(whys: list[Why], sep: str) -> Why:
    out = Why(())
    for i, w in enumerate(whys):
        out = out + (why(sep) + w if i else w)
    return out


@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("sep", ["then", "colon"])
def test_joined_says_what_adding_said(n: int, sep: str) -> None:
    whys = [why("lure", lure=f"url {i}", n=str(i)) + why("then") for i in range(n)]
    assert joined(whys, sep) == _added(whys, sep)
    assert joined(whys, sep).text == _added(whys, sep).text
    assert joined(whys, sep).as_list() == _added(whys, sep).as_list()

"""`chaincut gangs` prints every gang id and role whole in 80 columns (round nine's new-user
run: piped to a file, the table cut ids to "GANG-F…" and roles to "card_d…", so neither could be
typed into `--report` or `/v1/gangs/{id}`)."""

from __future__ import annotations

import pytest

from chaincut.cli.app import console
from chaincut.cli.commands_gangs import _show

ROLES = ("card_dealer", "core_member", "financier", "launderer", "mule", "operator")


def _gang(gang_id: str, members: int) -> dict[str, object]:
    return {
        "gang_id": gang_id,
        "reports": [f"FR{i:06d}" for i in range(13)],
        "stability": 0.32,
        "members": [{"role": ROLES[i % len(ROLES)]} for i in range(members)],
        "money": {"reported": "1239932.00", "stopped": "1243297.97", "exited": "1005284.76"},
    }


@pytest.mark.parametrize("width", [80, 100])
def test_ids_and_roles_are_whole_at_80_columns(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setattr(console, "width", width)
    gangs = [_gang("GANG-FR000001", 680), _gang("GANG-FR000012", 7)]
    with console.capture() as captured:
        _show(gangs)
    text = captured.get()
    assert "…" not in text
    for gang in gangs:
        assert str(gang["gang_id"]) in text
    for role in ROLES:
        assert f"{role} " in text
    assert "reported ¥1,239,932.00" in text
    assert "operator 113" in text  # 680 members, one in six an operator
    assert max(len(line) for line in text.splitlines()) <= width

"""The hostile-input corpus (tests/security/corpus.py) against the whole app: every request is
answered with one of its right statuses, errors in the one error shape, never a server error;
and the stateful cases of issue 17 (a suspect added twice)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.conftest import Secured
from tests.security.corpus import CORPUS, Hostile


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_input_gets_a_clear_answer(secured: Secured, case: Hostile) -> None:
    headers: dict[str, Any] = dict(case.headers)
    if case.who is not None:
        headers["Authorization"] = f"Bearer {secured.tokens[case.who]}"
    kw: dict[str, Any] = {"json": case.json} if case.json is not None else {}
    if case.content is not None:
        kw = {"content": case.content}
    r = secured.client.request(case.method, case.path, headers=headers, **kw)
    assert r.status_code in case.expect, (r.status_code, r.text[:300])
    if r.status_code >= 400:
        error = r.json()["error"]
        assert error["status"] == r.status_code and error["message"]
        assert set(error) >= {"status", "message", "field"}


def test_a_suspect_named_twice_is_a_conflict(secured: Secured) -> None:
    headers = {"Authorization": f"Bearer {secured.tokens['analyst']}"}
    ask = secured.client.post
    assert ask("/v1/cases", json={"case_id": "K2", "name": "x"}, headers=headers).is_success
    suspect = {"role": "core_member", "person_id": "P3"}
    assert ask("/v1/cases/K2/suspects", json=suspect, headers=headers).status_code == 201
    again = ask("/v1/cases/K2/suspects", json=suspect, headers=headers)
    assert again.status_code == 409 and again.json()["error"]["field"] == "person_id"

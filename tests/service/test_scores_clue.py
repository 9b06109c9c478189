"""Number clues (`/v1/numbers/{n}/clue`) and the lake's account and number scores."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from chaincut.service.lakeview import LakeGate
from chaincut.services import scorecache
from chaincut.services.scorecache import ScoreCache
from chaincut.settings import Settings
from chaincut.store.tables import AuditEntry
from tests.service.conftest import Api
from tests.service.world import FRAUD_NUMBER, MULE1, MULE2, MULE3

VICTIM_NUMBER = "13800005678"
#: the world writes mobiles without +86; the lake holds them in E.164 (chaincut.ingest.phones)
HELD_FRAUD, HELD_VICTIM = "+86" + FRAUD_NUMBER, "+86" + VICTIM_NUMBER


def _audits(api: Api, action: str) -> list[AuditEntry]:
    with api.store.session(readonly=True) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_clue_analyst_unmasked_and_audited(api: Api) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst", "case 7")
    assert r.status_code == 200, r.text
    data = r.json()
    (facts,) = data["numbers"]
    assert facts["number"] == HELD_FRAUD and facts["known"]
    assert facts["calls_out"] == 2
    assert VICTIM_NUMBER in r.text  # the victim it called, unmasked
    (entry,) = _audits(api, "clue_number")
    assert (entry.actor, entry.subject_kind, entry.subject_id) == ("analyst", "phone", HELD_FRAUD)
    assert entry.purpose == "case 7" and entry.detail["found"] is True


def test_clue_telecom_masked(api: Api) -> None:
    analyst = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", "analyst", "check").json()
    assert analyst["numbers"][0]["holders"][0]["name"] == "张三"
    r = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", "telecom", "check")
    assert r.status_code == 200, r.text
    (facts,) = r.json()["numbers"]
    assert facts["number"] == HELD_VICTIM  # the number asked stays readable
    (holder,) = facts["holders"]
    assert "张三" not in r.text and "510104199001011234" not in r.text
    assert "*" in holder["name"] and holder["id_number"] == "5101**********1234"
    assert FRAUD_NUMBER not in r.text  # other numbers are masked
    masked = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "telecom", "check").text
    assert "138****5678" in masked and VICTIM_NUMBER not in masked


def test_clue_unknown_number_is_404_and_audited(api: Api) -> None:
    r = api.get("/v1/numbers/13011112222/clue", "admin", "check")
    assert r.status_code == 404
    assert r.json()["error"]["field"] == "number"
    assert "13011112222" in r.json()["error"]["message"]
    (entry,) = _audits(api, "clue_number")
    assert entry.detail["found"] is False


@pytest.mark.parametrize("who", ["bank", "public"])
def test_clue_forbidden(api: Api, who: str) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", who, "check")
    assert r.status_code == 403
    assert "may not" in r.json()["error"]["message"]


def test_clue_needs_purpose_and_sign_in(api: Api) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst")
    assert r.status_code == 400 and r.json()["error"]["field"] == "purpose"
    assert api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", None, "check").status_code == 401


def test_account_scores_roles(api: Api) -> None:
    r = api.get("/v1/scores/accounts?top=3", "analyst")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["kind"] == "account" and len(data["items"]) <= 3
    assert data["scored"] >= len(data["items"])
    scores = [i["score"] for i in data["items"]]
    assert scores == sorted(scores, reverse=True)
    assert {"account_id", "score", "label", "flagged", "features", "patterns"} <= set(
        data["items"][0]
    )
    every = api.get("/v1/scores/accounts", "admin").json()
    ids = {i["account_id"] for i in every["items"]}
    assert {MULE1, MULE2} <= ids

    bank = api.get("/v1/scores/accounts", "bank").json()  # CCB: MULE1 and MULE3 only
    shown = {i["account_id"] for i in bank["items"]}
    assert shown == {MULE1, MULE3}  # its own customers, in full: it acts on them
    assert MULE2 not in str(bank)
    assert api.get("/v1/scores/accounts", "telecom").status_code == 403
    assert api.get("/v1/scores/accounts", "public").status_code == 403


def test_number_scores_roles(api: Api) -> None:
    r = api.get("/v1/scores/numbers?top=2", "analyst")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["kind"] == "number" and len(data["items"]) == 2
    assert data["items"][0]["score"] >= data["items"][1]["score"]
    assert HELD_FRAUD in {
        i["number"] for i in api.get("/v1/scores/numbers", "admin").json()["items"]
    }
    telecom = api.get("/v1/scores/numbers", "telecom").json()
    assert all("*" in i["number"] for i in telecom["items"])
    for who in ("bank", "public"):
        r = api.get("/v1/scores/numbers", who)
        assert r.status_code == 403 and "may not" in r.json()["error"]["message"]
    assert api.get("/v1/scores/numbers", None).status_code == 401


@pytest.mark.parametrize("top", ["0", "1001", "x"])
def test_scores_top_bounds(api: Api, top: str) -> None:
    r = api.get(f"/v1/scores/numbers?top={top}", "analyst")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "top"


def test_score_cache_computes_once_per_key() -> None:
    cache = ScoreCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("x", (1,), compute) == 1
    assert cache.get("x", (1,), compute) == 1
    assert cache.get("x", (2,), compute) == 2
    assert len(calls) == 2
    assert cache.peek("x", (2,)) == 2 and cache.peek("x", (1,)) is None
    cache.clear()
    assert cache.peek("x", (2,)) is None
    assert cache.get("x", (2,), compute) == 3


def test_scores_cached_across_requests(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert api.get("/v1/scores/numbers", "analyst").status_code == 200
    import chaincut.telecom.scoring as scoring

    def boom(_engine: object) -> None:
        raise AssertionError("scored twice")

    monkeypatch.setattr(scoring, "score_numbers", boom)
    assert api.get("/v1/scores/numbers?top=1", "telecom").status_code == 200


def test_look_ups_carry_the_explained_scores_masked_below_analyst(api: Api) -> None:
    r = api.get(f"/v1/accounts/{MULE1}", "bank", "kyc")
    assert r.status_code == 200, r.text
    account = r.json()["scores"]["account"]
    assert account["label"] == "mule_l1" and account["flagged"]
    assert account["account_id"] == MULE1  # the bank holds it (masking by need)
    assert account["patterns"][0]["txn_ids"] == ["T2", "T3"]
    number = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "telecom", "check").json()["scores"]
    assert number["number"]["number"] == HELD_FRAUD  # the number the operator asked about
    evidence = {e for reason in number["number"]["reasons"] for e in reason["evidence"]}
    assert evidence <= {"C1", "C2"}
    assert [d["imei"] for d in number["devices"]] == ["I****"]
    full = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "analyst", "check").json()["scores"]
    assert [d["imei"] for d in full["devices"]] == ["IMEI1"]


def _busy_engine(monkeypatch: pytest.MonkeyPatch, failures: int, message: str) -> list[int]:
    """Make the first `failures` opens of the lake fail with DuckDB's `message`."""
    import duckdb

    import chaincut.lake.engine as engines
    from chaincut.lake.engine.base import EngineError

    real = engines.get_engine
    opened: list[int] = []

    def flaky(settings: Settings) -> object:
        opened.append(1)
        if len(opened) <= failures:
            raise EngineError("duckdb", "connect", message, "") from duckdb.IOException(message)
        return real(settings)

    monkeypatch.setattr(engines, "get_engine", flaky)
    return opened


def test_scores_wait_for_a_busy_lake(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lake another connection holds for a moment is retried, not answered with a 503."""
    opened = _busy_engine(monkeypatch, 3, "Could not set lock on file: Conflicting lock")
    r = api.get("/v1/scores/accounts?top=1", "analyst")
    assert r.status_code == 200, r.text
    assert len(opened) == 4


def test_scores_of_a_lake_that_stays_busy_are_a_503_with_retry_after(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecache, "OPEN_RETRY_S", 1.0)  # read when called: no 30 s wait
    opened = _busy_engine(monkeypatch, 10**6, "Could not set lock on file: Conflicting lock")
    r = api.get("/v1/scores/numbers", "analyst")
    assert r.status_code == 503, r.text
    assert 1 < len(opened) <= 5  # retried (pauses 0.05, 0.1, 0.2, 0.4 s), then given up
    assert int(r.headers["Retry-After"]) > 0
    assert "lock" in r.json()["error"]["message"]
    documented = api.client.get("/openapi.json").json()["paths"]["/v1/scores/numbers"]["get"]
    assert "Retry-After" in documented["responses"]["503"]["headers"]


def test_scores_do_not_retry_a_lake_that_is_broken(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _busy_engine(monkeypatch, 10**6, "Catalog Error: no table transactions")
    assert api.get("/v1/scores/accounts", "admin").status_code == 503
    assert len(opened) == 1


def test_scores_still_computing_are_a_503_with_retry_after(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first ask answers within `score_wait_s`, not after the whole computation (an HTTP
    client's read timeout ends sooner on a loaded machine); the computation goes on."""
    import chaincut.telecom.scoring as scoring

    real = scoring.score_numbers
    go = threading.Event()

    def slow(engine: object) -> object:
        go.wait(60)
        return real(engine)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring, "score_numbers", slow)
    api.client.app.state.chaincut.score_wait_s = 0.2  # type: ignore[attr-defined]
    started = time.monotonic()
    r = api.get("/v1/scores/numbers", "analyst")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0, r.text
    assert "being computed" in r.json()["error"]["message"]
    assert time.monotonic() - started < 30
    # the look-up does not wait either: it answers without the scores
    looked = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "analyst", "kyc")
    assert looked.status_code == 200 and looked.json()["scores"] is None, looked.text
    go.set()
    api.client.app.state.chaincut.score_wait_s = 600.0  # type: ignore[attr-defined]
    assert api.get("/v1/scores/numbers", "analyst").status_code == 200


def test_number_look_ups_wait_for_both_scores_at_once(tmp_path: Path) -> None:
    """`ready_many` starts every computation before it waits: the wait is shared, not summed."""
    cache = ScoreCache()
    settings = Settings(home=tmp_path)
    key = scorecache.lake_key(settings)
    running: list[str] = []
    both = threading.Barrier(2, timeout=5)

    def compute(name: str) -> object:
        def run(cache_: ScoreCache, _settings: Settings, _gate: LakeGate) -> object:
            running.append(name)
            both.wait()  # fails (BrokenBarrierError) unless both run at once
            return cache_.get(name, key, lambda: [name])

        return run

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(scorecache._COMPUTE, "numbers", compute("numbers"))
        mp.setitem(scorecache._COMPUTE, "devices", compute("devices"))
        found = scorecache.ready_many(cache, ("numbers", "devices"), settings, LakeGate(), 10)
    assert found == {"numbers": ["numbers"], "devices": ["devices"]}
    assert sorted(running) == ["devices", "numbers"]


def test_one_background_computation_per_kind_and_lake_state() -> None:
    cache = ScoreCache()
    go = threading.Event()
    runs: list[tuple[int, ...]] = []

    def compute(key: tuple[int, ...]) -> Callable[[], None]:
        def run() -> None:
            runs.append(key)
            go.wait(10)

        return run

    first = cache.background("accounts", (1,), compute((1,)))
    assert cache.background("accounts", (1,), compute((1,))) is first  # joined, not doubled
    newer = cache.background("accounts", (2,), compute((2,)))  # the lake changed meanwhile
    assert newer is not first
    go.set()
    first.join(10)
    newer.join(10)
    assert sorted(runs) == [(1,), (2,)]


def test_clue_while_its_index_is_built_is_a_503_with_retry_after(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chaincut.telecom.clue.fresh as clue_fresh

    real = clue_fresh.ensure_clue_index
    go = threading.Event()

    def slow(settings: Settings) -> Path:
        go.wait(60)
        return real(settings)

    monkeypatch.setattr(clue_fresh, "ensure_clue_index", slow)
    api.client.app.state.chaincut.score_wait_s = 0.2  # type: ignore[attr-defined]
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst", "case 7")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) > 0, r.text
    assert "being built" in r.json()["error"]["message"]
    assert [a.detail for a in _audits(api, "clue_number")] == [{"found": False}]
    go.set()
    api.client.app.state.chaincut.score_wait_s = 600.0  # type: ignore[attr-defined]
    assert api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst", "case 7").status_code == 200

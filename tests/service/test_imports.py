"""`POST /v1/imports`: upload interchange tables, imported as `chaincut import` does (checks,
rejects, idempotency), then traced at once; roles, limits and clear errors."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from chaincut.settings import Settings
from tests.service.conftest import USERS, Api, make_api
from tests.service.world import TABLES, VICTIM

Files = list[tuple[str, tuple[str, bytes, str]]]


@pytest.fixture
def fresh(tmp_path: Path, sqlite_url: str) -> Iterator[Api]:
    """An API whose home has no lake yet (uploads write to it; the shared lake stays as it is)."""
    yield from make_api(tmp_path / "home", sqlite_url)


def files(tables: dict[str, str] = TABLES) -> Files:
    return [("files", (f"{name}.csv", text.encode(), "text/csv")) for name, text in tables.items()]


def upload(api: Api, who: str | None, parts: Files, **kw: Any) -> Any:
    return api.client.post("/v1/imports", headers=api.headers(who), files=parts, **kw)


def test_only_analysts_and_admins_import(fresh: Api) -> None:
    assert upload(fresh, None, files()).status_code == 401
    for who in USERS:
        r = upload(fresh, who, files({"labels": TABLES["labels"]}))
        expected = 200 if who in ("analyst", "admin") else 403
        assert r.status_code == expected, (who, r.text)


def test_upload_imports_traces_and_is_idempotent(fresh: Api) -> None:
    r = upload(fresh, "analyst", files())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == {
        "accounts": 6, "persons": 5, "transactions": 6, "calls": 3, "reports": 1, "labels": 3,
    }  # fmt: skip
    assert body["rejected"] == [] and body["rejected_count"] == 0
    assert body["source"].startswith("upload: accounts.csv")
    # the lake is traced at once: a report gets its freeze orders
    report = {"victim_account": VICTIM, "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00Z"}
    filed = fresh.post("/v1/reports", "analyst", report)
    assert filed.status_code == 201 and len(filed.json()["orders"]) == 3, filed.text
    again = upload(fresh, "admin", files()).json()
    assert set(again["imported"].values()) == {0} and again["rejected_count"] == 0
    log = fresh.get("/v1/audit?action=import", "admin").json()
    assert [e["actor"] for e in log] == ["admin", "analyst"]
    assert log[1]["detail"]["files"][0] == "accounts.csv"


def test_bad_rows_are_rejected_with_file_line_and_field_and_the_rest_imports(fresh: Api) -> None:
    bad = TABLES["transactions"] + "B1,2024-05-03T08:00:00,X,Y,-5,CNY,transfer\n"
    r = upload(fresh, "analyst", files({"transactions": bad}))
    assert r.status_code == 200
    body = r.json()
    assert body["imported"] == {"transactions": 6}
    (reject,) = body["rejected"]
    assert (reject["file"], reject["line"], reject["field"]) == ("transactions.csv", 8, "amount")
    assert "chaincut-upload" not in r.text  # nothing of the server's temporary folder


def test_parquet_and_compressed_csv(fresh: Api) -> None:
    table = pacsv.read_csv(io.BytesIO(TABLES["accounts"].encode()))
    sink = io.BytesIO()
    pq.write_table(table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])), sink)
    import gzip

    parts: Files = [
        ("files", ("accounts.parquet", sink.getvalue(), "application/octet-stream")),
        (
            "files",
            ("persons.csv.gz", gzip.compress(TABLES["persons"].encode()), "application/gzip"),
        ),
    ]
    body = upload(fresh, "analyst", parts).json()
    assert body["imported"] == {"accounts": 6, "persons": 5}, body


def test_an_unreadable_file_is_rejected_whole_and_named(fresh: Api) -> None:
    parts = files({"accounts": TABLES["accounts"]})
    parts.append(("files", ("calls.parquet", b"PAR1 not parquet", "application/octet-stream")))
    body = upload(fresh, "analyst", parts).json()
    assert body["imported"] == {"accounts": 6, "calls": 0}
    assert body["rejected"][0]["file"] == "calls.parquet"
    assert "cannot read Parquet" in body["rejected"][0]["reason"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("transaction.csv", "not an interchange table: transaction.csv"),
        ("notes.txt", "not an interchange table: notes.txt"),
        (".hidden.csv", "not a plain file name"),
        ("../../etc/accounts.csv", None),  # the base name is used: imports accounts
    ],
)
def test_file_names_must_be_tables(fresh: Api, name: str, message: str | None) -> None:
    r = upload(fresh, "analyst", [("files", (name, TABLES["accounts"].encode(), "text/csv"))])
    if message is None:
        assert r.status_code == 200 and r.json()["imported"] == {"accounts": 6}
        return
    assert r.status_code == 400, r.text
    assert r.json()["error"]["field"] == "files" and message in r.json()["error"]["message"]
    assert not Settings(home=fresh_home(fresh)).lake_path.exists()


def fresh_home(api: Api) -> Path:
    home: Path = api.client.app.state.chaincut.settings.home  # type: ignore[attr-defined]
    return home


def test_empty_duplicate_and_non_file_uploads_are_refused(fresh: Api) -> None:
    twice = files({"labels": TABLES["labels"]}) * 2
    r = upload(fresh, "analyst", twice)
    assert r.status_code == 400 and "twice" in r.json()["error"]["message"]
    r = upload(fresh, "analyst", files({"labels": TABLES["labels"]}), data={"note": "x"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "note"
    r = upload(fresh, "analyst", [], data={"note": "x"})  # no file: not even multipart
    assert r.status_code == 415
    r = fresh.client.post("/v1/imports", headers=fresh.headers("analyst"), json={"files": []})
    assert r.status_code == 415 and r.json()["error"]["field"] == "Content-Type"


def test_uploads_over_the_limit_get_413(fresh: Api) -> None:
    fresh.client.app.state.chaincut_import_max_bytes = 1000  # type: ignore[attr-defined]
    r = upload(fresh, "analyst", files({"transactions": TABLES["transactions"] * 5}))
    assert r.status_code == 413 and r.json()["error"]["field"] == "files"
    assert not Settings(home=fresh_home(fresh)).lake_path.exists()


def test_the_lake_gate_lets_an_import_wait_for_readers_and_readers_for_it() -> None:
    import threading
    import time

    from chaincut.service.lakeview import LakeGate

    gate = LakeGate()
    order: list[str] = []
    reading = threading.Event()

    def reader() -> None:
        with gate.reading():
            reading.set()
            with gate.reading():  # re-entrant: never waits behind the queued writer
                time.sleep(0.2)
            order.append("read done")

    def writer() -> None:
        reading.wait(5)
        with gate.writing():
            order.append("import")
            time.sleep(0.1)

    def late_reader() -> None:
        reading.wait(5)
        time.sleep(0.05)  # arrives while the writer waits: goes after it
        with gate.reading():
            order.append("late read")

    threads = [threading.Thread(target=f) for f in (reader, writer, late_reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert order == ["read done", "import", "late read"]

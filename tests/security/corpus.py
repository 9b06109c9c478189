"""The hostile-input corpus of issue 17 and its neighbours, as data: each request, who sends
it, and the statuses that are a right answer. Every one must be answered in the one error shape
(or a plain success), never with a server error. Add a case when a new kind of input lands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.service.world import FRAUD_NUMBER, MULE1

BAD_URL = "http://[::1/a"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Hostile:
    name: str
    method: str
    path: str
    who: str | None = None
    json: Any = None
    content: bytes | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    #: the right answers (a success where the input is odd but harmless)
    expect: frozenset[int] = frozenset({400, 422})


def _keys(n: int) -> bytes:
    return b'{"kind":"url","value":"x",' + b",".join(b'"k%d":1' % i for i in range(n)) + b"}"


CORPUS: tuple[Hostile, ...] = (
    # the anonymous 500s
    Hostile("self-check: unparsable link", "POST", "/v1/self-check",
            json={"kind": "url", "value": BAD_URL}, expect=frozenset({200, 400})),
    Hostile("self-check: message with an unparsable link", "POST", "/v1/self-check",
            json={"kind": "message", "value": f"退款点 {BAD_URL} 立即办理"},
            expect=frozenset({200})),
    *(
        Hostile(f"offset past int64 on {p}", "GET", f"{p}?offset=9223372036854775808", "admin")
        for p in ("/v1/freeze-orders", "/v1/reports", "/v1/audit", "/v1/fraud-list")
    ),
    Hostile("limit past int64", "GET", "/v1/audit?limit=100000000000000000000", "admin"),
    Hostile("negative offset", "GET", "/v1/reports?offset=-1", "admin"),
    Hostile("row id past int64", "GET", "/v1/fraud-list/99999999999999999999", "admin",
            headers={"X-Purpose": "x"}),
    # requests that cost more than they should
    Hostile("500k unknown keys", "POST", "/v1/self-check", content=_keys(500_000),
            headers=JSON, expect=frozenset({413})),
    Hostile("one unknown key", "POST", "/v1/self-check",
            json={"kind": "url", "value": "x", "admin": True}),
    Hostile("JSON nested 60,000 deep", "POST", "/v1/self-check", content=b"[" * 60_000,
            headers=JSON, expect=frozenset({400, 422})),
    Hostile("malformed JSON", "POST", "/v1/self-check", content=b'{"kind": "url",',
            headers=JSON),
    Hostile("a number where text belongs", "POST", "/v1/self-check",
            content=b'{"kind": "phone", "value": 1e999}', headers=JSON),
    Hostile("not JSON at all", "POST", "/v1/self-check", content=b"kind=url&value=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"}),
    Hostile("control characters", "POST", "/v1/self-check",
            json={"kind": "phone", "value": "\u0000\u202e\u3000"}, expect=frozenset({200})),
    Hostile("value over 5,000 characters", "POST", "/v1/self-check",
            json={"kind": "message", "value": "诈" * 5001}),
    Hostile("a 100 kB transaction id", "POST", "/v1/reports", "analyst",
            json={"victim_account": MULE1, "fraud_txn_ids": ["G" * 100_000]}),
    Hostile("501 transaction ids", "POST", "/v1/reports", "analyst",
            json={"victim_account": MULE1, "fraud_txn_ids": [f"T{i}" for i in range(501)]}),
    Hostile("a 10 kB fraud-list value", "POST", "/v1/fraud-list", "analyst",
            json={"kind": "phone", "value": "1" * 10_000, "reason": "x"}),
    Hostile("a fraud-list feed of 10,001", "POST", "/v1/fraud-list/batch", "analyst",
            json={"entries": [{"kind": "qq", "value": "12345", "reason": "x"}] * 10_001}),
    Hostile("a 30 kB fraud method", "POST", "/v1/cases", "analyst",
            json={"case_id": "K9", "name": "x", "fraud_methods": ["m" * 30_000]}),
    Hostile("a URL over 8 kB", "GET", "/v1/numbers/" + "1" * 9_000, "telecom",
            headers={"X-Purpose": "x"}, expect=frozenset({414})),
    # identifiers and headers
    Hostile("a 5,000-digit number", "GET", "/v1/numbers/" + "1" * 5_000, "telecom",
            headers={"X-Purpose": "x"}, expect=frozenset({400, 404, 422})),
    Hostile("a NUL in an account id", "GET", "/v1/accounts/%00", "analyst",
            headers={"X-Purpose": "x"}, expect=frozenset({400, 404})),
    Hostile("an ideographic-space account id", "GET", "/v1/accounts/%E3%80%80", "analyst",
            headers={"X-Purpose": "x"}, expect=frozenset({400, 404})),
    Hostile("a path climbing out", "GET", "/v1/cases/..%2F..%2Fetc%2Fpasswd", "analyst",
            expect=frozenset({404, 422})),
    Hostile("purpose of invalid UTF-8", "GET", f"/v1/numbers/{FRAUD_NUMBER}", "telecom",
            headers={"X-Purpose": b"\xff\xfe\xfd"}, expect=frozenset({200})),
    Hostile("purpose of invalid %-escapes", "GET", f"/v1/numbers/{FRAUD_NUMBER}", "telecom",
            headers={"X-Purpose": "%ff%fe"}, expect=frozenset({200})),
    Hostile("a blank purpose", "GET", f"/v1/numbers/{FRAUD_NUMBER}", "telecom",
            headers={"X-Purpose": " \t "}, expect=frozenset({400})),
    Hostile("an impossible time", "GET", "/v1/audit?since=10000-01-01T00:00:00", "admin"),
    Hostile("an offset of +99:99", "GET", "/v1/audit?since=2024-01-01T00:00:00%2B99:99",
            "admin"),
    Hostile("a malformed token", "GET", "/v1/me",
            headers={"Authorization": "Bearer cc__"}, expect=frozenset({401})),
    Hostile("a 6 kB token", "GET", "/v1/me",
            headers={"Authorization": "Bearer cc_" + "a" * 6_000}, expect=frozenset({401})),
    Hostile("another scheme", "GET", "/v1/me",
            headers={"Authorization": "Basic YWRtaW46YWRtaW4="}, expect=frozenset({401})),
    Hostile("a forged forwarded address", "POST", "/v1/self-check",
            json={"kind": "qq", "value": "12345"},
            headers={"X-Forwarded-For": "1.2.3.4"}, expect=frozenset({200})),
)  # fmt: skip


def _gzip_cut(text: str) -> bytes:
    import gzip

    whole = gzip.compress(text.encode())
    return whole[: len(whole) // 2]


#: hostile interchange files (issue 17 items 6, 9, 10) uploaded together with good ones: each is
#: rejected with its file (and line and field where it has them), the others import.
#: name -> (content, the file's rejects must mention this)
HOSTILE_FILES: dict[str, tuple[bytes, str]] = {
    "transactions.csv.gz": (
        _gzip_cut("txn_id,ts,src_account,dst_account,amount\n" + "T1,2024-05-01,A,B,1\n" * 2000),
        "transactions.csv.gz",
    ),
    "calls.csv": (
        ("call_id,ts,caller,callee,duration_s," + ",".join(f"x{i}" for i in range(5000))).encode()
        + b"\nC1,2024-05-01T09:30:00,1,2,3\n",
        "calls.csv",
    ),
    "reports.csv": (
        b"report_id,ts,victim_account,fraud_txn_ids\n"
        b"R1,2024-05-01T12:00:00+25:00,6222020000001111,F1\n"
        b"R2,10000-01-01T00:00:00,6222020000001111,F1\n"
        b"R3,2024-05-01T12:00:00,6222020000001111,G0;G0;G0;G1\n",
        "reports.csv",
    ),
    "persons.csv": (
        "person_id,name\n\u3000\u3000,x\n\u200b,y\n\u0007P9,z\nP1,ok\n".encode(),
        "persons.csv",
    ),
}
GOOD_FILES = {"accounts.csv": b"account_id,institution\n6222020000001111,ICBC\n"}

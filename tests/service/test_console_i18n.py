"""Every console page in both languages, walked as each role sees it: no English words on a
Chinese page, no Chinese on an English one, and no message key shown raw (issue 16, point 4).

Text in the other language that the page marks as such (`lang="zh-CN"` on a Chinese place
name in an English page, `lang="en"` on a text that has no code to say it by: a gang's
evidence or a registry answer saved before codes) is not counted here. The trace's reasons, the
warning signals and a refused filing are said from their codes (`test_a_verify_order_...`)."""

from __future__ import annotations

import html
import re

import pytest

from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.world import FRAUD_NUMBER, MULE1, VICTIM

#: words that are names, not language: the product, identifier kinds and formats users know
#: by these letters in Chinese too
NAMES = {"chaincut", "IMEI", "SIM", "GOIP", "CSV", "QQ", "ID", "API", "English", "PDF", "URL",
         "http"}  # fmt: skip
#: scripts, styles and identifiers (user names, ids: `<code>`) are not language
_TAGS = re.compile(r"<(script|style|code)\b.*?</\1>|<[^>]+>", re.S)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
_KEY = re.compile(r"\b(?:kind|status|label|type|rule|action|measure|basis|appeal|case|idkind|"
                  r"risk|source|suspect|pattern|step_help|report)_[a-z_]+\b")  # fmt: skip
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _visible(page: str, other: str | None = None) -> str:
    if other is not None:  # drop what the page marks as written in the other language
        # (never the page itself: a page in the other language is what the tests look for)
        page = re.sub(rf'<(?!html\b)(\w+)[^>]*\blang="{other}"[^>]*>.*?</\1>', " ", page,
                      flags=re.S)  # fmt: skip
    return html.unescape(_TAGS.sub(" ", page))


def _pages(api: Api) -> list[tuple[str, str]]:
    api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
             "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z", "fraud_type":
             "impersonate_police"})  # fmt: skip
    orders = api.get("/v1/freeze-orders", "analyst").json()
    stop = next(o["order_id"] for o in orders if o["account_id"] == MULE1)
    api.post(f"/v1/freeze-orders/{stop}/confirm", "bank")
    api.post("/v1/cases", "analyst", {"case_id": "C1", "name": "5·01"})
    return [
        ("admin", "/console/dashboard"),
        ("analyst", "/console/reports"),
        ("analyst", "/console/reports/R1"),
        ("analyst", "/console/reports/NOPE"),
        ("analyst", "/console/orders"),
        ("analyst", f"/console/orders/{stop}/release"),
        ("analyst", f"/console/orders/{stop}/freeze"),
        ("analyst", "/console/cases"),
        ("analyst", "/console/cases/C1"),
        ("analyst", "/console/gangs"),
        ("analyst", "/console/registry"),
        ("analyst", "/console/fraud-list"),
        ("bank", "/console/orders"),
        ("bank", "/console/worklist/accounts"),
        ("telecom", "/console/worklist/numbers"),
        ("admin", "/console/audit"),
        ("analyst", "/console/lookup"),
        ("analyst", f"/console/clue?number={FRAUD_NUMBER}&purpose=x"),
    ]


#: pages whose answers the services write (in English, with codes the console says them by):
#: the look-up's facts and reasons, the self-check's reasons, advice and risk level
ANSWERS = [
    ("analyst", f"/console/lookup?kind=account&value={MULE1}&purpose=x"),
    ("telecom", f"/console/lookup?kind=phone&value={FRAUD_NUMBER}&purpose=x"),
    ("analyst", "/console/self-check?kind=url&value=http://1.2.3.4/refund/login"),
    ("analyst", f"/console/self-check?kind=phone&value={FRAUD_NUMBER}"),
    ("analyst", f"/console/self-check?kind=account&value={MULE1}"),
]


def _problems(api: Api, pages: list[tuple[str, str]], lang: str) -> list[str]:
    problems = []
    for who, path in pages:
        sign_in(api, who)
        other = "en" if lang == "zh-CN" else "zh-CN"
        page = api.client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}").text
        if f'<html lang="{lang}">' not in page:
            problems.append(f"{who} {path}: not in {lang}")
        text = _visible(page, other)
        if keys := _KEY.findall(text):
            problems.append(f"{who} {path}: raw keys {sorted(set(keys))}")
        if lang == "zh-CN":
            english = {
                w for w in _WORD.findall(text) if w not in NAMES and w != who and not w.isupper()
            }
            if english:
                problems.append(f"{who} {path}: English {sorted(english)[:12]}")
        elif _HAN.search(text.replace("中文", "")):
            han = sorted(set(_HAN.findall(text)))[:12]
            problems.append(f"{who} {path}: Chinese {han}")
    return problems


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_page_is_in_one_language(api: Api, lang: str) -> None:
    problems = _problems(api, _pages(api), lang)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_look_up_and_self_check_answers_are_in_one_language(api: Api, lang: str) -> None:
    _pages(api)  # a filed report: listed accounts and numbers, orders on the mule
    assert _problems(api, ANSWERS, lang) == []


def test_detector_and_report_texts_are_said_in_chinese(api: Api) -> None:
    """The number scores' reasons (an indicator's code and values) and the fraud-list reasons
    a filed report wrote are said in Chinese, none left marked as English; a reason a person
    typed is shown as typed."""
    _pages(api)
    api.post("/v1/fraud-list", "analyst", {"kind": "phone", "value": FRAUD_NUMBER,
             "reason": "den number"})  # fmt: skip
    sign_in(api, "telecom")
    numbers = api.client.get("/console/worklist/numbers?lang=zh-CN").text
    assert 'lang="en"' not in numbers
    assert 'lang="zh-CN"' in numbers  # reasons were shown, in Chinese
    sign_in(api, "analyst")
    listed = api.client.get("/console/fraud-list?lang=zh-CN").text
    assert 'lang="en"' not in listed
    assert "收到报案 R1 的被骗转账" in listed
    assert "den number" in listed
    english = api.client.get("/console/fraud-list?lang=en").text
    assert "received a fraud transfer of report R1" in english


def test_every_account_score_reason_has_its_chinese() -> None:
    import chaincut.service  # noqa: F401  (the services and the console import in this order)
    from chaincut.scoring.features import DESCRIPTIONS
    from chaincut.web.features_zh import feature_zh

    assert [name for name in DESCRIPTIONS if not feature_zh(name)] == []
    assert feature_zh("rank_w7d_fan_in") == "7 天内最多不同付款方数（在账本全部账户中的百分位）"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_registry_answers_in_one_language(api: Api, lang: str) -> None:
    subject = "510105199502021235"
    measure = {"subject_id": subject, "measure": "financial", "basis": "criminal",
               "start": "2024-06-01T00:00:00Z"}  # fmt: skip
    assert api.post("/v1/punishment/measures", "analyst", measure, purpose="x").status_code == 201
    sign_in(api, "bank")
    said = []
    for action in ("open_account", "withdraw_balance", "new_phone_card"):
        page = api.client.post(
            f"/console/registry/check?lang={lang}", data={"subject_id": subject, "action": action}
        )
        assert page.status_code == 200
        answer = re.search(r'data-testid="registry-answer">(.*?)</section>', page.text, re.S)
        assert answer is not None
        said.append(_visible(answer[1]))
    for text in said:
        assert not _HAN.search(text) if lang == "en" else not _WORD.search(text), text
    assert "2027-06-01" in said[0] and "3" in said[0]  # in force until, 3 years


def _english(text: str, who: str) -> list[str]:
    return sorted(
        {w for w in _WORD.findall(text) if w not in NAMES and w != who and not w.isupper()}
    )


def _judged() -> dict[str, object]:
    """A verify order's detail as the trace writes it: the evidence `judge` weighed."""
    from chaincut.trace.bystander import Facts, judge
    from chaincut.trace.model import Activity, TraceParams

    hour, day = 3_600_000_000, 86_400_000_000
    facts = Facts(account_id="6222020000005555", hop=2, traced=0, tainted_in=90_000,
                  tainted_amounts=(90_000,), reach=0.01, inflow_after=3_000_000, outs=(),
                  arrival=400 * day, until=403 * day, age_days=900.0,
                  prior=Activity(40, 2_900_000, 2_900_000 * 5 * day), exit_channels=("cash",),
                  lag=80 * hour)  # fmt: skip
    verdict = judge(facts, TraceParams())
    assert not verdict.stop and len(verdict.codes) == len(verdict.reasons) >= 4
    return {"score": verdict.score, "reasons": list(verdict.reasons),
            "reason_codes": list(verdict.codes)}  # fmt: skip


def test_a_verify_order_a_warning_and_a_refused_filing_are_said_in_chinese(api: Api) -> None:
    """The trace's evidence on a verify order, a warning's signals and a filing refused as a
    duplicate (409) are said in Chinese from their codes; the API keeps its English."""
    from chaincut.services.tracing import TraceOutcome
    from chaincut.store import freeze_order
    from tests.warning.test_service import _work_the_victim

    _pages(api)
    detail = _judged()
    spec = {"account_id": "6222020000005555", "amount": "900.00", "claim": "900.00", "hop": 2,
            "evidence": [["F1", "T3"]], "institution": "ICBC", **detail}  # fmt: skip
    with api.store.session() as s:
        outcome = TraceOutcome(True, data={"rule": "libr", "verify": [spec]})
        (order,) = freeze_order.issue_orders(s, "R1", outcome.order_specs()).orders
        s.commit()
    _work_the_victim(api)
    sign_in(api, "analyst")
    refused = api.client.post("/console/reports?lang=zh-CN",
                              data={"victim_account": VICTIM, "fraud_txn_ids": "F1"})  # fmt: skip
    assert refused.status_code == 409
    alert = re.search(r'role="alert">(.*?)</p>', refused.text, re.S)
    assert alert is not None and "R1" in alert[1] and _HAN.search(alert[1])
    assert _english(_visible(alert[1]), "analyst") == []
    report = api.client.get("/console/reports/R1?lang=zh-CN").text
    row = report.split(f'data-order="{order.order_id}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="verify-reasons"' in row and 'lang="en"' not in row
    warnings = api.client.get("/console/warnings?lang=zh-CN").text
    assert "LC41" in warnings and 'lang="en"' not in warnings
    pages = [("analyst", "/console/reports/R1"), ("analyst", "/console/warnings")]
    assert _problems(api, pages, "zh-CN") == []
    english = api.client.get("/console/warnings?lang=en").text
    assert "a number that has contacted" in english
    dup = api.post("/v1/reports", "analyst", {"victim_account": VICTIM, "fraud_txn_ids": ["F1"]})
    error = dup.json()["error"]
    assert dup.status_code == 409 and error["code"] == "filing_already_reported"
    assert error["message"].startswith("these transfers are already reported: report R1 (F1)")
    api_order = api.get(f"/v1/freeze-orders/{order.order_id}", "analyst").json()
    assert api_order["detail"]["reasons"] == detail["reasons"]  # the API's English, unchanged


def test_purposes_the_system_writes_are_said_in_the_readers_language(api: Api) -> None:
    sign_in(api, "analyst")
    assert api.client.get("/console/orders").status_code == 200
    assert api.client.get("/console/fraud-list").status_code == 200
    sign_in(api, "admin")
    zh = api.client.get("/console/audit?lang=zh-CN").text
    assert "止付冻结队列" in zh and "涉诈名单页面" in zh
    assert '<td lang="en">order queue<' not in zh and '<td lang="en">fraud list page<' not in zh
    en = api.client.get("/console/audit?lang=en").text
    assert ">order queue<" in en and ">fraud list page<" in en

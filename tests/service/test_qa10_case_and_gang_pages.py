"""A case opened from a gang, on the console in Chinese (round ten's new-user run): the case
page links back to its gang, and its timeline says what the gang named in the console's words
(it showed `figures from gang G: P1 named financier; ...` in English, role keys and all); a
gang member's evidence names the roles it paid in Chinese (it showed `（launderer）`)."""

from __future__ import annotations

from chaincut.web.case_notes import case_note
from chaincut.web.phrasing import member_evidence
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.test_console_gangs import GANG, _file_r1


def test_the_case_page_links_its_gang_and_says_the_gang_note_in_chinese(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    made = api.client.post(f"/console/gangs/{GANG}/case", data={"case_id": "CQ1", "name": "案"},
                           follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    page = api.client.get("/console/cases/CQ1?lang=zh-CN")
    assert page.status_code == 200
    assert f'href="/console/gangs/{GANG}"' in page.text
    assert "named financier" not in page.text and "figures from gang" not in page.text
    assert "P1 · 金主" in page.text
    assert "·  ·" not in page.text  # no empty batch between two separators
    english = api.client.get("/console/cases/CQ1?lang=en")
    assert f"figures from gang {GANG}: P1 named financier" in english.text


def test_case_notes_of_every_shape_the_use_cases_write() -> None:
    note = "figures from gang G-1: report R2 attached; P1 named financier; P2 now operator (was core_member); figures recomputed"
    said = case_note(note, "zh-CN")
    assert said.gang == "G-1" and said.lang == "zh-CN"
    assert "P1 · 金主" in said.text and "P2 · 骨干 → 业务员" in said.text and "R2" in said.text
    assert not any(w in said.text for w in ("named", "attached", "financier", "recomputed"))
    status = case_note("P1 (financier) arrested: counts follow", "zh-CN")
    assert status.text == "P1 · 金主 · 已抓获" and status.gang is None
    typed = case_note("two more arrests in Fuzhou", "zh-CN")  # an analyst's own words
    assert typed.text == "two more arrests in Fuzhou" and typed.gang is None
    assert typed.lang == "en"
    odd = case_note("figures from gang G: P1 named boss", "zh-CN")  # a role this version lacks
    assert odd.text == "figures from gang G: P1 named boss" and odd.lang == "en"
    # in English as written, the role keys said as words (round thirteen)
    assert case_note(note, "en").text == note.replace("core_member", "core member")
    assert case_note("P1 (card_dealer) arrested: counts follow", "en").text == (
        "P1 (card dealer) arrested: counts follow"
    )
    edit = case_note("amount_seized=1200.50, financiers_caught=1, status=closed", "zh-CN")
    assert edit.text == "扣押金额 1200.50；金主到案 1；状态 已结案" and edit.lang == "zh-CN"
    renamed = case_note("name=A, B=1", "zh-CN")  # a name: as written
    assert renamed.text == "name=A, B=1" and renamed.lang == "en"


def test_a_gang_members_evidence_names_roles_in_chinese() -> None:
    member = {
        "evidence": [
            "its holder's account paid 2 of the gang's members (launderer, mule) ¥1980.00"
        ],
        "evidence_codes": [
            {
                "code": "funds_members",
                "args": {"people": "2", "roles": "launderer, mule", "amount": "1980.00"},
            }
        ],
    }
    (zh,) = member_evidence(member, "zh-CN")
    assert zh.lang == "zh-CN" and "launderer" not in zh.text and "mule" not in zh.text
    assert "（跑分、出租出借卡）" in zh.text  # the gang page legend's words
    (en,) = member_evidence(member, "en")
    assert "launderer, mule" in en.text


def test_a_refused_edit_shows_the_case_page_again_with_its_gang(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    api.client.post(f"/console/gangs/{GANG}/case", data={"case_id": "CQ2", "name": "案"})
    refused = api.client.post("/console/cases/CQ2?lang=zh-CN", data={"amount_seized": "abc"})
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    assert f'href="/console/gangs/{GANG}"' in refused.text and "P1 · 金主" in refused.text

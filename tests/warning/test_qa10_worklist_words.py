"""On the Chinese worklist a warning's evidence is named by its id alone: the kind's English
word (`call FC…`, `transfer FT…`, `message FM…`) stood before each id, while the sentence
after it already says 通话, 转账 or 消息 (round ten's new-user run)."""

from __future__ import annotations

import re

from tests.service.conftest import Api
from tests.warning.test_console import _sign_in
from tests.warning.test_service import _work_the_victim

KIND_WORD = re.compile(r"<code>(?:call|message|transfer) ")


def test_the_chinese_worklist_names_evidence_by_id_alone(api: Api) -> None:
    _work_the_victim(api)
    _sign_in(api, "analyst")
    zh = api.client.get("/console/warnings?lang=zh-CN").text
    assert "LM1" in zh and not KIND_WORD.search(zh)
    en = api.client.get("/console/warnings?lang=en").text
    assert KIND_WORD.search(en)

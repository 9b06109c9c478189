"""The console's audit log says which report a case took in and which case a gang opened
(round eleven's new-user run: a case opened from a gang of 14 reports showed fourteen rows of
"attach a report · case CASE-1" and no report id; the record held it in its detail)."""

from __future__ import annotations

import re

from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.test_console_gangs import GANG, _file_r1


def test_the_audit_page_names_the_report_attached_and_the_case_opened(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    made = api.client.post(
        f"/console/gangs/{GANG}/case", data={"case_id": "CQ11", "name": "x"}, follow_redirects=False
    )
    assert made.status_code == 303
    sign_in(api, "admin")
    page = api.client.get("/console/audit?lang=en").text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    attached = [r for r in rows if 'data-action="case_attach_report"' in r]
    assert attached and all('data-detail="report">R1<' in r for r in attached), attached
    opened = [r for r in rows if 'data-action="gang_case"' in r]
    assert opened and 'data-detail="case">CQ11<' in opened[0], opened

"""The console's two languages: Simplified Chinese (default) and English.

One template set; every visible word goes through `t(key)`. A missing key shows the key itself,
so a gap is visible rather than fatal; a test checks both languages have every key.
"""

from __future__ import annotations

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh-CN, en)
    "app": ("断链反诈平台", "chaincut anti-fraud console"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "token": ("访问令牌", "Access token"),
    "token_help": (
        "由管理员用 chaincut users token 生成",
        "made by an admin with chaincut users token",
    ),
    "bad_token": ("令牌无效或已停用", "unknown or disabled token"),
    "dashboard": ("总览", "Dashboard"),
    "reports": ("报案", "Reports"),
    "orders": ("止付冻结", "Freeze orders"),
    "lookup": ("查询", "Look-up"),
    "cases": ("挂牌督办", "Supervised cases"),
    "registry": ("联合惩戒", "Punishment registry"),
    "audit": ("审计日志", "Audit log"),
    "cases_count": ("案件", "Cases"),
    "reports_count": ("报案数", "Reports"),
    "victims": ("受害人", "Victims"),
    "lost": ("被骗金额", "Money lost"),
    "intercepted": ("拦截金额", "Money intercepted"),
    "returned": ("返还金额", "Money returned"),
    "dissuasions": ("劝阻", "Dissuasions"),
    "punishments": ("惩戒", "Punishments"),
    "by_period": ("按月", "By month"),
    "by_region": ("按地区", "By region"),
    "by_type": ("按诈骗类型", "By fraud type"),
    "file_report": ("受理报案", "File a report"),
    "report_id": ("报案编号", "Report id"),
    "victim_account": ("受害人账户", "Victim's account"),
    "fraud_txns": ("被骗交易编号（分号分隔）", "Fraud transfers (txn ids, ';'-separated)"),
    "fraud_type": ("诈骗类型", "Fraud type"),
    "rule": ("追踪规则", "Tracing rule"),
    "submit": ("提交", "Submit"),
    "money_flow": ("资金流向", "Money flow"),
    "graph_help": ("滚轮缩放，拖动平移，悬停查看", "wheel to zoom, drag to pan, hover for details"),
    "trace_not_run": ("未追踪", "Not traced"),
    "account": ("账户", "Account"),
    "institution": ("机构", "Institution"),
    "kind": ("类型", "Kind"),
    "amount": ("金额", "Amount"),
    "hop": ("层级", "Hop"),
    "status": ("状态", "Status"),
    "expires": ("到期", "Expires"),
    "evidence": ("证据链", "Evidence"),
    "confirm": ("确认执行", "Confirm"),
    "renew": ("续期", "Renew"),
    "release": ("解除", "Release"),
    "actions": ("操作", "Actions"),
    "exits": ("已流出", "Exits"),
    "totals": ("资金去向", "Where the money went"),
    "number": ("电话号码", "Phone number"),
    "purpose": ("查询事由（将记入审计）", "Purpose (audited)"),
    "look_up": ("查询", "Look up"),
    "not_found": ("未找到", "Not found"),
    "reasons": ("依据", "Reasons"),
    "facts": ("信息", "Facts"),
    "name": ("名称", "Name"),
    "batch": ("批次", "Batch"),
    "den": ("窝点", "Den location"),
    "methods": ("手法", "Methods"),
    "involved": ("涉案金额", "Amount involved"),
    "frozen": ("冻结", "Frozen"),
    "seized": ("扣押", "Seized"),
    "financiers": ("金主 到案/在逃", "Financiers caught / at large"),
    "core": ("骨干 到案/在逃", "Core members caught / at large"),
    "timeline": ("进展", "Timeline"),
    "suspects": ("嫌疑人", "Suspects"),
    "subject": ("对象", "Subject"),
    "measure": ("措施", "Measure"),
    "basis": ("依据", "Basis"),
    "appeal": ("申诉", "Appeal"),
    "check": ("核验", "Check"),
    "action": ("业务", "Action"),
    "allow": ("允许", "Allowed"),
    "deny": ("拒绝", "Denied"),
    "when": ("时间", "When"),
    "who": ("操作人", "Who"),
    "what": ("内容", "What"),
    "forbidden": ("无权访问", "Not allowed for your role"),
    "masked_note": ("敏感信息已脱敏", "personal identifiers are masked"),
    "none": ("无", "none"),
    "language": ("English", "中文"),
}


def translate(key: str, lang: str) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh-CN" else pair[1]

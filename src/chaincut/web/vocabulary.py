"""The console's words for the store's and the data's closed vocabularies, in both languages.

A template asks for `t('kind_' ~ order.kind)`: an enum value is never shown raw. A value the
data brings that no table here knows (a new fraud type) shows as written rather than failing.
"""

from __future__ import annotations

from chaincut.model.schema import FRAUD_TYPES

FRAUD_TYPES_EN = {
    "order_brushing": "order brushing (rebate scam)",
    "fake_investment": "fake investment",
    "fake_loan": "fake loan",
    "fake_customer_service": "fake customer service",
    "impersonate_police": "impersonating the police",
    "fake_credit_repair": "fake credit repair",
    "fake_shopping": "fake shopping",
    "impersonate_boss": "impersonating a boss or friend",
    "fake_game_trading": "fake game trading",
    "romance": "romance scam",
    "fake_gambling": "fake gambling",
    "other": "other",
}

VOCABULARY: dict[str, tuple[str, str]] = {
    # order kinds
    "kind_emergency_stop": ("紧急止付", "emergency stop"),
    "kind_freeze": ("冻结", "freeze"),
    "kind_request_subaccount_detail": ("调取子账户明细", "sub-account detail request"),
    "kind_verify": ("核实（不止付）", "verify with the bank"),
    # order statuses
    "status_issued": ("已下发", "issued"),
    "status_confirmed": ("已执行", "applied"),
    "status_renewed": ("已续期", "renewed"),
    "status_released": ("已解除", "released"),
    "status_expired": ("已到期", "expired"),
    "status_superseded": ("已被替代", "superseded"),
    # report statuses
    "report_received": ("已受理", "received"),
    "report_traced": ("已追踪", "traced"),
    "report_closed": ("已结案", "closed"),
    # tracing rules
    "rule_fifo": ("先进先出", "first in, first out"),
    "rule_libr": ("最低余额法", "lowest intermediate balance"),
    "rule_prorata": ("按比例", "pro rata"),
    # registry actions
    "action_open_account": ("开立账户", "open an account"),
    "action_open_payment_account": ("开立支付账户", "open a payment account"),
    "action_withdraw_balance": ("支取余额", "withdraw a balance"),
    "action_new_phone_card": ("办理新电话卡", "a new phone card"),
    "action_keep_phone_card": ("保留电话卡", "keep a phone card"),
    "action_credit_application": ("申请信贷", "apply for credit"),
    # punishment measures and bases
    "measure_financial": ("金融惩戒", "financial"),
    "measure_telecom": ("电信惩戒", "telecom"),
    "measure_credit": ("信用惩戒", "credit"),
    "basis_criminal": ("刑事判决", "criminal conviction"),
    "basis_police_determination": ("公安认定", "police determination"),
    "appeal_none": ("无", "none"),
    "appeal_pending": ("申诉中", "pending"),
    "appeal_upheld": ("申诉成立", "upheld"),
    "appeal_rejected": ("申诉驳回", "rejected"),
    # identifier kinds, fraud-list risks and sources
    "idkind_phone": ("电话号码", "phone number"),
    "idkind_url": ("网址", "link"),
    "idkind_domain": ("域名", "domain"),
    "idkind_account": ("账户", "account"),
    "idkind_qq": ("QQ 号", "QQ id"),
    "idkind_wechat": ("微信号", "WeChat id"),
    "risk_high": ("高", "high"),
    "risk_medium": ("中", "medium"),
    "source_report": ("报案", "a report"),
    "source_analyst": ("民警添加", "added by the police"),
    "source_operator_feed": ("运营商报送", "operator feed"),
    "source_bank_feed": ("银行报送", "bank feed"),
    "source_lake_label": ("数据湖标注", "lake label"),
    # the number clue
    "clue_role_simbox": ("猫池卡", "SIM-box SIM"),
    "clue_role_fraud_line": ("诈骗电话", "fraud line"),
    "clue_role_linked": ("关联号码", "linked number"),
    "link_same_device": ("同一设备", "same handset"),
    "link_in_sync": ("同步活动", "active in sync"),
    "link_shared_victim": ("共同受害人", "shared victim"),
    "measure_active": ("生效中", "in force"),
    "measure_removed": ("已移除", "removed"),
    # suspects
    "suspect_financier": ("金主", "financier"),
    "suspect_core_member": ("骨干", "core member"),
    "suspect_operator": ("业务员", "operator"),
    "suspect_logistics": ("后勤", "logistics"),
    "suspect_card_dealer": ("卡商", "card dealer"),
    "suspect_launderer": ("洗钱人员", "launderer"),
    "suspect_recruiter": ("招募人员", "recruiter"),
    "suspect_other": ("其他", "other"),
    "suspect_at_large": ("在逃", "at large"),
    "suspect_arrested": ("已抓获", "arrested"),
    "suspect_sentenced": ("已判决", "sentenced"),
    # the audit log's actions and subjects
    **{
        f"audit_{k}": v
        for k, v in {
            "file_report": ("受理报案", "file a report"),
            "join_report": ("并入报案", "join a report"),
            "view_report": ("查看报案", "view a report"),
            "trace_report": ("追踪报案", "trace a report"),
            "trace_reports": ("批量追踪", "trace reports"),
            "list_orders": ("查看指令队列", "view the order queue"),
            "export_orders": ("导出指令", "export orders"),
            "view_order": ("查看指令", "view an order"),
            "confirm_order": ("执行指令", "apply an order"),
            "renew_order": ("续期指令", "renew an order"),
            "release_order": ("解除指令", "release an order"),
            "freeze_order": ("转为冻结", "turn into a freeze"),
            "escalate_order": ("升级为止付", "escalate to a stop"),
            "lookup_account": ("查询账户", "look up an account"),
            "lookup_number": ("查询号码", "look up a number"),
            "lookup_person": ("查询人员", "look up a person"),
            "clue_number": ("号码核查", "number clue"),
            "case_create": ("新建案件", "open a case"),
            "case_update": ("更新案件", "update a case"),
            "case_event": ("案件进展", "case event"),
            "case_attach_report": ("关联报案", "attach a report"),
            "case_add_suspect": ("添加嫌疑人", "add a suspect"),
            "case_update_suspect": ("更新嫌疑人", "update a suspect"),
            "fraud_list_add": ("加入涉诈名单", "add to the fraud list"),
            "fraud_list_remove": ("移出涉诈名单", "remove from the fraud list"),
            "fraud_list_query": ("查询涉诈名单", "query the fraud list"),
            "fraud_list_view": ("查看名单条目", "view a list entry"),
            "fraud_list_import": ("导入涉诈名单", "import the fraud list"),
            "fraud_list_refresh": ("刷新涉诈名单", "refresh the fraud list"),
            "punishment_add": ("登记惩戒", "register a measure"),
            "punishment_check": ("惩戒核验", "registry check"),
            "punishment_appeal": ("登记申诉", "record an appeal"),
            "punishment_appeal_decided": ("申诉决定", "decide an appeal"),
            "punishment_remove": ("移除惩戒", "remove a measure"),
            "import": ("导入数据", "import data"),
        }.items()
    },
    **{
        f"subject_{k}": v
        for k, v in {
            "report": ("报案", "report"),
            "freeze_order": ("指令", "order"),
            "account": ("账户", "account"),
            "phone": ("号码", "number"),
            "person": ("人员", "person"),
            "case": ("案件", "case"),
            "fraud_list": ("涉诈名单", "fraud list"),
            "lake": ("数据湖", "lake"),
            "any": ("全部类型", "any kind"),
        }.items()
    },
    # case timeline events
    "event_registered": ("立案", "registered"),
    "event_updated": ("更新", "updated"),
    "event_report_attached": ("关联报案", "report attached"),
    "event_arrested": ("抓获", "arrested"),
    "event_sentenced": ("判决", "sentenced"),
    # the money-flow graph's nodes and channels
    "node_victim": ("受害人", "victim"),
    "node_account": ("账户", "account"),
    "node_frozen": ("已下发指令", "under an order"),
    "node_exit": ("已流出", "exit"),
    "node_hub": ("资金池/商户", "hub"),
    "node_established": ("正常经营账户", "established business"),
    "node_returned": ("已返还", "returned"),
    "channel_transfer": ("转账", "transfer"),
    "channel_payment": ("支付", "payment"),
    "channel_atm_withdrawal": ("ATM 取现", "ATM withdrawal"),
    "channel_crypto_otc": ("虚拟币场外交易", "crypto OTC"),
    "channel_cross_border": ("跨境", "cross-border"),
    "channel_pos": ("POS 消费", "POS"),
    # roles
    "role_public": ("公众", "public"),
    "role_bank": ("银行", "bank"),
    "role_telecom": ("运营商", "operator"),
    "role_analyst": ("民警", "analyst"),
    "role_admin": ("管理员", "admin"),
    # trace totals the console did not name yet
    "total_claimed": ("止付可控", "held by the stops"),
    "total_verify": ("待核实（不止付）", "to verify (not stopped)"),
    # cases
    "case_open": ("办理中", "open"),
    "case_closed": ("已结案", "closed"),
}
for _key, _zh in FRAUD_TYPES.items():
    VOCABULARY[f"type_{_key}"] = (_zh, FRAUD_TYPES_EN.get(_key, _key.replace("_", " ")))

#: prefixes of the keys above: an unknown value under one shows as the value itself
PREFIXES = tuple(sorted({key.split("_", 1)[0] + "_" for key in VOCABULARY}))

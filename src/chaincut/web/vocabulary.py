"""The console's words for the store's and the data's closed vocabularies (order kinds,
statuses, roles, score labels...): a key the templates build from a value (`t('kind_' ~
order.kind.value)`) -> the msgctxt and English msgid of the word in the gettext catalogues
(`chaincut/web/locale`). An enum value is never shown raw; a value the data brings that no table
here knows (a new fraud type) shows as written rather than failing.
"""

from __future__ import annotations

from chaincut.markers import NP_
from chaincut.model.schema import FRAUD_TYPES

#: the fraud types' English; their Chinese is the catalogue's (and `FRAUD_TYPES`')
FRAUD_TYPES_EN = {
    "order_brushing": NP_("fraud type", "order brushing (rebate scam)"),
    "fake_investment": NP_("fraud type", "fake investment"),
    "fake_loan": NP_("fraud type", "fake loan"),
    "fake_customer_service": NP_("fraud type", "fake customer service"),
    "impersonate_police": NP_("fraud type", "impersonating the police"),
    "fake_credit_repair": NP_("fraud type", "fake credit repair"),
    "fake_shopping": NP_("fraud type", "fake shopping"),
    "impersonate_boss": NP_("fraud type", "impersonating a boss or friend"),
    "fake_game_trading": NP_("fraud type", "fake game trading"),
    "romance": NP_("fraud type", "romance scam"),
    "fake_gambling": NP_("fraud type", "fake gambling"),
    "other": NP_("fraud type", "other"),
}

VOCABULARY: dict[str, tuple[str, str]] = {
    # order kind
    "kind_emergency_stop": NP_("order kind", "emergency stop"),
    "kind_freeze": NP_("order kind", "freeze"),
    "kind_request_subaccount_detail": NP_("order kind", "sub-account detail request"),
    "kind_verify": NP_("order kind", "verify with the bank"),
    # order status
    "status_issued": NP_("order status", "issued"),
    "status_confirmed": NP_("order status", "applied"),
    "status_renewed": NP_("order status", "renewed"),
    "status_released": NP_("order status", "released"),
    "status_expired": NP_("order status", "expired"),
    "status_superseded": NP_("order status", "superseded"),
    # report status
    "report_received": NP_("report status", "received"),
    "report_traced": NP_("report status", "traced"),
    "report_closed": NP_("report status", "closed"),
    # tracing rule
    "rule_fifo": NP_("tracing rule", "first in, first out"),
    "rule_libr": NP_("tracing rule", "lowest intermediate balance"),
    "rule_prorata": NP_("tracing rule", "pro rata"),
    # registry action
    "action_open_account": NP_("registry action", "open an account"),
    "action_open_payment_account": NP_("registry action", "open a payment account"),
    "action_withdraw_balance": NP_("registry action", "withdraw a balance"),
    "action_new_phone_card": NP_("registry action", "a new phone card"),
    "action_keep_phone_card": NP_("registry action", "keep a phone card"),
    "action_credit_application": NP_("registry action", "apply for credit"),
    # punishment measure
    "measure_financial": NP_("punishment measure", "financial"),
    "measure_telecom": NP_("punishment measure", "telecom"),
    "measure_credit": NP_("punishment measure", "credit"),
    # punishment basis
    "basis_criminal": NP_("punishment basis", "criminal conviction"),
    "basis_police_determination": NP_("punishment basis", "police determination"),
    # appeal status
    "appeal_none": NP_("appeal status", "none"),
    "appeal_pending": NP_("appeal status", "pending"),
    "appeal_upheld": NP_("appeal status", "upheld"),
    "appeal_rejected": NP_("appeal status", "rejected"),
    # identifier kind
    "idkind_phone": NP_("identifier kind", "phone number"),
    "idkind_url": NP_("identifier kind", "link"),
    "idkind_domain": NP_("identifier kind", "domain"),
    "idkind_account": NP_("identifier kind", "account"),
    "idkind_qq": NP_("identifier kind", "QQ id"),
    "idkind_wechat": NP_("identifier kind", "WeChat id"),
    # fraud-list risk
    "risk_high": NP_("fraud-list risk", "high"),
    "risk_medium": NP_("fraud-list risk", "medium"),
    # fraud-list source
    "source_report": NP_("fraud-list source", "a report"),
    "source_analyst": NP_("fraud-list source", "added by the police"),
    "source_operator_feed": NP_("fraud-list source", "operator feed"),
    "source_bank_feed": NP_("fraud-list source", "bank feed"),
    "source_lake_label": NP_("fraud-list source", "lake label"),
    # number role
    "clue_role_simbox": NP_("number role", "SIM-box SIM"),
    "clue_role_fraud_line": NP_("number role", "fraud line"),
    "clue_role_linked": NP_("number role", "linked number"),
    # clue link
    "link_same_device": NP_("clue link", "same handset"),
    "link_in_sync": NP_("clue link", "active in sync"),
    "link_shared_victim": NP_("clue link", "shared victim"),
    "link_same_cell": NP_("clue link", "flagged at the same cell"),
    "link_same_place": NP_("clue link", "work together at one place"),
    "link_same_text": NP_("clue link", "same text word for word"),
    "link_handover": NP_("clue link", "took over a pitched conversation"),
    "link_call_circle": NP_("clue link", "call each other, same hours and contacts"),
    "link_co_located": NP_("clue link", "work from the same quiet cells, same days"),
    "link_same_beat": NP_("clue link", "call on the move through the same quiet cells"),
    "link_shared_money": NP_("clue link", "their victims paid the same cards"),
    # measure status
    "measure_active": NP_("measure status", "in force"),
    "measure_removed": NP_("measure status", "removed"),
    # suspect role
    "suspect_financier": NP_("suspect role", "financier"),
    "suspect_core_member": NP_("suspect role", "core member"),
    "suspect_operator": NP_("suspect role", "operator"),
    "suspect_logistics": NP_("suspect role", "logistics"),
    "suspect_card_dealer": NP_("suspect role", "card dealer"),
    "suspect_launderer": NP_("suspect role", "launderer"),
    "suspect_recruiter": NP_("suspect role", "recruiter"),
    "suspect_other": NP_("suspect role", "other"),
    # suspect status
    "suspect_at_large": NP_("suspect status", "at large"),
    "suspect_arrested": NP_("suspect status", "arrested"),
    "suspect_sentenced": NP_("suspect status", "sentenced"),
    # purposes the console and the services write themselves (not typed by a person)
    "purpose_order queue": NP_("audit purpose", "order queue"),
    "purpose_fraud list page": NP_("audit purpose", "fraud list page"),
    # audit action
    "audit_file_report": NP_("audit action", "file a report"),
    "audit_join_report": NP_("audit action", "join a report"),
    "audit_view_report": NP_("audit action", "view a report"),
    "audit_trace_report": NP_("audit action", "trace a report"),
    "audit_trace_reports": NP_("audit action", "trace reports"),
    "audit_list_orders": NP_("audit action", "view the order queue"),
    "audit_export_orders": NP_("audit action", "export orders"),
    "audit_view_order": NP_("audit action", "view an order"),
    "audit_confirm_order": NP_("audit action", "apply an order"),
    "audit_renew_order": NP_("audit action", "renew an order"),
    "audit_release_order": NP_("audit action", "release an order"),
    "audit_freeze_order": NP_("audit action", "turn into a freeze"),
    "audit_escalate_order": NP_("audit action", "escalate to a stop"),
    "audit_lookup_account": NP_("audit action", "look up an account"),
    "audit_lookup_number": NP_("audit action", "look up a number"),
    "audit_lookup_person": NP_("audit action", "look up a person"),
    "audit_person_name": NP_("audit action", "name a person on a case or gang page"),
    "audit_clue_number": NP_("audit action", "number clue"),
    "audit_case_create": NP_("audit action", "open a case"),
    "audit_case_update": NP_("audit action", "update a case"),
    "audit_case_event": NP_("audit action", "case event"),
    "audit_case_attach_report": NP_("audit action", "attach a report"),
    "audit_case_add_suspect": NP_("audit action", "add a suspect"),
    "audit_case_update_suspect": NP_("audit action", "update a suspect"),
    "audit_fraud_list_add": NP_("audit action", "add to the fraud list"),
    "audit_fraud_list_remove": NP_("audit action", "remove from the fraud list"),
    "audit_fraud_list_query": NP_("audit action", "query the fraud list"),
    "audit_fraud_list_view": NP_("audit action", "view a list entry"),
    "audit_fraud_list_import": NP_("audit action", "import the fraud list"),
    "audit_fraud_list_refresh": NP_("audit action", "refresh the fraud list"),
    "audit_punishment_add": NP_("audit action", "register a measure"),
    "audit_punishment_check": NP_("audit action", "registry check"),
    "audit_punishment_appeal": NP_("audit action", "record an appeal"),
    "audit_punishment_appeal_decided": NP_("audit action", "decide an appeal"),
    "audit_punishment_remove": NP_("audit action", "remove a measure"),
    "audit_import": NP_("audit action", "import data"),
    # audit subject
    "subject_report": NP_("audit subject", "report"),
    "subject_freeze_order": NP_("audit subject", "order"),
    "subject_account": NP_("audit subject", "account"),
    "subject_phone": NP_("audit subject", "number"),
    "subject_person": NP_("audit subject", "person"),
    "subject_case": NP_("audit subject", "case"),
    "subject_fraud_list": NP_("audit subject", "fraud list"),
    "subject_lake": NP_("audit subject", "lake"),
    "subject_any": NP_("audit subject", "any kind"),
    # case event
    "event_registered": NP_("case event", "registered"),
    "event_updated": NP_("case event", "updated"),
    "event_report_attached": NP_("case event", "report attached"),
    "event_arrested": NP_("case event", "arrested"),
    "event_sentenced": NP_("case event", "sentenced"),
    # graph node
    "node_victim": NP_("graph node", "victim"),
    "node_account": NP_("graph node", "account"),
    "node_frozen": NP_("graph node", "under an order"),
    "node_exit": NP_("graph node", "exit"),
    "node_hub": NP_("graph node", "hub"),
    "node_established": NP_("graph node", "established business"),
    "node_returned": NP_("graph node", "returned"),
    # channel
    "channel_transfer": NP_("channel", "transfer"),
    "channel_payment": NP_("channel", "payment"),
    "channel_atm_withdrawal": NP_("channel", "ATM withdrawal"),
    "channel_crypto_otc": NP_("channel", "crypto OTC"),
    "channel_cross_border": NP_("channel", "cross-border"),
    "channel_pos": NP_("channel", "POS"),
    # user role
    "role_public": NP_("user role", "public"),
    "role_bank": NP_("user role", "bank"),
    "role_telecom": NP_("user role", "operator"),
    "role_analyst": NP_("user role", "analyst"),
    "role_admin": NP_("user role", "admin"),
    # trace total
    "total_claimed": NP_("trace total", "held by the stops"),
    "total_verify": NP_("trace total", "to verify (not stopped)"),
    # case status
    "case_open": NP_("case status", "open"),
    "case_closed": NP_("case status", "closed"),
    # score label
    "label_mule_l1": NP_("score label", "first-layer mule"),
    "label_mule_l2": NP_("score label", "second-layer mule"),
    "label_mule_l3": NP_("score label", "third-layer mule"),
    "label_mule_l4": NP_("score label", "fourth-layer mule"),
    "label_runner": NP_("score label", "score runner"),
    "label_normal": NP_("score label", "normal"),
    "label_fraud": NP_("score label", "fraud line"),
    "label_simbox": NP_("score label", "SIM box (GOIP)"),
    # money-flow pattern
    "pattern_fan_in": NP_("money-flow pattern", "fan-in"),
    "pattern_fan_out": NP_("money-flow pattern", "fan-out"),
    "pattern_gather_scatter": NP_("money-flow pattern", "gather then scatter"),
    "pattern_pass_through": NP_("money-flow pattern", "pass-through"),
    "pattern_cycle": NP_("money-flow pattern", "cycle"),
    "pattern_scatter_gather": NP_("money-flow pattern", "scatter then gather"),
    "pattern_bipartite": NP_("money-flow pattern", "bipartite"),
    "pattern_stack": NP_("money-flow pattern", "stack"),
    # trace total
    "total_loss": NP_("trace total", "lost"),
    "total_frozen": NP_("trace total", "frozen"),
    "total_exited": NP_("trace total", "left (cash, abroad, …)"),
    "total_hubs": NP_("trace total", "into hubs"),
    "total_returned": NP_("trace total", "returned"),
    "total_unaccounted": NP_("trace total", "unaccounted"),
    "total_over_balance": NP_("trace total", "over balance"),
    "total_beyond_hops": NP_("trace total", "beyond the hop limit"),
    "total_below_min": NP_("trace total", "below the minimum"),
    # worklist
    "worklist_accounts": NP_("worklist", "Top-scored mule accounts"),
    "worklist_numbers": NP_("worklist", "Top-scored fraud and SIM-box numbers"),
    "worklist_accounts_short": NP_("worklist", "Mule accounts"),
    "worklist_numbers_short": NP_("worklist", "Fraud numbers"),
    # order step confirmation
    "step_confirm_release": NP_("order step confirmation", "I confirm releasing this order"),
    "step_confirm_freeze": NP_(
        "order step confirmation", "I confirm the freeze under this document"
    ),
    "step_confirm_escalate": NP_("order step confirmation", "I confirm the emergency stop"),
    # order step help
    "step_help_release": NP_(
        "order step help", "Released money is no longer held: give the reason."
    ),
    "step_help_freeze": NP_(
        "order step help",
        "The stop becomes a formal freeze (6 months) under the legal document's number.",
    ),
    "step_help_escalate": NP_(
        "order step help",
        "The account is only to be verified; escalating stops it (48 hours): give the reason.",
    ),
    # channel
    "channel_sms": NP_("channel", "SMS"),
    "channel_call": NP_("channel", "Call"),
    "channel_visit": NP_("channel", "Visit"),
    # score label (a lake listing)
    "label_foreign_den": NP_("score label", "den abroad"),
    # the self-check's risk level
    "level_high": NP_("risk level", "high risk"),
    "level_medium": NP_("risk level", "medium risk"),
    "level_low": NP_("risk level", "low risk"),
    "level_unknown": NP_("risk level", "unknown"),
    # what the self-check checks
    "idkind_message": NP_("identifier kind", "message"),
    # account kinds
    "acctkind_bank_card": NP_("account kind", "bank card"),
    "acctkind_payment": NP_("account kind", "payment account"),
    "acctkind_crypto_wallet": NP_("account kind", "crypto wallet"),
    "acctkind_merchant": NP_("account kind", "merchant"),
    "acctkind_exchange": NP_("account kind", "exchange"),
    "acctkind_cash": NP_("account kind", "cash"),
    # the facts of a look-up (`chaincut.lake.readers.subjects`)
    "fact_holder_id": NP_("fact", "holder"),
    "fact_kind": NP_("fact", "account kind"),
    "fact_institution": NP_("fact", "institution"),
    "fact_opened_at": NP_("fact", "opened"),
    "fact_country": NP_("fact", "country"),
    "fact_inflows": NP_("fact", "payments in"),
    "fact_inflow_amount": NP_("fact", "amount in"),
    "fact_outflows": NP_("fact", "payments out"),
    "fact_outflow_amount": NP_("fact", "amount out"),
    "fact_first_seen": NP_("fact", "first transaction"),
    "fact_last_seen": NP_("fact", "last transaction"),
    "fact_calls_out": NP_("fact", "calls made"),
    "fact_calls_in": NP_("fact", "calls received"),
    "fact_distinct_callees": NP_("fact", "distinct numbers called"),
    "fact_mean_call_s": NP_("fact", "mean call length (s)"),
    "fact_devices": NP_("fact", "handsets"),
    "fact_cells": NP_("fact", "cells"),
    "fact_messages_sent": NP_("fact", "messages sent"),
    "fact_holders": NP_("fact", "holders"),
    "fact_name": NP_("fact", "name"),
    "fact_id_number": NP_("fact", "ID number"),
    "fact_birth_date": NP_("fact", "date of birth"),
    "fact_phone": NP_("fact", "phone number"),
    "fact_accounts": NP_("fact", "accounts held"),
    # the gang pages (wt/graph)
    "gang_event_report": NP_("gang event", "report filed"),
    "gang_event_case": NP_("gang event", "case opened"),
    "gang_event_first": NP_("gang event", "first report"),
    "gang_event_last": NP_("gang event", "last report"),
    "gang_kind_report": NP_("gang member kind", "report"),
    "gang_kind_account": NP_("gang member kind", "account"),
    "gang_kind_person": NP_("gang member kind", "person"),
    "gang_kind_phone": NP_("gang member kind", "phone"),
    "gang_kind_device": NP_("gang member kind", "handset"),
    "gang_kind_wallet": NP_("gang member kind", "wallet"),
    "gang_kind_id_number": NP_("gang member kind", "ID number"),
    "gang_role_financier": NP_("gang role", "financier"),
    "gang_role_core_member": NP_("gang role", "core member"),
    "gang_role_operator": NP_("gang role", "operator"),
    "gang_role_card_dealer": NP_("gang role", "card dealer"),
    "gang_role_launderer": NP_("gang role", "launderer"),
    "gang_role_mule": NP_("gang role", "mule"),
    "gang_role_recruiter": NP_("gang role", "recruiter"),
    "gang_role_logistics": NP_("gang role", "logistics"),
    "gang_link_money": NP_("gang link", "money"),
    "gang_link_evidence": NP_("gang link", "named in the evidence"),
    "gang_link_den": NP_("gang link", "same den handset"),
    # audit actions and subjects of the warnings and the gang pages
    "audit_assign_warning": NP_("audit action", "assign a warning"),
    "audit_dissuasion": NP_("audit action", "record a dissuasion"),
    "audit_gang_case": NP_("audit action", "open a case on a gang"),
    "audit_gang_list": NP_("audit action", "list the gangs"),
    "audit_gang_view": NP_("audit action", "view a gang"),
    "audit_gang_join": NP_("audit action", "join a report to its gang"),
    "audit_person_judgement": NP_("audit action", "judge a person"),
    "subject_gang": NP_("audit subject", "gang"),
    "subject_warning": NP_("audit subject", "warning"),
}
for _key in FRAUD_TYPES:
    VOCABULARY[f"type_{_key}"] = FRAUD_TYPES_EN.get(_key, ("fraud type", _key.replace("_", " ")))

#: prefixes of the keys above: an unknown value under one shows as the value itself
PREFIXES = tuple(sorted({key.split("_", 1)[0] + "_" for key in VOCABULARY}))

#: the audit purposes the system writes itself: said in the reader's language, unlike a typed one
SYSTEM_PURPOSES: frozenset[str] = frozenset(
    key.removeprefix("purpose_") for key in VOCABULARY if key.startswith("purpose_")
)

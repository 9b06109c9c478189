"""The signals a centre has beyond one message: lures shared by a campaign, a conversation with
a stranger, the person writing back, payees the mule model or fraud scripts point at."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.warning.events import Call, Message, Transfer
from chaincut.warning.lures import RECEIVERS_CAP, LureBook, lures_in
from chaincut.warning.scoring import INDEX
from chaincut.warning.signals import Directory, Warner

T0 = 1_772_000_000
BOOK = Directory({"+86a": "P-A", "+86b": "P-B", "+86c": "P-C"}, {"ACC-A": "P-A"})
SCRIPT = "您好，我是恒通证券的投资顾问，跟着导师做期货，保证月收益40%，转账到平台指定账户{}入金"
PLAIN = "明天的会议改到下午三点，资料见 {}"


def test_lures_are_the_links_accounts_numbers_and_chat_ids_a_text_names() -> None:
    text = "到http://bhvzua.xyz/7357平台交易，先转到6216072462984655044，加QQ：12345678，或打13812345678"
    assert lures_in(text) == (
        "account:6216072462984655044", "chat:12345678", "phone:13812345678",
        "url:bhvzua.xyz/7357",
    )  # fmt: skip
    assert lures_in("今天天气很好，晚上一起吃饭") == ()


def test_a_message_naming_a_campaigns_lure_is_evidence_even_when_its_text_is_plain() -> None:
    warner = Warner(BOOK)
    account = "6262251627627498623"
    warner.process(Message("M1", T0, "im:1", "+86a", SCRIPT.format(account), "im"))
    warner.process(Message("M2", T0 + 60, "im:2", "+86b", SCRIPT.format(account), "im"))
    # the classifier passes this text; the account it names is the campaign's
    warner.process(Message("M3", T0 + 120, "im:3", "+86c", PLAIN.format(account), "im"))
    third = warner.subjects[("person", "P-C")]
    assert third.features[INDEX["lure_shared"]] > 0
    assert any(account in s.why and s.id == "M3" for s in third.signals)
    alone = Warner(BOOK)
    alone.process(Message("M3", T0 + 120, "im:3", "+86c", PLAIN.format(account), "im"))
    assert alone.subjects[("person", "P-C")].features[INDEX["lure_shared"]] == 0


def test_a_script_after_a_long_call_from_the_same_stranger_is_a_conversation() -> None:
    warner = Warner(BOOK)
    warner.process(Call("C1", T0, "+86gang", "+86a", 1800))
    warner.process(Message("M1", T0 + 60, "+86gang", "+86a", SCRIPT.format(""), "sms"))
    warner.process(Call("C2", T0, "+86other", "+86b", 1800))
    warner.process(Message("M2", T0 + 60, "+86third", "+86b", SCRIPT.format(""), "sms"))
    assert warner.subjects[("person", "P-A")].features[INDEX["conversation"]] > 0.5
    assert warner.subjects[("person", "P-B")].features[INDEX["conversation"]] == 0


def test_writing_back_to_a_stranger_who_sent_a_script_is_engagement() -> None:
    warner = Warner(BOOK)
    warner.process(Message("M1", T0, "+86gang", "+86a", SCRIPT.format(""), "sms"))
    raised = warner.process(Message("M2", T0 + 60, "+86a", "+86gang", "好的，怎么操作", "sms"))
    person = warner.subjects[("person", "P-A")]
    assert person.features[INDEX["engaged"]] > 0.5
    assert any(s.id == "M2" for s in person.signals)
    assert all(w.subject_id == "P-A" for w in raised)
    # the reply does not make the stranger a known contact: its next script still counts
    warner.process(Message("M3", T0 + 120, "+86gang", "+86a", SCRIPT.format(""), "sms"))
    assert person.strangers["+86gang"] == 2


def test_a_first_payment_to_a_mule_scored_or_script_named_account_is_evidence() -> None:
    warner = Warner(BOOK)
    warner.set_mule_scores({"MULE": 0.93, "CLEAN": 0.0})
    warner.process(Transfer("T1", T0, "ACC-A", "MULE", 100_000, "transfer"))
    person = warner.subjects[("person", "P-A")]
    assert person.features[INDEX["pay_mule"]] == 0.93
    assert any("mule model scores 0.93" in s.why for s in person.signals)
    warner.process(Message("M1", T0, "im:1", "+86b", SCRIPT.format("6262251627627498623"), "im"))
    warner.process(Transfer("T2", T0 + 60, "ACC-A", "6262251627627498623", 100_000, "transfer"))
    assert person.features[INDEX["pay_lure"]] > 0
    assert "CLEAN" not in warner.mule_scores


# generating 300 pairs can take over a second on a loaded machine: not the code's slowness
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=300))
def test_a_lure_counts_at_most_its_cap_of_people(sends: list[tuple[int, int]]) -> None:
    book = LureBook()
    for lure, person in sends:
        book.add((f"url:x{lure % 3}.cn",), f"P{person}", T0)
    for lure in range(3):
        n, _ = book.others((f"url:x{lure}.cn",), "nobody")
        assert 0 <= n <= RECEIVERS_CAP


def test_scheduled_mule_scores_reach_the_warner_only_from_their_time() -> None:
    from chaincut.warning.replay import with_mule_scores

    warner = Warner(BOOK)
    events = [Transfer(f"T{i}", T0 + i * 100, "ACC-A", f"NEW{i}", 100_000, "transfer")
              for i in range(3)]  # fmt: skip
    schedule = [(T0 + 150, {"NEW0": 0.9, "NEW1": 0.9, "NEW2": 0.9})]
    seen = []
    for event in with_mule_scores(events, warner, schedule):
        seen.append(dict(warner.mule_scores))
        warner.process(event)
    assert seen[0] == {} and seen[1] == {}  # computed at T0 + 150: unknown before
    assert seen[2]["NEW2"] == 0.9


def test_mule_scores_at_a_time_leave_the_lake_alone(world: tuple[object, object]) -> None:
    from datetime import datetime

    from chaincut.settings import Settings
    from chaincut.warning.mule import scores_at

    settings = world[1]
    assert isinstance(settings, Settings)
    before = settings.lake_path.stat()
    assert scores_at(settings, datetime(2000, 1, 1)) == {}  # nothing had happened by then
    after = settings.lake_path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

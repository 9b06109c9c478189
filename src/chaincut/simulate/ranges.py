"""The simulator's assumptions as wide ranges, drawn per world for evaluation.

`PARAM_RANGES` lists every knob that `SimParams.randomised(seed)` draws: its low and high end,
how it is drawn and why the range is that wide (docs/simulator.md shows the same table). A
detector judged on many such worlds cannot lean on one world's quirks. Evaluation seeds start at
`EVAL_SEED_BASE`; anything trained on randomised worlds uses seeds below it.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, Literal

from chaincut.simulate.params import SimParams

#: evaluation worlds use seeds from here up; training must stay below
EVAL_SEED_BASE: Final = 1000
#: the lot policies a world may follow
LOT_POLICIES: Final = ("random", "fifo", "pro_rata")

How = Literal["uniform", "log", "int", "span", "slots", "mix", "choice"]


@dataclass(frozen=True)
class Range:
    """One knob: drawn between `low` and `high` (`how` says how), with the reason."""

    name: str
    low: float
    high: float
    how: How
    why: str

    def draw(self, r: random.Random) -> Any:
        lo, hi = self.low, self.high
        if self.how == "uniform":
            return round(r.uniform(lo, hi), 6)
        if self.how == "log":
            return round(lo * (hi / lo) ** r.random(), 8)
        if self.how == "int":
            return r.randint(int(lo), int(hi))
        if self.how == "span":  # a (low, high) range of integers inside [lo, hi]
            a, b = sorted((r.randint(int(lo), int(hi)), r.randint(int(lo), int(hi))))
            return (a, b)
        if self.how == "slots":  # box sizes: the powers of two between two drawn ends
            exps = range(int(lo).bit_length() - 1, int(hi).bit_length())
            a, b = sorted((r.choice(exps), r.choice(exps)))
            return tuple(1 << e for e in range(a, b + 1))
        if self.how == "mix":  # shares that sum to 1 (flat Dirichlet over int(hi) parts)
            raw = [r.expovariate(1.0) + lo for _ in range(int(hi))]
            parts = [round(x / sum(raw), 6) for x in raw[:-1]]
            return (*parts, round(1.0 - sum(parts), 6))
        return LOT_POLICIES[r.randrange(len(LOT_POLICIES))]  # choice


PARAM_RANGES: Final[tuple[Range, ...]] = (
    # volumes and prevalence
    Range("days", 14, 45, "int", "a fortnight to six weeks of records, as a request or an export holds"),
    Range("txns_per_person", 12, 48, "uniform", "people make from a few to a few dozen payments a month"),
    Range("calls_per_txn", 0.3, 1.2, "uniform", "phone use varies with the population"),
    Range("messages_per_txn", 0.2, 0.8, "uniform", "as calls"),
    Range("victims_per_10k_txns", 1.0, 12.0, "log", "prevalence differs by region and season; judge at low prevalence too"),
    Range("victims_per_den", 20, 150, "uniform", "small crews to large compounds"),
    Range("report_rate", 0.5, 1.0, "uniform", "many victims report late or never"),
    Range("operators_per_den", 2, 40, "span", "dens of a few to dozens of operators"),
    # the mule chain
    Range("mule_layers", 1, 4, "int", "chains of one to four levels of cards are described in cases"),
    Range("victims_per_l1", 1.0, 8.0, "uniform", "a first-level card takes one to many victims' money"),
    Range("next_layer_ratio", 0.3, 1.0, "uniform", "fan-in or fan-out between levels"),
    Range("split_factor", 1, 6, "span", "money passed on whole or split over several cards"),
    Range("hold_probability", 0.0, 0.4, "uniform", "some mules sit on the money for hours or days"),
    Range("runner_entry_share", 0.0, 0.5, "uniform", "score-running platforms take a varying share of entries"),
    Range("pooled_share", 0.0, 0.5, "uniform", "layering through payment platforms varies by gang"),
    Range("early_exit_share", 0.0, 0.3, "uniform", "some money leaves before the last level"),
    Range("merchant_spend_probability", 0.0, 0.6, "uniform", "mules spend at shops now and then"),
    Range("exit_mix", 0.05, 3, "mix", "crypto OTC, ATM cash and cross-border in any proportion"),
    Range("exit_batch_cny", 5_000, 100_000, "log", "exits in small or large batches"),
    Range("exit_wait_hours", 1.0, 48.0, "log", "how long the last level waits to batch"),
    Range("lot_policy", 0, 2, "choice", "which money leaves first is unknown; any of the three"),
    Range("bystander_share", 0.05, 0.6, "uniform", "mules pay ordinary people and shops for goods, services and debts (issue 12)"),
    Range("victim_platform_share", 0.0, 0.6, "uniform", "victims pay a mule directly or through a payment platform"),
    # SIM boxes and fraud calling
    Range("simbox_den_share", 0.2, 1.0, "uniform", "some dens run boxes, some only handsets"),
    Range("boxes_per_den", 1, 4, "span", "one box to a rack of them"),
    Range("simbox_slots", 4, 256, "slots", "boxes of 4 to 256 slots are sold (capped by city size)"),
    Range("rotating_imei_share", 0.0, 0.8, "uniform", "a share of boxes never rotate IMEIs"),
    Range("simbox_answer_rate", 0.05, 0.4, "uniform", "answer rates of mass dialling vary"),
    Range("fraud_call_share", 0.005, 0.08, "log", "fraud is a small share of calls"),
    Range("calls_per_sim_day", 5, 60, "int", "SIMs dial hard or slowly to stay under operators' limits"),
    Range("simbox_active_days", 1, 45, "span", "a box works for a day or for the whole period"),
    Range("simbox_swap_rate", 0.01, 1.0, "log", "SIM lifetimes from one day to longer than the period (box SIMs used for weeks)"),
    Range("simbox_idle_share", 0.0, 0.5, "uniform", "SIMs offline for whole sessions"),
    Range("simbox_move_share", 0.0, 0.6, "uniform", "dens move boxes to other buildings"),
    Range("victim_contact_via_box", 0.2, 1.0, "uniform", "victims first reached by a box or by a handset"),
    Range("handover_share", 0.0, 0.8, "uniform", "victims passed on to another line"),
    Range("callback_rate", 0.01, 0.2, "uniform", "people call unknown numbers back now and then"),
    Range("callback_answer_rate", 0.05, 0.6, "uniform", "fraud lines answer callbacks or not"),
    Range("roaming_line_share", 0.0, 1.0, "uniform", "mobile fraud lines that also cold-call"),
    Range("real_identity_share", 0.0, 1.0, "uniform", "fraud SIMs registered under bought real identities"),
    Range("spam_share", 0.0, 0.05, "uniform", "spam volume"),
    # honest look-alikes (labelled normal kinds)
    Range("courier_share", 0.0005, 0.01, "log", "delivery drivers"),
    Range("telemarketer_share", 0.0001, 0.003, "log", "sales lines"),
    Range("business_line_share", 0.001, 0.02, "log", "shop lines"),
    Range("call_centres_per_100k", 0.5, 10.0, "log", "outbound call centres"),
    Range("call_centre_seats", 4, 120, "span", "small rooms to large floors"),
    Range("call_centre_answering_share", 0.0, 1.0, "uniform", "outbound-only lines or not"),
    Range("campaigns_per_100k", 0.0, 5.0, "uniform", "short outbound campaigns"),
    Range("heavy_call_share_max", 0.05, 0.4, "uniform", "how much of the traffic heavy lines make"),
    Range("reminder_lines_per_100k", 0.5, 10.0, "log", "delivery-notice and clinic-reminder lines: outbound, short, many callees"),
    Range("switchboards_per_100k", 1.0, 20.0, "log", "company switchboards: many callers both ways"),
    Range("payroll_agent_share", 0.0, 0.3, "uniform", "salaries paid through an agent: money in, out to many within hours"),
    Range("trader_share", 0.002, 0.03, "log", "small traders paid by many strangers on a personal card"),
    Range("dealer_reg_share", 0.0, 1.0, "uniform", "dealers open the cards they sell with their own number, or with the mule's"),
)  # fmt: skip

_BY_NAME: Final = {r.name: r for r in PARAM_RANGES}


def draw_params(seed: int) -> SimParams:
    """`SimParams` with every knob of `PARAM_RANGES` drawn from its range, by seed."""
    r = random.Random(f"chaincut-ranges:{seed}")
    values: dict[str, Any] = {rng.name: rng.draw(r) for rng in PARAM_RANGES}
    days = values["days"]
    lo, hi = values["simbox_active_days"]
    values["simbox_active_days"] = (min(lo, days - 2), min(hi, days - 2))
    values["campaign_days"] = (2, min(8, days - 1))
    return SimParams(**values)


def range_of(name: str) -> Range:
    """The documented range of a knob (KeyError for one that is not drawn)."""
    return _BY_NAME[name]


def params_json(params: SimParams) -> dict[str, Any]:
    """The parameters as JSON-ready values (dates as ISO text, tuples as lists)."""
    out: dict[str, Any] = {}
    for name, value in asdict(params).items():
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def write_params(out_dir: Path | str, params: SimParams, seed: int) -> Path:
    """Write the world's parameters to `truth/params.json` (importers never read `truth/`)."""
    path = Path(out_dir) / "truth" / "params.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"seed": seed, "randomised": True, "params": params_json(params)}
    path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path

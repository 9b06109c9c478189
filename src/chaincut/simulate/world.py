"""The world: registries, the city's people and economy, built once per run before any event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from chaincut.simulate.catalog import SERVICE_NUMBERS
from chaincut.simulate.clock import CALL_HOURS, MESSAGE_HOURS, TXN_HOURS, Clock
from chaincut.simulate.economy import Economy, build_economy
from chaincut.simulate.params import SimParams, Sizes
from chaincut.simulate.people import Cells, Population, build_cells, build_population
from chaincut.simulate.registry import (
    Counters,
    Institutions,
    Registry,
    new_accounts,
    new_devices,
    new_persons,
    new_phones,
)

if TYPE_CHECKING:
    from chaincut.simulate.heavy import Callers
    from chaincut.simulate.lookalikes import Lookalikes


@dataclass
class World:
    seed: int
    params: SimParams
    sizes: Sizes
    persons: Registry
    accounts: Registry
    phones: Registry
    devices: Registry
    institutions: Institutions
    counters: Counters
    cells: Cells
    economy: Economy
    population: Population
    service_phones: np.ndarray
    txn_clock: Clock
    call_clock: Clock
    message_clock: Clock
    first_weekday: int
    extra_outflow: dict[int, int] = field(default_factory=dict)  # account -> cents (fraud side)
    callers: Callers | None = None  # heavy callers and outside contacts (set after the dens)
    looks: Lookalikes | None = None  # payroll agents and traders (set after the money side)
    reg_phone: pa.Array | None = None  # accounts' registration phones (set last: registration)

    @property
    def start_ts(self) -> int:
        return self.params.start_ts

    @property
    def end_ts(self) -> int:
        return self.params.end_ts

    @property
    def start_days(self) -> int:
        return self.start_ts // 86_400

    def add_outflow(self, account: int, cents: int) -> None:
        """Money a normal account pays out on the fraud side (its opening balance covers it)."""
        self.extra_outflow[account] = self.extra_outflow.get(account, 0) + cents


def build_world(seed: int, params: SimParams, sizes: Sizes) -> World:
    persons, accounts = new_persons(), new_accounts()
    phones, devices = new_phones(), new_devices()
    institutions, counters = Institutions(), Counters()
    cells = build_cells(seed, sizes.cells)
    economy = build_economy(
        seed,
        sizes.persons,
        sizes.employers,
        sizes.merchants,
        sizes.atms_per_bank,
        sizes.foreign_accounts,
        params.start_ts,
        len(cells),
        accounts,
        institutions,
        counters,
    )
    start_days = params.start_ts // 86_400
    population = build_population(
        seed,
        sizes.persons,
        start_days,
        cells,
        economy.employer_cell,
        persons,
        phones,
        devices,
        counters,
    )
    service = phones.add(pa.array(list(SERVICE_NUMBERS)), owner=-1)
    first_weekday = datetime.fromtimestamp(params.start_ts + 8 * 3600, UTC).weekday()
    days = params.days
    return World(
        seed=seed,
        params=params,
        sizes=sizes,
        persons=persons,
        accounts=accounts,
        phones=phones,
        devices=devices,
        institutions=institutions,
        counters=counters,
        cells=cells,
        economy=economy,
        population=population,
        service_phones=service,
        txn_clock=Clock(params.start_ts, days, TXN_HOURS, 1.15, first_weekday),
        call_clock=Clock(params.start_ts, days, CALL_HOURS, 0.85, first_weekday),
        message_clock=Clock(params.start_ts, days, MESSAGE_HOURS, 1.05, first_weekday),
        first_weekday=first_weekday,
    )

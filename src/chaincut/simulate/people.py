"""The city's people: persons with phones and handsets, households, social circles and cells.

Households share a surname and a district; social circles are family, colleagues and friends in
the same district, stored as a CSR adjacency (`contact_ptr`, `contacts`) that normal calls,
messages and transfers among friends draw from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.simulate import ident
from chaincut.simulate.catalog import CITY_CENTRE, DISTRICTS, HANDSET_TACS, OTHER_REGIONS
from chaincut.simulate.encode import seq_ids
from chaincut.simulate.registry import Counters, Registry
from chaincut.simulate.rng import Tickets, affine_serial, stream

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
F64 = NDArray[np.float64]


@dataclass
class Cells:
    """Cell sites: three sectors per site; `site` groups sectors of one mast."""

    ids: pa.StringArray
    district: I64
    site: I64
    lat: F64
    lon: F64

    def __len__(self) -> int:
        return len(self.district)


def build_cells(seed: int, n_cells: int) -> Cells:
    rng = stream(seed, "cells")
    n_sites = n_cells // 3
    nd = len(DISTRICTS)
    site_district = np.sort(rng.integers(0, nd, n_sites))
    angle = 2 * np.pi * np.arange(nd) / nd
    ring = np.where(np.arange(nd) < 5, 0.03, 0.12)
    clat = CITY_CENTRE[0] + ring * np.sin(angle)
    clon = CITY_CENTRE[1] + ring * np.cos(angle)
    lat = clat[site_district] + rng.normal(0, 0.02, n_sites)
    lon = clon[site_district] + rng.normal(0, 0.025, n_sites)
    ids: list[str] = []
    for s in range(n_sites):
        lac = 28_000 + int(site_district[s]) * 16 + s % 16
        ids.extend(f"460-00-{lac}-{s * 10 + sector + 1}" for sector in range(3))
    site = np.repeat(np.arange(n_sites, dtype=np.int64), 3)
    return Cells(
        ids=pa.array(ids, pa.string()),
        district=site_district[site].astype(np.int64),
        site=site,
        lat=np.round(lat[site], 5),
        lon=np.round(lon[site], 5),
    )


@dataclass
class Population:
    """Per-person behaviour of the ordinary population (persons 0 .. n-1 in the registry)."""

    n: int
    district: I64
    home_cell: I64
    work_cell: I64
    employer: I64  # -1: not employed
    phone: I64  # phone registry index
    imei: I64  # device registry index
    hour_shift: I64  # seconds by which this person's day is early or late
    call_mu: F64  # log of the median call duration in seconds
    txn_tickets: Tickets  # who pays (weighted by activity)
    call_tickets: Tickets  # who calls and messages
    contact_ptr: I64
    contacts: I32


def _ages(rng: np.random.Generator, n: int) -> I64:
    bands = np.array([18, 25, 35, 45, 55, 65, 75, 86])
    weights = np.array([0.13, 0.2, 0.19, 0.18, 0.15, 0.1, 0.05])
    band = rng.choice(len(weights), size=n, p=weights / weights.sum())
    out: I64 = rng.integers(bands[band], bands[band + 1]).astype(np.int64)
    return out


def _households(rng: np.random.Generator, n: int) -> I64:
    """Household number of each person (consecutive persons share households)."""
    sizes = rng.choice([1, 2, 3, 4, 5], size=n // 2 + 2, p=[0.2, 0.3, 0.28, 0.15, 0.07])
    starts = np.cumsum(sizes) - sizes
    hh = np.searchsorted(starts, np.arange(n), side="right") - 1
    return hh.astype(np.int64)


def _random_in_group(rng: np.random.Generator, group: I64, k: int) -> tuple[I32, I32]:
    """k random partners per person among the persons of the same group (group >= 0)."""
    members = np.flatnonzero(group >= 0)
    order = members[np.argsort(group[members])]
    g = group[order]
    first = np.r_[True, g[1:] != g[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(g)), 0))
    size = np.bincount(np.cumsum(first) - 1)[np.cumsum(first) - 1]
    u = np.repeat(order, k)
    pick = np.repeat(start, k) + (rng.random(len(u)) * np.repeat(size, k)).astype(np.int64)
    v = order[pick]
    keep = u != v
    return u[keep].astype(np.int32), v[keep].astype(np.int32)


def _social_graph(
    rng: np.random.Generator, household: I64, employer: I64, district: I64
) -> tuple[I64, I32]:
    """Symmetric contact lists in CSR form (int32 neighbours: the graph is the largest table)."""
    n = len(household)
    # family (twice: called more often), colleagues, friends, neighbours; both directions
    hu, hv = _random_in_group(rng, household, 4)
    cu, cv = _random_in_group(rng, employer, 3)
    fu, fv = _random_in_group(rng, district * 1000 + rng.integers(0, 40, n), 3)
    ru, rv = _random_in_group(rng, district, 2)
    u = np.concatenate([hu, hv, hu, cu, cv, fu, fv, ru, rv])
    v = np.concatenate([hv, hu, hv, cv, cu, fv, fu, rv, ru])
    del hu, hv, cu, cv, fu, fv, ru, rv
    order = np.argsort(u)  # neighbour order within a person is immaterial
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=ptr[1:])
    contacts: I32 = v[order]
    return ptr, contacts


def build_population(
    seed: int,
    n: int,
    start_days: int,
    cells: Cells,
    employer_cell: I64,
    persons: Registry,
    phones: Registry,
    devices: Registry,
    counters: Counters,
) -> Population:
    rng = stream(seed, "population")
    household = _households(rng, n)
    hh_district = rng.integers(0, len(DISTRICTS), household[-1] + 1)
    district = hh_district[household]
    hh_surname = ident.surnames(rng, household[-1] + 1)
    surname = np.where(rng.random(n) < 0.85, hh_surname[household], ident.surnames(rng, n))
    age = _ages(rng, n)
    birth = start_days - age * 365 - rng.integers(0, 365, n)
    male = rng.random(n) < 0.51
    native = rng.random(n) < 0.7
    codes = np.array([c for _, c in DISTRICTS], dtype=np.int64)
    region = np.where(native, codes[district], rng.choice(np.array(OTHER_REGIONS), n))
    employed = (rng.random(n) < 0.72) & (age < 63)
    employer = np.where(employed, rng.integers(0, len(employer_cell), n), -1)

    phone = phones.add(
        ident.mobile_numbers(counters.take("mobile", n), seed),
        owner=np.arange(n, dtype=np.int64) + persons.size,
    )
    imei = devices.add(ident.imeis(HANDSET_TACS, counters.take("handset", n), seed))
    persons.add(
        seq_ids("P", _scrambled(counters.take("person", n), seed), 10),
        texts={
            "name": ident.names(rng, surname),
            "id_number": ident.id_numbers(region, birth, male),
        },
        birth_days=birth,
        phone=phone,
    )
    by_district = [np.flatnonzero(cells.district == d) for d in range(len(DISTRICTS))]
    home_cell = np.empty(n, dtype=np.int64)
    for d, cand in enumerate(by_district):
        mask = district == d
        pool = cand if len(cand) else np.arange(len(cells))
        home_cell[mask] = pool[rng.integers(0, len(pool), int(mask.sum()))]
    work_cell = np.where(employer >= 0, employer_cell[np.maximum(employer, 0)], home_cell)
    ptr, contacts = _social_graph(rng, household, employer, district)
    return Population(
        n=n,
        district=district,
        home_cell=home_cell,
        work_cell=work_cell,
        employer=employer,
        phone=phone,
        imei=imei,
        hour_shift=(rng.normal(0, 1.2, n) * 3600).astype(np.int64),
        call_mu=rng.normal(np.log(75), 0.5, n),
        txn_tickets=Tickets(rng.lognormal(0, 0.7, n)),
        call_tickets=Tickets(rng.lognormal(0, 0.9, n)),
        contact_ptr=ptr,
        contacts=contacts,
    )


def _scrambled(counter: I64, seed: int) -> I64:
    return affine_serial(counter, 10**10, seed)


def add_persons(
    seed: int,
    name: str,
    n: int,
    start_days: int,
    label: I64,
    phone: I64,
    persons: Registry,
    counters: Counters,
) -> I64:
    """Persons outside the ordinary population (den members, SIM registrants)."""
    rng = stream(seed, "persons:" + name)
    age = rng.integers(19, 60, n)
    birth = start_days - age * 365 - rng.integers(0, 365, n)
    region = rng.choice(np.array(OTHER_REGIONS + tuple(c for _, c in DISTRICTS)), n)
    ids = persons.add(
        seq_ids("P", _scrambled(counters.take("person", n), seed), 10),
        texts={
            "name": ident.names(rng, ident.surnames(rng, n)),
            "id_number": ident.id_numbers(region, birth, rng.random(n) < 0.6, seq_offset=400),
        },
        birth_days=birth,
        phone=phone,
        label=label,
    )
    return ids

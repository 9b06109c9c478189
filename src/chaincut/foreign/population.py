"""The honest population: people with cards and phones, their families and friends, employers,
merchants, payment platforms, OTC desks and ATMs, and the honest accounts that look like mules
(payroll agents, small traders, landlords, students)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chaincut.foreign.core import World

PLATFORMS = ("Alipay", "WeChat Pay", "UnionPay QuickPass")
SHOP_KINDS = ("shop", "restaurant", "online_seller", "utility", "clinic")


@dataclass
class Population:
    people: list[str] = field(default_factory=list)
    card: dict[str, str] = field(default_factory=dict)  # person -> main bank card
    phone: dict[str, str] = field(default_factory=dict)  # person -> main phone
    second_phone: dict[str, str] = field(default_factory=dict)
    contacts: dict[str, list[str]] = field(default_factory=dict)
    salary: dict[str, tuple[str, int]] = field(default_factory=dict)  # person -> (payer, cents)
    payroll: dict[str, tuple[str, list[str]]] = field(
        default_factory=dict
    )  # agent -> (employer, workers)
    rent: dict[str, tuple[str, int]] = field(default_factory=dict)  # tenant -> (landlord, cents)
    allowance: dict[str, tuple[str, int]] = field(
        default_factory=dict
    )  # student -> (parent, cents)
    shops: list[str] = field(default_factory=list)  # merchant accounts paid at the till
    online: list[str] = field(default_factory=list)  # online sellers, paid through a platform
    utilities: list[str] = field(default_factory=list)
    traders: list[str] = field(default_factory=list)  # small traders' personal cards
    owner_card: dict[str, str] = field(default_factory=dict)  # merchant -> owner's card
    sources: list[str] = field(default_factory=list)  # employers, pension fund: money from outside
    platforms: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)
    atms: list[str] = field(default_factory=list)
    abroad: list[str] = field(default_factory=list)  # honest foreign accounts (tuition, family)
    lookalikes: dict[str, list[str]] = field(default_factory=dict)


def build_population(w: World, n_people: int) -> Population:
    """`n_people` honest persons and the institutions around them."""
    pop = Population()
    _institutions(w, pop, n_people)
    employers, pension = _employers(w, n_people)
    pop.sources = [*employers, pension]
    _people(w, pop, n_people)
    _merchants(w, pop, n_people)
    _income(w, pop, employers, pension)
    _payroll_and_rent(w, pop, employers, n_people)
    return pop


def _institutions(w: World, pop: Population, n_people: int) -> None:
    """Payment platforms, OTC desks, ATM networks and honest accounts abroad."""
    for name in PLATFORMS:
        pop.platforms.append(
            w.add_account(
                name,
                "payment",
                "normal",
                account_id=f"POOL-{name.split()[0].upper()}",
                institution=name,
                opened_days_ago=5000,
            )
        )
    for i in range(max(2, n_people // 2500)):
        pop.exchanges.append(
            w.add_account(
                f"OTC desk {i + 1}",
                "exchange",
                "normal",
                account_id=f"OTC-{i + 1:03d}",
                institution="OTC",
            )
        )
    for i in range(max(4, n_people // 400)):
        pop.atms.append(
            w.add_account(f"ATM network {i % 3}", "cash", "normal", account_id=f"ATM-{i + 1:04d}")
        )
    for i in range(max(3, n_people // 300)):
        country = w.pick(("US", "GB", "AU", "CA", "JP", "SG"))
        pop.abroad.append(
            w.add_account(
                f"foreign holder {i}",
                "bank_card",
                "normal",
                account_id=f"{country}{w.digits(14)}",
                country=country,
            )
        )


def _employers(w: World, n_people: int) -> tuple[list[str], str]:
    """Companies that pay salaries, and the pension fund."""
    rng = w.rng
    n_employers = max(5, n_people // 60)
    employers = [
        w.add_account(
            f"company {i}",
            "merchant",
            "normal",
            account_id=f"CO-{i + 1:05d}",
            opened_days_ago=int(rng.integers(400, 6000)),
        )
        for i in range(n_employers)
    ]
    pension = w.add_account("social security fund", "merchant", "normal", account_id="CO-PENSION")
    return employers, pension


def _people(w: World, pop: Population, n_people: int) -> None:
    """The persons, their phones and cards; shared family phones, second phones, contacts."""
    rng = w.rng
    row_of: dict[str, int] = {}
    for _ in range(n_people):
        row_of[pid := w.add_person("normal")] = len(w.persons) - 1
        pop.people.append(pid)
        pop.phone[pid] = w.persons[-1][4]
        pop.card[pid] = w.add_account(pid, "bank_card", "normal", reg=(pop.phone[pid], ""))
    people = pop.people
    # families share a landline-like phone; some people carry two phones
    shared = rng.choice(len(people), size=len(people) // 40, replace=False)
    lookalike = pop.lookalikes
    for i in shared:
        a, b = people[int(i)], people[int(i) - 1]
        pop.phone[a] = pop.phone[b]
        row = w.persons[row_of[a]]
        w.persons[row_of[a]] = (*row[:4], pop.phone[b])
        w.sims_of[a] = []  # the family's phone is in b's name
        lookalike.setdefault("shared_family_phone", []).append(pop.phone[b])
    for i in rng.choice(len(people), size=len(people) // 25, replace=False):
        pid = people[int(i)]
        pop.second_phone[pid] = w.phone()
        w.sims_of[pid].append(pop.second_phone[pid])
        lookalike.setdefault("two_phones", []).append(pop.second_phone[pid])
    for pid in people:
        k = int(rng.integers(2, 9))
        pop.contacts[pid] = [
            people[int(j)] for j in rng.integers(0, len(people), k) if people[int(j)] != pid
        ]


def _merchants(w: World, pop: Population, n_people: int) -> None:
    """Merchants owned by a person, paid at the till (pos) or online through a platform;
    small traders paid on a personal card."""
    rng, people, lookalike = w.rng, pop.people, pop.lookalikes
    for i in range(max(8, n_people // 25)):
        owner = w.pick(people)
        kind = SHOP_KINDS[min(int(rng.integers(0, 10)), 9) // 2]
        mid = w.add_account(
            owner, "merchant", "normal", account_id=f"MER-{i + 1:06d}", reg=(pop.phone[owner], "")
        )
        pop.owner_card[mid] = pop.card[owner]
        {"online_seller": pop.online, "utility": pop.utilities}.get(kind, pop.shops).append(mid)
    for lst, fallback in ((pop.online, "online_seller"), (pop.utilities, "utility")):
        if not lst:
            mid = w.add_account(
                fallback, "merchant", "normal", account_id=f"MER-{fallback.upper()}"
            )
            pop.owner_card[mid] = pop.card[people[0]]
            lst.append(mid)
    # small traders: a personal card with a payment code, many small payments from strangers
    for pid in rng.choice(people, size=max(3, n_people // 60), replace=False):
        pop.traders.append(pop.card[str(pid)])
    lookalike["small_trader"] = list(pop.traders)


def _income(w: World, pop: Population, employers: list[str], pension: str) -> None:
    """Salaries, pensions and students' allowances."""
    rng, people = w.rng, pop.people
    n_employers = len(employers)
    order = rng.permutation(len(people))
    n_students = len(people) // 12
    for j, i in enumerate(order):
        pid = people[int(i)]
        if j < n_students:
            parent = w.pick(people)
            if parent != pid:
                pop.allowance[pid] = (parent, int(rng.integers(800, 3000)) * 100)
        elif rng.random() < 0.12:
            pop.salary[pid] = (pension, int(rng.lognormal(8.0, 0.4)) * 100)
        else:
            pop.salary[pid] = (
                employers[int(rng.integers(n_employers))],
                int(rng.lognormal(8.9, 0.5)) * 100,
            )
    pop.lookalikes["student"] = [pop.card[p] for p in pop.allowance]


def _payroll_and_rent(w: World, pop: Population, employers: list[str], n_people: int) -> None:
    """Payroll agents who pay others' wages, and landlords with several tenants each."""
    rng, people, lookalike = w.rng, pop.people, pop.lookalikes
    n_employers = len(employers)
    agents = rng.choice(people, size=max(1, n_people // 500), replace=False)
    for a in agents:
        agent = str(a)
        workers = [
            p
            for p in rng.choice(people, size=int(rng.integers(15, 60)), replace=False).tolist()
            if p != agent
        ]
        pop.payroll[agent] = (employers[int(rng.integers(n_employers))], workers)
        for p in workers:
            pop.salary.pop(p, None)
    lookalike["payroll_agent"] = [pop.card[a] for a in pop.payroll]
    # landlords with several tenants each
    landlords = rng.choice(people, size=max(2, n_people // 80), replace=False).tolist()
    for pid in people:
        if rng.random() < 0.3:
            landlord = str(landlords[int(rng.integers(len(landlords)))])
            if landlord != pid:
                pop.rent[pid] = (pop.card[landlord], int(rng.integers(12, 60)) * 10_000)
    lookalike["landlord"] = [pop.card[str(x)] for x in landlords]

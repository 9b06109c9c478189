"""The phone each bank account was registered with (`accounts.reg_phone`, an extra column).

A bank or a payment platform records the mobile number an account was opened with. An ordinary
person's account carries its holder's own number (now and then none: an old account opened
before numbers were asked for, or a field left blank in the export). A mule card that a card
dealer (卡商) bought and resold was often opened by the dealer with a number he controls, so the
cards of several mules carry the same dealer's number: `dealer_reg_share` of a den's mule cards
do (per mule, one of the den's dealers), the rest their holder's own number. Organisations'
accounts carry none (their holders are not persons of the city).

Everything here draws from its own random stream (`stream(seed, "registration")`), after every
other part of the world is made, so the other tables of a seed are byte-identical whatever
`dealer_reg_share` is.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.simulate.dens import Den
from chaincut.simulate.rng import stream
from chaincut.simulate.world import World

#: accounts of persons that carry no registration phone in the records
BLANK_SHARE = 0.05


def registration_phones(world: World, dens: list[Den]) -> pa.Array:
    """Each account's registration phone (null where the records give none), in the order of
    `world.accounts`."""
    rng = stream(world.seed, "registration")
    accounts, persons = world.accounts, world.persons
    holder = accounts.col["holder"]
    # the holder's own phone (an index into world.phones); -1: none
    phone = np.full(accounts.size, -1, dtype=np.int64)
    person = holder >= 0
    phone[person] = persons.col["phone"][holder[person]]
    phone[person & (rng.random(accounts.size) < BLANK_SHARE)] = -1
    share = world.params.dealer_reg_share
    for den in dens:
        dealers = [den.phone[d] for d in den.members.get("card_dealer", []) if d in den.phone]
        cards = [a for level in den.layers for a in level]
        if not dealers or not cards:
            continue
        # a mule sells all their cards through one dealer; each card is opened with the
        # dealer's number or not
        mules = sorted({den.owner[a] for a in cards})
        dealer_of = dict(
            zip(mules, rng.integers(0, len(dealers), len(mules)).tolist(), strict=True)
        )
        through = rng.random(len(cards)) < share
        own = persons.col["phone"]
        for card, by_dealer in zip(cards, through.tolist(), strict=True):
            mule = den.owner[card]
            phone[card] = dealers[dealer_of[mule]] if by_dealer else own[mule]
    missing = pa.array(phone < 0)
    ids = world.phones.ids.take(pa.array(np.maximum(phone, 0)))
    out: pa.Array = pc.if_else(missing, pa.scalar(None, pa.string()), ids)
    return out

"""The live warner the service keeps: one `Warner` fed by `POST /v1/events`, behind a lock.

Events pushed by banks and operators arrive in batches, not always in time order across
senders; each batch is sorted by time before it is taken, and the warner's state is the same
bounded state as a replay's (docs/warning.md, "State"). The directory (who holds which phone
and account) and the accounts and numbers already flagged (the fraud list) are loaded once, on
the first batch, by the callables the service gives.

Once they are loaded, the objects then alive are moved out of the garbage collector's sight
(`gc.freeze`, after a full collection): the directory, the text model and the app are
long-lived, and without this every full collection walks all of them again, which cost about
40 % of the CPU per event (docs/benchmarks.md, "Early warning"). Reference counting still frees
them; only a reference cycle among them that becomes garbage later is never collected. The
collector's first threshold is raised to 20,000 allocations (from CPython's 700; never
lowered): a batch allocates tens of thousands of short-lived objects, and collecting every 700
walked the warner's growing state again and again (another fifth of the CPU). Both are done
once per process (a service keeps one warner).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from chaincut.warning.events import KIND_ORDER, Event, Message, event_id
from chaincut.warning.signals import Directory, RaisedWarning, Warner, prime_scripts
from chaincut.warning.state import AccountState
from chaincut.warning.why import Why, as_why

#: (kind "account" or "phone", value, why) of each flagged identifier
Flag = tuple[str, str, "str | Why"]


_frozen = threading.Event()
#: allocations between collections of the youngest generation, once the warner is loaded
YOUNG_THRESHOLD = 20_000


def _freeze_once() -> None:
    """Collect, freeze what is alive and raise the collector's threshold (see the module
    docstring); once per process: a service keeps one warner, and a second freeze would only
    hide more from the collector."""
    if not _frozen.is_set():
        _frozen.set()
        gc.collect()
        gc.freeze()
        first, second, third = gc.get_threshold()
        if first < YOUNG_THRESHOLD:
            gc.set_threshold(YOUNG_THRESHOLD, max(second, 10), max(third, 10))


@dataclass
class LiveWarnings:
    """The service's warner; `take` is safe to call from several request threads."""

    warner: Warner | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    events: int = 0
    #: freeze the objects alive once the warner is loaded (see the module docstring)
    freeze: bool = True

    def take(
        self,
        events: Sequence[Event],
        directory: Callable[[], Directory],
        flags: Callable[[], Iterable[Flag]],
        mule: Callable[[], Mapping[str, float]] | None = None,
    ) -> list[RaisedWarning]:
        """Feed `events` (sorted by time here) to the warner; the warnings they raise. On the
        first batch the warner is built from `directory()`, `flags()` and `mule()` (the mule
        model's scores of the accounts it flags, when the service has them)."""
        ordered = sorted(events, key=lambda e: (e.ts, KIND_ORDER[type(e)], event_id(e)))
        raised: list[RaisedWarning] = []
        prime_scripts(e.text for e in ordered if isinstance(e, Message))  # outside the lock
        with self.lock:
            if self.warner is None:
                self.warner = Warner(directory())
                start = ordered[0].ts if ordered else 0
                for kind, value, why in flags():
                    if kind == "account":
                        self.warner.accounts.setdefault(value, AccountState(start))
                        self.warner.accounts[value].flagged = as_why(why)
                    else:
                        self.warner.flag_number(value, why, start)
                if mule is not None:
                    self.warner.set_mule_scores(mule())
                if self.freeze:
                    _freeze_once()
            for event in ordered:
                raised += self.warner.process(event)
            self.events += len(ordered)
        return raised

    def flag_account(
        self, account: str, why: str | Why, ts: int, fraud_type: str | None
    ) -> list[RaisedWarning]:
        """An account reported or stopped now: flag it and run the reverse trace."""
        with self.lock:
            if self.warner is None:
                return []
            return self.warner.flag_account(account, why, ts, fraud_type)

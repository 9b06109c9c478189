"""Per-client rate limits for the public endpoints (the self-check), through `limits`.

A moving window of `burst` requests per `burst / rate` seconds per client, kept in memory: each
client's window expires on its own, so a flood of new clients costs memory for the window's
length only and never resets anyone else's count. Per process: enough for one `chaincut
serve`; several processes behind a proxy should rate-limit at the proxy as well.
"""

from __future__ import annotations

import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    """`rate` requests per second per client on average, bursts of up to `burst`."""

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._item = RateLimitItemPerSecond(burst, max(1, round(burst / rate)))
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, client: str) -> float:
        """0.0 if `client` may go ahead now (the request is counted), else the seconds to wait
        before retrying."""
        if self._limiter.hit(self._item, client):
            return 0.0
        stats = self._limiter.get_window_stats(self._item, client)
        return max(0.001, stats.reset_time - time.time())

"""How long the desktop waits before trying again: one rule for every retry loop.

Exponential growth spreads retries out while the relay or the network is
down; the cap keeps a desktop from waiting minutes after it comes back;
jitter keeps forty desktops that lost the same relay from reconnecting in
the same instant (AWS's "Exponential Backoff And Jitter" measured full
jitter as the least total work). The relay keeps its own copy of this rule
for Graph calls (``relay.graph.backoff_delay``), because the relay and the
desktop ship apart and never import each other.
"""

from __future__ import annotations

import random


def backoff(attempt: int, *, base: float, cap: float, jitter: float = 1.0) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry).

    ``base * 2**attempt``, at most ``cap``, lowered at random by up to
    ``jitter`` of itself (1.0: anywhere from 0; 0.5: from half).
    """
    if not 0.0 <= jitter <= 1.0:
        raise ValueError("jitter is a fraction between 0 and 1")
    ceiling = min(cap, base * 2.0 ** min(max(attempt, 0), 30))
    return ceiling * random.uniform(1.0 - jitter, 1.0)

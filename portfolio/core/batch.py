"""Working out statuses for a whole trust in one request without stalling on the collector.

A full matrix allocates about a million small objects (rows, dates, decisions, statuses), all
alive until the page or file is made. CPython's cyclic garbage collector runs every few
hundred allocations and, as the survivors pile up, repeatedly walks all of them: about a third
of the time a 1,000-worker matrix took went there (`make bench`). None of these objects forms
a reference cycle, so reference counting frees them all; the collector is paused for the
calculation only and resumed, as it was, afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

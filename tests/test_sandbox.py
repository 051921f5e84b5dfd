"""Work run in a limited child process: it comes back, or it is stopped with a reason and
the caller goes on."""

from __future__ import annotations

import time

import pytest

from portfolio.sandbox import Stop, StoppedError, run_limited


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _grow(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse() -> None:
    raise StoppedError(Stop.REFUSED, "More than 3 pages")


def _break() -> None:
    raise ValueError("a bug")


def test_a_limited_run_returns_what_the_function_returned() -> None:
    assert run_limited(_sleep, 0, seconds=30, memory_mb=256) == "woke"


def test_a_run_that_takes_too_long_is_stopped_and_the_caller_goes_on() -> None:
    started = time.perf_counter()
    with pytest.raises(StoppedError) as stopped:
        run_limited(_sleep, 30, seconds=0.5, memory_mb=256)
    assert stopped.value.why is Stop.TOO_LONG
    assert stopped.value.message == "It took too long"
    assert time.perf_counter() - started < 10


def test_a_run_that_grows_too_large_is_stopped() -> None:
    with pytest.raises(StoppedError) as stopped:
        run_limited(_grow, 2048, seconds=60, memory_mb=64)
    assert stopped.value.why is Stop.TOO_LARGE
    assert run_limited(_grow, 16, seconds=60, memory_mb=256) == 16 * 1024 * 1024


def test_a_refusal_and_a_failure_in_the_child_come_back_as_messages() -> None:
    with pytest.raises(StoppedError) as refused:
        run_limited(_refuse, seconds=30, memory_mb=256)
    assert (refused.value.why, refused.value.message) == (Stop.REFUSED, "More than 3 pages")
    with pytest.raises(StoppedError) as failed:
        run_limited(_break, seconds=30, memory_mb=256)
    assert failed.value.why is Stop.FAILED

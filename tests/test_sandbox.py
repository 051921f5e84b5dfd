"""Work run under a time and memory limit, in a child process (`run_limited`, for web workers)
or in this one (`run_here`, for the job consumer's long-lived workers): it comes back, or it
is stopped with a reason and the caller goes on."""

from __future__ import annotations

import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from portfolio.core.sandbox import Stop, StoppedError, run_here, run_limited

RUNNERS = pytest.mark.parametrize("run", [run_limited, run_here], ids=["child", "here"])
Runner = Callable[..., Any]


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _grow(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _refuse() -> None:
    raise StoppedError(Stop.REFUSED, "More than 3 pages")


def _break() -> None:
    raise ValueError("a bug")


@RUNNERS
def test_a_limited_run_returns_what_the_function_returned(run: Runner) -> None:
    assert run(_sleep, 0, seconds=30, memory_mb=256) == "woke"


@RUNNERS
def test_a_run_that_takes_too_long_is_stopped_and_the_caller_goes_on(run: Runner) -> None:
    started = time.perf_counter()
    with pytest.raises(StoppedError) as stopped:
        run(_sleep, 30, seconds=0.5, memory_mb=256)
    assert stopped.value.why is Stop.TOO_LONG
    assert stopped.value.message == "It took too long"
    assert time.perf_counter() - started < 10


@RUNNERS
def test_a_run_that_grows_too_large_is_stopped(run: Runner) -> None:
    with pytest.raises(StoppedError) as stopped:
        run(_grow, 2048, seconds=60, memory_mb=64)
    assert stopped.value.why is Stop.TOO_LARGE
    assert run(_grow, 16, seconds=60, memory_mb=256) == 16 * 1024 * 1024


@RUNNERS
def test_a_refusal_and_a_failure_in_the_child_come_back_as_messages(run: Runner) -> None:
    with pytest.raises(StoppedError) as refused:
        run(_refuse, seconds=30, memory_mb=256)
    assert (refused.value.why, refused.value.message) == (Stop.REFUSED, "More than 3 pages")
    with pytest.raises(StoppedError) as failed:
        run(_break, seconds=30, memory_mb=256)
    assert failed.value.why is Stop.FAILED


def _pid() -> int:
    return os.getpid()


def _swallow_everything(seconds: float) -> str:
    """Work that catches every Exception it meets, as WeasyPrint does around images."""
    try:
        time.sleep(seconds)
    except Exception:
        return "carried on"
    return "woke"


def test_work_here_runs_in_this_process_and_leaves_no_limit_behind() -> None:
    before_limit = resource.getrlimit(resource.RLIMIT_AS)
    before_handler = signal.getsignal(signal.SIGALRM)
    assert run_here(_pid, seconds=5, memory_mb=64) == os.getpid()
    with pytest.raises(StoppedError):
        run_here(_sleep, 5, seconds=0.2, memory_mb=64)
    with pytest.raises(StoppedError):
        run_here(_grow, 2048, seconds=60, memory_mb=64)
    assert resource.getrlimit(resource.RLIMIT_AS) == before_limit
    assert signal.getsignal(signal.SIGALRM) is before_handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    # A large allocation after the limits were lifted succeeds.
    assert len(bytearray(256 * 1024 * 1024)) == 256 * 1024 * 1024


def test_work_here_is_stopped_even_when_it_catches_every_exception() -> None:
    with pytest.raises(StoppedError) as stopped:
        run_here(_swallow_everything, 30, seconds=0.3, memory_mb=64)
    assert stopped.value.why is Stop.TOO_LONG


def test_work_here_from_a_thread_runs_in_a_limited_child_instead() -> None:
    """Only the main thread takes signals: a web server's thread gets a child process."""
    found: list[object] = []

    def in_thread() -> None:
        found.append(run_here(_pid, seconds=30, memory_mb=256))
        try:
            run_here(_sleep, 30, seconds=0.5, memory_mb=256)
        except StoppedError as error:
            found.append(error.why)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(timeout=60)
    assert found[0] != os.getpid()
    assert found[1] is Stop.TOO_LONG

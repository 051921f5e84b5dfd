"""Running work that may not finish where it can be stopped: a forked child process with a
time and memory limit.

Some work cannot be interrupted from inside: WeasyPrint lays a document out in the calling
thread, and a few kilobytes of hostile PDF can take pypdf minutes or all the memory it can
get. Such work runs here in a forked child: its address space is capped with
`resource.setrlimit` (what it already shares with the parent plus `memory_mb`), and the
parent waits at most `seconds` for the result before killing it. Either way the caller gets
`StoppedError` saying why, and the web worker carries on.

`run_limited` takes any plain function of plain data, so a long-lived worker process can call
the same function directly under limits of its own: `run_here`, which the job consumer's
workers use so that what one render loads (fonts, stylesheets, templates) serves the next.
"""

from __future__ import annotations

import enum
import gc
import logging
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Stop(enum.Enum):
    TOO_LONG = "too_long"  # stopped after `seconds`
    TOO_LARGE = "too_large"  # ran out of its memory (or refused to grow further)
    REFUSED = "refused"  # the function itself said no, with a message for the person
    FAILED = "failed"  # anything else: logged


class StoppedError(Exception):
    """Work that was stopped, or refused to go on, with a message for the person."""

    def __init__(self, why: Stop, message: str) -> None:
        super().__init__(message)
        self.why = why
        self.message = message


def run_limited(function: Callable[..., T], *args: Any, seconds: float, memory_mb: int) -> T:
    """`function(*args)` in a child process, stopped after `seconds` or beyond `memory_mb`
    more memory than the parent holds. Its result must be picklable (bytes and str are); it
    may raise `StoppedError` to refuse with a message of its own."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, args, memory_mb, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise StoppedError(Stop.TOO_LONG, "It took too long")
        ok, result = receiver.recv()
    except EOFError as error:  # the child died: killed for its memory, most likely
        raise StoppedError(Stop.TOO_LARGE, "It needed too much memory") from error
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not ok:
        why, message = result
        raise StoppedError(Stop(why), message)
    return result  # type: ignore[no-any-return]


def _child(
    function: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, sender: Connection
) -> None:
    # Everything inherited from the parent stays out of the collector's walks: touching it
    # would copy the parent's pages into the child for nothing.
    gc.freeze()
    try:
        _limit_memory(memory_mb)
        sender.send((True, function(*args)))
    except StoppedError as error:
        sender.send((False, (error.why.value, error.message)))
    except MemoryError:
        sender.send((False, (Stop.TOO_LARGE.value, "It needed too much memory")))
    except Exception:
        log.exception("work in a limited child process failed")
        sender.send((False, (Stop.FAILED.value, "It failed")))
    finally:
        sender.close()


def _limit_memory(extra_mb: int) -> None:
    """Cap the address space at what the process has now (shared with the parent, which
    forking copies only when written) plus `extra_mb`."""
    try:
        with open("/proc/self/statm") as handle:  # Linux: the first field is the size in pages
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # not Linux: the time limit still applies
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _OutOfTime(BaseException):
    """Raised by the timer inside the work: a BaseException, so that no `except Exception` in
    the work (WeasyPrint has several, around images and fonts) can swallow it."""


def run_here(function: Callable[..., T], *args: Any, seconds: float, memory_mb: int) -> T:
    """`function(*args)` in this process, under the same limits as `run_limited`: a timer
    (SIGALRM) stops it after `seconds`, and the address space may grow by `memory_mb` while
    it runs. Both limits are lifted again afterwards, so a long-lived worker process keeps
    its caches warm from one call to the next.

    Signals reach only the main thread: anywhere else (a web server's thread) this runs in a
    limited child process, as `run_limited` does. A timer cannot interrupt C code that never
    returns to Python: WeasyPrint lays out in Python, so a render stops within moments."""
    if threading.current_thread() is not threading.main_thread():
        return run_limited(function, *args, seconds=seconds, memory_mb=memory_mb)

    def out_of_time(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    previous = signal.signal(signal.SIGALRM, out_of_time)
    try:
        _limit_memory(memory_mb)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime as error:
        raise StoppedError(Stop.TOO_LONG, "It took too long") from error
    except MemoryError as error:
        raise StoppedError(Stop.TOO_LARGE, "It needed too much memory") from error
    except StoppedError:
        raise
    except Exception as error:
        log.exception("work under limits in this process failed")
        raise StoppedError(Stop.FAILED, "It failed") from error
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)
        gc.collect()  # what a stopped render left behind, before the next one starts

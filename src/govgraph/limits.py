"""Time limits that really stop the work: `query --timeout` on the local store, `validate --time-limit`.

pyoxigraph evaluates a query inside one Rust call that Python cannot interrupt, and pySHACL has no deadline
either; a thread can be abandoned but not stopped. So the work runs in a forked child process that shares
the parent's memory copy-on-write (the loaded store or graph is not copied or re-parsed) and sends its result
back through a pipe; at the deadline the parent kills the child. Where ``fork`` does not exist (Windows) the
work runs in-process without a limit.
"""

from __future__ import annotations

import copyreg
import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from govgraph.errors import InputError, InputErrors

T = TypeVar("T")


# Exceptions come back from the child pickled. Exception pickling rebuilds an exception from its args, which
# does not fit these two (a frozen dataclass, and a list of errors): say how to rebuild them.
def _rebuild_input_error(e: InputError) -> tuple:
    return InputError, (e.file, e.line, e.message, e.field, e.column)


def _rebuild_input_errors(e: InputErrors) -> tuple:
    return InputErrors, (list(e.errors),)


copyreg.pickle(InputError, _rebuild_input_error)
copyreg.pickle(InputErrors, _rebuild_input_errors)


class TimeLimitExceeded(TimeoutError):
    """The work did not finish within its time limit and was stopped."""

    def __init__(self, what: str, seconds: float):
        self.what, self.seconds = what, seconds
        super().__init__(f"{what} timed out after {seconds:g} s and was stopped")

    def __reduce__(self):
        return type(self), (self.what, self.seconds)


def can_limit_time() -> bool:
    """True where run_with_time_limit can stop work (it needs the ``fork`` start method)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _child(connection, function: Callable[[], Any]) -> None:
    try:
        outcome = ("ok", function())
    except BaseException as exc:  # everything goes back to the parent, which raises it there
        outcome = ("error", exc)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # an exception that cannot be rebuilt must not fail in the parent
    except Exception:
        detail = "".join(traceback.format_exception_only(outcome[1])) if outcome[0] == "error" else "its result"
        payload = pickle.dumps(("error", RuntimeError(f"could not send back {detail.strip()}")))
    connection.send_bytes(payload)
    connection.close()


def run_with_time_limit(function: Callable[[], T], seconds: float | None, what: str = "the work") -> T:
    """``function()``, stopped after ``seconds`` (None: no limit) with TimeLimitExceeded naming ``what``.

    The function runs in a forked child; its return value and any exception it raises must be picklable and
    come back to the caller unchanged. Side effects in the child (caches filled, files opened) stay there.
    """
    if seconds is None or not can_limit_time():
        return function()
    if seconds <= 0:
        raise ValueError(f"a time limit must be positive, not {seconds:g}")
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function), daemon=True)
    child.start()
    sender.close()
    try:
        # Read as soon as the child sends: a large result would otherwise fill the pipe and block the child.
        if not receiver.poll(seconds):
            raise TimeLimitExceeded(what, seconds)
        try:
            status, value = pickle.loads(receiver.recv_bytes())
        except EOFError:  # the child died without a word: killed by the kernel (out of memory) or a crash
            child.join()
            raise RuntimeError(f"{what} stopped unexpectedly (exit code {child.exitcode})") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "error":
        raise value
    return value

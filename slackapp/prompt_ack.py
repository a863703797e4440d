"""Answering Slack the moment a listener acknowledges, instead of on Bolt's next 10 ms poll.

Bolt runs a listener on its executor and then polls `ack.response` every 10 ms until the listener has
called `ack()`, so every answer waits for the next poll: 10 ms at best, 20-30 ms on a busy machine where
the poll itself waits for a CPU. Here each request gets an `ack` that signals when it is called, and the
executor's `submit` returns only once the listener has acknowledged (or ended, or the deadline passed),
so Bolt's first poll finds the answer ready. Nothing else changes: the listener still runs on the pool,
its work after the ack goes on there, and Bolt's own deadline and warnings still apply.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.context.ack import Ack

from slackapp.request_ids import ContextExecutor

# Bolt gives up on a listener's ack after 3 s (`Listener.ack_timeout`); waiting a little longer lets
# Bolt's own loop decide and log what happened, as it does without this module.
WAIT_AT_MOST_SECONDS = 3.1

_PENDING: contextvars.ContextVar[SignallingAck | None] = contextvars.ContextVar(
    "kindly_pending_ack", default=None
)


class SignallingAck(Ack):
    """Bolt's `ack()`, which also says when it has been called."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.called = threading.Event()
        self._deadline = time.monotonic() + WAIT_AT_MOST_SECONDS

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.called.set()

    def wait(self, future: Future[Any]) -> None:
        """Until `ack()` was called or the listener ended (one that never acks must not hold us)."""
        if self.called.is_set():
            return
        future.add_done_callback(lambda _: self.called.set())
        self.called.wait(max(0.0, self._deadline - time.monotonic()))


def signalling_ack(req: BoltRequest, context: BoltContext, next: Callable[[], Any]) -> Any:
    """Bolt middleware: this request's `ack` signals, and the request's thread knows it."""
    ack = SignallingAck()
    context["ack"] = ack
    _PENDING.set(ack)
    return next()


class PromptAckExecutor(ContextExecutor):
    """The listener pool: a submit from a request's thread returns once that request is acknowledged."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        ack = _PENDING.get()
        if ack is not None:
            ack.wait(future)
        return future

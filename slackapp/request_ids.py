"""A request id per Slack request, carried by log lines, including those of listeners after the ack."""

from __future__ import annotations

import contextvars
import functools
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("kindly_request_id", default=None)
# A proxy or load balancer in front may send its own id; only a short, plain token is taken over.
_FORWARDED_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

P = ParamSpec("P")
T = TypeVar("T")


def request_id_from(headers: Mapping[str, str]) -> str:
    """The caller's X-Request-Id when it is a plain token, else a fresh uuid4.

    Slack sends no request id of its own (only a timestamp, a signature and, for events, retry counts).
    """
    forwarded = headers.get("HTTP_X_REQUEST_ID", "")
    return forwarded if _FORWARDED_ID.fullmatch(forwarded) else uuid.uuid4().hex


class ContextExecutor(ThreadPoolExecutor):
    """Runs each task in a copy of the submitting thread's context, so Bolt's after-ack listeners
    (submitted from the request thread) log with that request's id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._running = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()
        with self._idle:
            self._running += 1
        future = super().submit(functools.partial(context.run, fn, *args, **kwargs))
        future.add_done_callback(self._finished)
        return future

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every task submitted so far has finished (tests: a listener's work after its ack)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout)

    def _finished(self, _future: Future[Any]) -> None:
        with self._idle:
            self._running -= 1
            if self._running == 0:
                self._idle.notify_all()

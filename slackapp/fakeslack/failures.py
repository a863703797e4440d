"""Planned failures: the next N calls of a method answer an error."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http import HTTPStatus

from slackapp.fakeslack.answers import Answer

FOREVER = -1


@dataclass
class _Plan:
    error: str
    status: int
    retry_after: int | None
    html: bool
    remaining: int  # FOREVER, or how many more calls fail


class FailurePlan:
    """Thread-safe queue of planned failures per method; the oldest plan is used first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[str, list[_Plan]] = {}

    def add(
        self,
        method: str,
        *,
        error: str,
        status: int,
        retry_after: int | None,
        times: int,
        html: bool,
    ) -> None:
        if times == 0 or times < FOREVER:
            raise ValueError("times must be a positive count or -1 (forever)")
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1  # what Slack (and slack_sdk's own mock) sends by default
        with self._lock:
            self._plans.setdefault(method, []).append(_Plan(error, status, retry_after, html, times))

    def take(self, method: str) -> Answer | None:
        """The planned failure for this call of `method`, consuming one use; None when none is planned."""
        with self._lock:
            plans = self._plans.get(method)
            if not plans:
                return None
            plan = plans[0]
            if plan.remaining != FOREVER:
                plan.remaining -= 1
                if plan.remaining == 0:
                    plans.pop(0)
            return _answer(plan)

    def clear(self, method: str | None = None) -> None:
        with self._lock:
            if method is None:
                self._plans.clear()
            else:
                self._plans.pop(method, None)


def _answer(plan: _Plan) -> Answer:
    headers = () if plan.retry_after is None else (("Retry-After", str(plan.retry_after)),)
    if plan.status >= 500 and plan.html:
        return Answer.html(plan.status, HTTPStatus(plan.status).phrase, error=plan.error)
    return Answer.slack_error(plan.error, status=plan.status, headers=headers)

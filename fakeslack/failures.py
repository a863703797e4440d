"""Planned failures: the next N calls of a method (of one workspace, or any) answer an error, before
acting or after acting (Slack posted the message, then its answer broke)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http import HTTPStatus

from fakeslack.answers import DROPPED, Answer

FOREVER = -1


@dataclass
class _Plan:
    error: str
    status: int
    retry_after: int | None
    html: bool
    remaining: int  # FOREVER, or how many more calls fail
    team: str | None = None  # only calls of this workspace (by the token's install), or any
    after_delivery: bool = False


@dataclass(frozen=True)
class Planned:
    answer: Answer
    after_delivery: bool


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
        team: str | None = None,
        after_delivery: bool = False,
    ) -> None:
        if times == 0 or times < FOREVER:
            raise ValueError("times must be a positive count or -1 (forever)")
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1  # what Slack (and slack_sdk's own mock) sends by default
        with self._lock:
            plan = _Plan(error, status, retry_after, html, times, team=team, after_delivery=after_delivery)
            self._plans.setdefault(method, []).append(plan)

    def take(self, method: str) -> Answer | None:
        """The planned failure for this call of `method`, consuming one use; None when none is planned."""
        planned = self.take_for(method, team=None)
        return planned.answer if planned is not None else None

    def take_for(self, method: str, *, team: str | None) -> Planned | None:
        """The oldest failure planned for a call of `method` by `team`, consuming one use."""
        with self._lock:
            plans = self._plans.get(method) or []
            plan = next((p for p in plans if p.team is None or p.team == team), None)
            if plan is None:
                return None
            if plan.remaining != FOREVER:
                plan.remaining -= 1
                if plan.remaining == 0:
                    plans.remove(plan)
            return Planned(_answer(plan), plan.after_delivery)

    def clear(self, method: str | None = None) -> None:
        with self._lock:
            if method is None:
                self._plans.clear()
            else:
                self._plans.pop(method, None)


def _answer(plan: _Plan) -> Answer:
    if plan.status == DROPPED:
        return Answer.dropped(error=plan.error)
    headers = () if plan.retry_after is None else (("Retry-After", str(plan.retry_after)),)
    if plan.status >= 500 and plan.html:
        return Answer.html(plan.status, HTTPStatus(plan.status).phrase, error=plan.error)
    return Answer.slack_error(plan.error, status=plan.status, headers=headers)

"""One lane per workspace, served fairly by a bounded pool of senders.

Each workspace's messages wait in its own queue and leave under its own pace (the Pacer's bucket), so a
workspace that answers slowly or holds a long Retry-After delays only itself. A sender takes the next
job from `take()`: first the first message of a workspace that has had none yet, then preparation tasks
(they fill the lanes), then a message from the next lane in turn whose bucket has a token and that has
fewer than `per_lane` messages on the way. So every workspace's first reminder goes as soon as it is
prepared, before anyone's second.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from slackapp.scheduling.pacing import Pacer

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Client = TypeVar("Client")
Job = Callable[[], None]

IDLE_SECONDS = 0.05  # the longest a sender waits before looking again (new work wakes it sooner)


@dataclass
class _Lane(Generic[Item, Client]):
    client: Client
    queue: deque[Item] = field(default_factory=deque)
    in_flight: int = 0
    # When the pacer said this lane's next token comes: before then, senders pass it by without asking
    # (with hundreds of lanes waiting on their pace, asking each on every take cost more than sending).
    not_before: float = 0.0


class Lanes(Generic[Item, Client]):
    """Thread-safe: the feeder adds tasks, tasks add lanes' messages, senders take jobs until done."""

    def __init__(
        self,
        pacer: Pacer,
        *,
        send: Callable[[str, Client, Item], None],
        per_lane: int,
        sleep: Callable[[float], None],
    ) -> None:
        self._pacer = pacer
        self._send = send
        self._per_lane = per_lane
        self._sleep = sleep
        self._changed = threading.Condition()
        self._tasks: deque[tuple[Job, int]] = deque()
        self._lanes: dict[str, _Lane[Item, Client]] = {}
        self._turns: deque[str] = deque()  # workspaces with messages waiting, in the order they are served
        self._fresh: deque[str] = deque()  # workspaces whose first message has not gone yet
        self._running = 0
        self._backlog = 0  # claimed deliveries not yet taken to be sent (in tasks or queued)
        self._feeding = True
        self._pacing = False  # a sender is sleeping until a lane's pace allows its next message

    # -- the feeder and the tasks -------------------------------------------------------------------

    def add_task(self, task: Job, *, size: int) -> None:
        """A task (preparing `size` claimed deliveries) that runs before any message is taken."""
        with self._changed:
            self._tasks.append((task, size))
            self._backlog += size
            self._changed.notify()

    def add(self, team_id: str, client: Client, items: list[Item], *, prepared: int) -> None:
        """Queue a workspace's messages (`prepared` deliveries were checked to find them)."""
        with self._changed:
            self._backlog += len(items) - prepared
            if items:
                if team_id not in self._lanes:
                    self._fresh.append(team_id)
                lane = self._lanes.setdefault(team_id, _Lane(client))
                lane.queue.extend(items)
                if team_id not in self._turns:
                    self._turns.append(team_id)
            self._changed.notify_all()

    def discount(self, count: int) -> None:
        """`count` prepared deliveries need no message (skipped, deferred, released)."""
        with self._changed:
            self._backlog -= count
            self._changed.notify_all()

    def put_back(self, team_id: str, item: Item) -> None:
        """A message that must wait for its workspace's pace again (a short 429) goes first in its lane."""
        with self._changed:
            self._lanes[team_id].queue.appendleft(item)
            self._backlog += 1
            if team_id not in self._turns:
                self._turns.append(team_id)
            self._changed.notify_all()

    def take_all(self, team_id: str) -> list[Item]:
        """Empty one lane (its workspace must wait longer than this tick): what was waiting in it."""
        with self._changed:
            lane = self._lanes.get(team_id)
            if lane is None:
                return []
            items = list(lane.queue)
            lane.queue.clear()
            self._backlog -= len(items)
            return items

    def full(self, limit: int) -> bool:
        """Whether `limit` or more claimed deliveries wait to be sent."""
        with self._changed:
            return self._backlog >= limit

    def wait_for_room(self, limit: int) -> None:
        """Block the feeder while `limit` or more claimed deliveries wait to be sent."""
        with self._changed:
            while self._backlog >= limit and (self._tasks or self._turns or self._running):
                self._changed.wait(IDLE_SECONDS)

    def close(self) -> None:
        """Nothing more will be added: senders stop once every lane is empty."""
        with self._changed:
            self._feeding = False
            self._changed.notify_all()

    def abandon(self) -> list[Item]:
        """Stop: every message still queued, never attempted (tasks not yet run are dropped)."""
        with self._changed:
            self._feeding = False
            self._tasks.clear()
            items = [item for lane in self._lanes.values() for item in lane.queue]
            for lane in self._lanes.values():
                lane.queue.clear()
            self._turns.clear()
            self._fresh.clear()
            self._changed.notify_all()
            return items

    # -- the senders --------------------------------------------------------------------------------

    def serve(self) -> None:
        """One sender: run jobs until there is no more work. A job that fails never ends the sender."""
        while (job := self._take()) is not None:
            try:
                job()
            except Exception as error:
                log.warning("a dispatcher job failed (%s); going on with the others", type(error).__name__)
            finally:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

    def _take(self) -> Job | None:
        while True:
            with self._changed:
                first, _ = self._next_message(self._fresh)
                if first is not None:
                    self._running += 1
                    return first
                if self._tasks:
                    task, _ = self._tasks.popleft()
                    self._running += 1
                    return task
                job, wait = self._next_message(self._turns)
                if job is not None:
                    self._running += 1
                    return job
                if wait is None:
                    if not self._feeding and not self._running:
                        self._changed.notify_all()
                        return None
                    self._changed.wait(IDLE_SECONDS)
                    continue
                if self._pacing:  # one sender waits out the pace; the others wait for news
                    self._changed.wait(IDLE_SECONDS)
                    continue
                self._pacing = True
            # Every lane with messages waits for its pace: sleep (on the dispatcher's clock), then look again.
            try:
                self._sleep(min(wait, IDLE_SECONDS))
            finally:
                with self._changed:
                    self._pacing = False

    def _next_message(self, turns: deque[str]) -> tuple[Job | None, float | None]:
        """The next message, of the workspaces in `turns`, whose lane and pace allow it; else how long
        until one may (None: none waits)."""
        soonest: float | None = None
        now = self._pacer.now()
        for _ in range(len(turns)):
            team_id = turns[0]
            turns.rotate(-1)
            lane = self._lanes[team_id]
            if not lane.queue:
                if turns is self._turns:
                    turns.remove(team_id)
                continue
            if lane.in_flight >= self._per_lane:
                continue
            wait = lane.not_before - now
            if wait <= 0:
                wait = self._pacer.try_take(team_id)
                lane.not_before = now + wait
            if wait > 0:
                soonest = wait if soonest is None else min(soonest, wait)
                continue
            item = lane.queue.popleft()
            if not lane.queue and team_id in self._turns:
                self._turns.remove(team_id)
            if team_id in self._fresh:
                self._fresh.remove(team_id)
            lane.in_flight += 1
            self._backlog -= 1
            return self._job(team_id, lane, item), None
        return None, soonest

    def _job(self, team_id: str, lane: _Lane[Item, Client], item: Item) -> Job:
        def send() -> None:
            try:
                self._send(team_id, lane.client, item)
            finally:
                with self._changed:
                    lane.in_flight -= 1

        return send

"""Slack is answered the moment a listener acknowledges, not on Bolt's next 10 ms poll, and nothing
else about a listener changes: its work after the ack goes on, and one that never acks is still
Bolt's to answer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from slack_bolt import BoltContext

from slackapp.prompt_ack import PromptAckExecutor, SignallingAck, signalling_ack
from tests.conftest import Kindly
from tests.support.journeys import take_kind_moment
from tests.support.slack_requests import Person

ALICE = Person("U0ALICE", "T0001", "alice")


@pytest.fixture
def executor() -> Iterator[PromptAckExecutor]:
    pool = PromptAckExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


def request_ack() -> tuple[BoltContext, SignallingAck]:
    context = BoltContext()
    signalling_ack(None, context, lambda: None)  # type: ignore[arg-type]
    assert isinstance(context.ack, SignallingAck)
    return context, context.ack


def submit_in_a_request(
    executor: PromptAckExecutor, listener: Callable[[SignallingAck], object]
) -> tuple[threading.Thread, SignallingAck]:
    """What Bolt does on a request's thread: the middleware, then submit the listener, then look for
    the ack."""
    made: list[SignallingAck] = []
    ready = threading.Event()

    def request_thread() -> None:
        _, ack = request_ack()
        made.append(ack)
        ready.set()
        executor.submit(listener, ack)

    thread = threading.Thread(target=request_thread)
    thread.start()
    ready.wait()
    return thread, made[0]


def test_the_request_thread_goes_on_as_soon_as_the_listener_acks_while_its_work_goes_on(
    executor: PromptAckExecutor,
) -> None:
    started, acked, finish = threading.Event(), threading.Event(), threading.Event()

    def listener(ack: SignallingAck) -> None:
        started.set()
        acked.wait()
        ack()
        finish.wait()  # the work after the ack

    request, ack = submit_in_a_request(executor, listener)
    try:
        started.wait()
        request.join(timeout=0.05)  # a negative check needs a moment; it never makes the test flaky
        assert request.is_alive(), "the request must wait for the listener's ack"
        acked.set()
        request.join(timeout=10)
        assert not request.is_alive(), "the ack must release the request while the listener still works"
        assert ack.response is not None and ack.response.status == 200
    finally:
        acked.set()
        finish.set()


def test_a_listener_that_ends_without_acking_leaves_the_answer_to_bolt(
    executor: PromptAckExecutor,
) -> None:
    go = threading.Event()
    request, ack = submit_in_a_request(executor, lambda _ack: go.wait())
    go.set()
    request.join(timeout=10)
    assert not request.is_alive() and ack.response is None  # Bolt then answers as it always did


def test_a_submit_outside_a_request_never_waits(executor: PromptAckExecutor) -> None:
    go = threading.Event()
    future = executor.submit(go.wait)  # a job's work: no request, no ack to wait for
    assert not future.done()
    go.set()


def test_kindly_answers_slack_through_the_signalling_ack(kindly: Kindly) -> None:
    app = kindly.runtime.app
    assert any(getattr(m, "func", None) is signalling_ack for m in app._middleware_list)
    assert isinstance(kindly.runtime.listener_executor, PromptAckExecutor)
    assert take_kind_moment(kindly, who=ALICE)["type"] == "modal"

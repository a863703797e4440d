"""The HTTP servers themselves: stopping the test server, slow clients, hostile bodies (issue 14)."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable

import pytest

from slackapp.server import BackgroundServer
from slackapp.web import MAX_BODY_BYTES
from tests.conftest import Kindly
from tests.support.slack_requests import Reply


def hello(environ: object, start_response: object) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])  # type: ignore[operator]
    return [b"hello"]


def test_stopping_the_background_server_twice_or_at_once_from_many_threads_is_quiet() -> None:
    server = BackgroundServer(hello).start()
    with urllib.request.urlopen(f"{server.base_url}/", timeout=10) as response:  # noqa: S310
        assert response.read() == b"hello"
    errors: list[BaseException] = []

    def stop() -> None:
        try:
            server.stop()
        except BaseException as error:  # any error is the finding
            errors.append(error)

    stoppers = [threading.Thread(target=stop) for _ in range(4)]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join(20)
    stop()

    assert errors == []
    try:
        urllib.request.urlopen(f"{server.base_url}/", timeout=5)  # noqa: S310
    except OSError:
        pass
    else:
        raise AssertionError("the server still answers after stop()")


def test_a_server_never_started_can_be_stopped() -> None:
    server = BackgroundServer(hello)
    server.stop()
    server.stop()


# -- hostile bodies ------------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
DEEP = 100_000
NESTED_BODIES = {
    "form payload": (b"payload=" + b"[" * DEEP, FORM),
    "JSON body": (b"[" * DEEP, "application/json"),
    "JSON object": (b'{"type": "event_callback", "event": ' + b"[" * DEEP + b"}", "application/json"),
}


def answered_without_work(kindly: Kindly, *sends: Callable[[], Reply]) -> list[int]:
    """Send each, then check that Kindly still serves and made no Slack call for any: their statuses."""
    seen = len(kindly.fake.calls())
    replies = [send() for send in sends]
    assert all(b"Traceback" not in reply.body for reply in replies)
    assert kindly.slack.command("help").status == 200, "the server stopped serving"
    kindly.settle()
    assert [call.method for call in kindly.fake.calls()[seen:]] == []
    return [reply.status for reply in replies]


@pytest.mark.parametrize("name", list(NESTED_BODIES))
def test_a_forged_deeply_nested_body_is_refused_as_forged(kindly: Kindly, name: str) -> None:
    body, content_type = NESTED_BODIES[name]
    forged = "v0=" + "0" * 64
    statuses = answered_without_work(
        kindly, lambda: kindly.slack.post_raw(body, content_type=content_type, signature=forged)
    )
    assert statuses == [401]


@pytest.mark.parametrize("name", list(NESTED_BODIES))
def test_a_signed_deeply_nested_body_gets_400(kindly: Kindly, name: str) -> None:
    body, content_type = NESTED_BODIES[name]
    statuses = answered_without_work(kindly, lambda: kindly.slack.post_raw(body, content_type=content_type))
    assert statuses == [400]


def test_bodies_at_and_over_the_size_limit_get_a_4xx(kindly: Kindly) -> None:
    at_limit = b"payload=" + b"[" * (MAX_BODY_BYTES - len("payload="))
    assert len(at_limit) == MAX_BODY_BYTES
    over = at_limit + b"["
    statuses = answered_without_work(
        kindly,
        lambda: kindly.slack.post_raw(at_limit, content_type=FORM),
        lambda: kindly.slack.post_raw(over, content_type=FORM),
    )
    assert statuses == [400, 413]

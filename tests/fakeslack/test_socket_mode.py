"""FakeSlack's Socket Mode endpoint speaks the protocol as Slack documents it, seen by a raw WebSocket."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from fakeslack import FakeSlack
from fakeslack.socket_mode import MAX_CONNECTIONS, NotAcknowledgedError

APP_TOKEN = "xapp-1-A0APP0001-fake-test"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as started:
        yield started


def open_url(fake: FakeSlack, token: str = APP_TOKEN) -> str:
    url: str = WebClient(base_url=fake.api_url).apps_connections_open(app_token=token)["url"]
    return url


def receive(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(socket.recv(timeout=10))
    return message


def send_in_background(fake: FakeSlack, **options: Any) -> tuple[threading.Thread, list[Any]]:
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(fake.socket_mode.send("slash_commands", {"command": "/kindly"}, **options))
        except NotAcknowledgedError as error:
            results.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_apps_connections_open_wants_an_app_level_token(fake: FakeSlack) -> None:
    assert open_url(fake).startswith(f"ws://127.0.0.1:{fake.socket_mode.port}/link/?ticket=")
    for token, error in (("xoxb-1-a-bot-token", "invalid_auth"), ("", "not_authed")):
        with pytest.raises(SlackApiError) as refused:
            WebClient(base_url=fake.api_url).apps_connections_open(app_token=token)
        assert refused.value.response["error"] == error
    fake.revoke_token(APP_TOKEN, error="invalid_auth")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        open_url(fake)


def test_hello_then_an_envelope_whose_ack_payload_comes_back(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as socket:
        hello = receive(socket)
        assert hello["type"] == "hello" and hello["connection_info"] == {"app_id": "A0APP0001"}
        assert hello["num_connections"] == 1
        thread, results = send_in_background(fake)
        envelope = receive(socket)
        assert envelope.keys() == {
            "envelope_id",
            "type",
            "payload",
            "accepts_response_payload",
            "retry_attempt",
            "retry_reason",
        }
        assert (envelope["type"], envelope["accepts_response_payload"]) == ("slash_commands", True)
        assert (envelope["retry_attempt"], envelope["retry_reason"]) == (0, "")
        socket.send(json.dumps({"envelope_id": envelope["envelope_id"], "payload": {"text": "hi"}}))
        thread.join(10)
    assert results[0].payload == {"text": "hi"}


def test_an_unacked_envelope_is_sent_again_with_the_next_retry_attempt(fake: FakeSlack) -> None:
    fake.socket_mode.ack_timeout = 0.2
    with connect(open_url(fake)) as socket:
        receive(socket)  # hello
        thread, results = send_in_background(fake)
        first, second = receive(socket), receive(socket)
        assert first["envelope_id"] == second["envelope_id"]
        assert (second["retry_attempt"], second["retry_reason"]) == (1, "timeout")
        socket.send(json.dumps({"envelope_id": second["envelope_id"]}))
        thread.join(10)
    assert results[0].retry_attempt == 1 and results[0].payload is None


def test_disconnect_warns_then_closes_and_new_envelopes_go_to_another_connection(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as old, connect(open_url(fake)) as new:
        receive(old), receive(new)
        fake.socket_mode.disconnect("refresh_requested", connection=1, close_after=0.1)
        assert receive(old) == {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "applink-fake"},
        }
        thread, _ = send_in_background(fake)
        envelope = receive(new)
        new.send(json.dumps({"envelope_id": envelope["envelope_id"]}))
        thread.join(10)
        with pytest.raises(ConnectionClosed) as closed:
            old.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000


def test_a_drop_sends_no_close_frame(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as socket:
        receive(socket)
        fake.socket_mode.drop()
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
        assert closed.value.rcvd is None  # a FIN, no close frame


def test_pings_are_answered(fake: FakeSlack) -> None:
    with connect(open_url(fake)) as socket:
        receive(socket)
        assert socket.ping(b"still there?").wait(10)


def test_a_ticket_is_single_use_and_an_app_has_at_most_ten_connections(fake: FakeSlack) -> None:
    url = open_url(fake)
    with ExitStack() as open_sockets:
        open_sockets.enter_context(connect(url))
        for _ in range(MAX_CONNECTIONS - 1):
            open_sockets.enter_context(connect(open_url(fake)))
        with connect(url) as reused, pytest.raises(ConnectionClosed):
            reused.recv(timeout=10)
        with connect(open_url(fake)) as eleventh:
            with pytest.raises(ConnectionClosed) as refused:
                eleventh.recv(timeout=10)
            assert refused.value.rcvd is not None and refused.value.rcvd.reason == "too_many_websockets"
        assert len(fake.socket_mode.connection_numbers()) == MAX_CONNECTIONS

"""Socket Mode end to end: Kindly keeps serving through Slack's disconnects, drops, retries and restarts.

The main journeys run over both transports in their own files (parametrised with TRANSPORTS); here are
what only Socket Mode has. Every count is of what a person would notice: reflections kept, Home tabs
published, envelopes Slack had to send again.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from fakeslack import FakeSlack
from fakeslack.socket_mode import CLOSED_METHOD
from slackapp.config import Settings
from slackapp.store.models import Reflection
from tests.conftest import APP_TOKEN, Kindly, Transport, running_kindly
from tests.support.http import get
from tests.support.journeys import take_kind_moment
from tests.support.slack_requests import Person

ALICE = Person("U0ALICE", "T0001", "alice")


@pytest.fixture
def transport() -> Transport:
    return "socket"


def reflections(kindly: Kindly) -> int:
    with kindly.runtime.services.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(Reflection)) or 0


def assert_each_envelope_sent_once(fake: FakeSlack) -> None:
    envelopes = fake.socket_mode.envelopes()
    assert [e["retry_attempt"] for e in envelopes] == [0] * len(envelopes)
    assert len({e["envelope_id"] for e in envelopes}) == len(envelopes)


@pytest.mark.parametrize("reason", ["warning", "refresh_requested"])
def test_after_a_disconnect_kindly_moves_to_a_new_connection_losing_and_doubling_nothing(
    kindly: Kindly, reason: str
) -> None:
    take_kind_moment(kindly, text="before the disconnect")
    (old,) = kindly.fake.socket_mode.connection_numbers()

    kindly.fake.socket_mode.disconnect(reason, connection=old, close_after=60.0)  # type: ignore[arg-type]
    take_kind_moment(kindly, text="after the disconnect")

    assert reflections(kindly) == 2
    assert_each_envelope_sent_once(kindly.fake)
    assert {e["connection"] for e in kindly.fake.socket_mode.envelopes()[-3:]} == {old + 1}
    # Kindly closed the old connection itself once the new one was open, long before Slack would have.
    closed = kindly.fake.wait_for(CLOSED_METHOD, timeout=10.0)
    assert closed[0].params["connection"] == old


def test_after_an_abrupt_drop_kindly_reconnects_and_the_next_envelopes_arrive(kindly: Kindly) -> None:
    take_kind_moment(kindly, text="before the drop")
    dropped = kindly.fake.socket_mode.drop()
    kindly.fake.wait_for(CLOSED_METHOD)

    (now,) = kindly.fake.socket_mode.wait_for_connections(1, timeout=15.0)  # the goal: back within 15 s
    take_kind_moment(kindly, text="after the drop")

    assert reflections(kindly) == 2
    assert_each_envelope_sent_once(kindly.fake)
    assert now > dropped
    assert {e["connection"] for e in kindly.fake.socket_mode.envelopes()[-3:]} == {now}


def test_an_envelope_whose_ack_was_lost_is_sent_again_and_has_one_effect(kindly: Kindly) -> None:
    kindly.fake.socket_mode.ack_timeout = 0.5
    kindly.fake.socket_mode.lose_acks(1)

    kindly.slack.home_opened(who=ALICE)
    kindly.settle()

    attempts = [(e["retry_attempt"], e["retry_reason"]) for e in kindly.fake.socket_mode.envelopes()]
    assert attempts == [(0, ""), (1, "timeout")]
    assert len(kindly.fake.calls("views.publish")) == 1  # the Home tab is published once, not twice


def test_two_processes_serve_one_app_and_a_rolling_restart_loses_nothing(
    kindly: Kindly, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Zero-downtime restart: a second Kindly connects, the first stops while envelopes keep coming."""
    people = [Person(f"U0P{number:03d}", "T0001", f"p{number}") for number in range(24)]
    with contextmanager(running_kindly)(settings, fake_slack, "socket") as replica:
        first, second = fake_slack.socket_mode.wait_for_connections(2)
        halfway = threading.Event()
        failures: list[BaseException] = []

        def send_all() -> None:
            try:
                for number, who in enumerate(people):
                    kindly.slack.home_opened(who=who)
                    if number == len(people) // 3:
                        halfway.set()
            except BaseException as error:
                failures.append(error)
                halfway.set()

        sender = threading.Thread(target=send_all)
        sender.start()
        assert halfway.wait(30)
        assert kindly.socket is not None
        kindly.socket.stop()  # the first process shuts down mid-stream
        sender.join(60)
        replica.settle()
        kindly.settle()

        assert failures == []
        published_for = sorted(c.params["user_id"] for c in fake_slack.calls("views.publish"))
        assert published_for == sorted(
            who.user_id for who in people
        )  # each Home tab once: none lost or doubled
        used = {e["connection"] for e in fake_slack.socket_mode.envelopes()}
        assert used == {first, second}
        assert fake_slack.socket_mode.connection_numbers() == [second]


def test_the_probes_say_whether_the_socket_is_connected(kindly: Kindly) -> None:
    assert get(f"{kindly.base_url}/healthz") == (200, "ok (socket connected)")
    assert get(f"{kindly.base_url}/readyz") == (200, "ready")
    # Socket Mode has no signing secret: the probe port must never take Slack requests.
    assert get(f"{kindly.base_url}/slack/events", data=b'{"type":"event_callback"}')[0] == 404

    kindly.fake.revoke_token(APP_TOKEN, error="invalid_auth")  # it cannot come back
    kindly.fake.socket_mode.drop()
    kindly.fake.wait_for(CLOSED_METHOD)
    refused = kindly.fake.wait_for("apps.connections.open", count=2, timeout=20.0)[-1]
    assert refused.answered_error == "invalid_auth"

    assert get(f"{kindly.base_url}/healthz") == (200, "ok (socket not connected)")
    status, reason = get(f"{kindly.base_url}/readyz")
    assert (status, reason) == (503, "Socket Mode connection to Slack is not open (reconnecting)")

"""Operating Kindly in HTTP mode: /readyz, /metrics and JSON logs with a request id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from fakeslack import FakeSlack
from slackapp.health import DatabaseReadiness
from slackapp.logs import make_handler
from slackapp.metrics import request_kind
from slackapp.store.db import make_engine
from slackapp.web import SlackWSGI
from tests.conftest import Kindly
from tests.support.cli import RunningKindly, clean_env, free_port
from tests.support.http import get
from tests.support.journeys import save_reminder, take_kind_moment
from tests.support.slack_requests import Person
from tests.support.tcp_proxy import TcpProxy

ALICE = Person("U0ALICE", "T0001", "alice")


def metric(kindly: Kindly, name: str, **labels: str) -> float:
    """The current value of one sample on /metrics (0 when it was never counted)."""
    status, body = get(f"{kindly.base_url}/metrics")
    assert status == 200
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


# -- /readyz -------------------------------------------------------------------------------------------


def test_readyz_is_ready_at_the_latest_migration_and_says_why_not_when_behind(kindly: Kindly) -> None:
    assert get(f"{kindly.base_url}/readyz") == (200, "ready")

    with kindly.runtime.engine.begin() as connection:
        connection.execute(text("ALTER TABLE alembic_version RENAME TO alembic_version_away"))
    status, reason = get(f"{kindly.base_url}/readyz")
    assert status == 503
    assert "migration none" in reason and "kindly migrate" in reason
    assert get(f"{kindly.base_url}/healthz") == (200, "ok")  # alive, only not ready

    with kindly.runtime.engine.begin() as connection:
        connection.execute(text("ALTER TABLE alembic_version_away RENAME TO alembic_version"))
    assert get(f"{kindly.base_url}/readyz") == (200, "ready")


@pytest.fixture
def database_behind_a_proxy(database_url: str) -> Iterator[tuple[TcpProxy, str]]:
    """The test's PostgreSQL database, reached through a proxy that can be cut and restored."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a database server that goes down: PostgreSQL only")
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_readyz_fails_while_the_database_is_down_and_recovers_after(
    kindly: Kindly, database_behind_a_proxy: tuple[TcpProxy, str]
) -> None:
    proxy, url = database_behind_a_proxy
    # A second entry point onto the same database, reached through a connection that can be cut.
    engine = make_engine(url)
    try:
        wsgi = SlackWSGI(kindly.runtime.app, readiness=DatabaseReadiness(engine))
        wsgi_get = _wsgi_getter(wsgi)
        assert wsgi_get("/readyz") == (200, "ready")

        proxy.cut()
        status, reason = wsgi_get("/readyz")
        assert status == 503
        assert reason.startswith("database unreachable")
        assert "postgres" not in reason  # no URL, user or password in the answer

        proxy.start()
        assert wsgi_get("/readyz") == (200, "ready")
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("ping_after_idle", [0.0, 3600.0], ids=["idle-pinged", "never-pinged"])
def test_a_pooled_connection_that_died_while_idle_is_replaced_before_use(
    database_behind_a_proxy: tuple[TcpProxy, str], ping_after_idle: float
) -> None:
    proxy, url = database_behind_a_proxy
    engine = make_engine(url, ping_after_idle=ping_after_idle)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
        proxy.cut()  # the server restarts while the connection waits in the pool
        proxy.start()
        if ping_after_idle:
            with pytest.raises(OperationalError), engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")  # what a request would meet without the ping
        else:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()


def _wsgi_getter(wsgi: SlackWSGI) -> Callable[[str], tuple[int, str]]:
    def wsgi_get(path: str) -> tuple[int, str]:
        answered: list[str] = []
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.input": io.BytesIO()}
        body = b"".join(wsgi(environ, lambda status, _headers: answered.append(status)))  # type: ignore[arg-type]
        return int(answered[0].split()[0]), body.decode("utf-8")

    return wsgi_get


# -- /metrics ------------------------------------------------------------------------------------------


def test_metrics_count_a_slash_command_and_its_ack_latency(kindly: Kindly) -> None:
    ok_commands = metric(kindly, "kindly_slack_requests_total", kind="command", outcome="2xx")
    acks = metric(kindly, "kindly_slack_ack_seconds_count", kind="command")

    assert kindly.slack.command("help").status == 200

    assert metric(kindly, "kindly_slack_requests_total", kind="command", outcome="2xx") == ok_commands + 1
    assert metric(kindly, "kindly_slack_ack_seconds_count", kind="command") == acks + 1
    # A forged body is refused before it is parsed, so what it claims to be is not known: "other".
    forged = metric(kindly, "kindly_slack_requests_total", kind="other", outcome="4xx")
    assert kindly.slack.command("help", signature="v0=forged").status == 401
    assert metric(kindly, "kindly_slack_requests_total", kind="other", outcome="4xx") == forged + 1


def test_metrics_count_a_delivery_after_a_tick(kindly: Kindly) -> None:
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    kindly.clock.set(datetime(2027, 1, 3, 12, tzinfo=UTC))
    save_reminder(kindly, who=ALICE)
    sent = metric(kindly, "kindly_deliveries_total", status="sent")
    planned = metric(kindly, "kindly_deliveries_planned_total")

    assert kindly.dispatch(datetime(2027, 1, 4, 8, tzinfo=UTC)).sent == 1

    assert metric(kindly, "kindly_deliveries_total", status="sent") == sent + 1
    assert metric(kindly, "kindly_deliveries_planned_total") == planned + 1


def test_metrics_count_slack_api_errors_by_method_and_code(kindly: Kindly) -> None:
    before = metric(kindly, "kindly_slack_api_errors_total", method="views.open", error="expired_trigger_id")
    kindly.fake.fail("views.open", "expired_trigger_id")

    assert kindly.slack.command("").status == 200
    kindly.fake.wait_for("response_url")  # the kind apology, sent after the error was handled

    after = metric(kindly, "kindly_slack_api_errors_total", method="views.open", error="expired_trigger_id")
    assert after == before + 1


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"command": "/kindly", "text": ""}, "command"),
        ({"type": "block_actions", "actions": []}, "action"),
        ({"type": "view_submission", "view": {}}, "view_submission"),
        ({"type": "shortcut", "callback_id": "x"}, "shortcut"),
        ({"type": "message_action", "callback_id": "x"}, "shortcut"),
        ({"type": "event_callback", "event": {}}, "event"),
        ({"type": "url_verification", "challenge": "c"}, "other"),
        ({}, "other"),
    ],
)
def test_requests_are_counted_by_kind(body: dict[str, object], kind: str) -> None:
    assert request_kind(body) == kind


# -- logs ----------------------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged while the test runs, formatted as KINDLY_LOG_FORMAT=json formats it."""
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_json_log_lines_carry_the_request_id_also_from_listeners_after_the_ack(
    kindly: Kindly, json_log: io.StringIO
) -> None:
    kindly.fake.fail("views.open", "expired_trigger_id")
    private = "my-private-words-about-a-hard-day"

    reply = kindly.slack.command("", headers={"X-Request-Id": "lb-request-0001"})
    assert reply.status == 200
    kindly.fake.wait_for("response_url")  # the apology, after the failure was logged
    take_kind_moment(kindly, text=private)
    kindly.settle()

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    failure = [line for line in lines if "Slack API call failed" in line["message"]]
    assert len(failure) == 1
    assert failure[0]["request_id"] == "lb-request-0001"  # logged on a listener thread after the ack
    assert failure[0]["level"] == "error"
    assert reply.headers.get("X-Request-Id") == "lb-request-0001"
    assert private not in json_log.getvalue()


def test_each_request_gets_a_fresh_request_id_unless_a_plain_one_is_forwarded(
    kindly: Kindly, json_log: io.StringIO
) -> None:
    first = kindly.slack.command("help").headers["X-Request-Id"]
    second = kindly.slack.command("help").headers["X-Request-Id"]
    odd = kindly.slack.command("help", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]

    assert len({first, second, odd}) == 3
    assert all(len(value) == 32 and int(value, 16) >= 0 for value in (first, second, odd))


def test_a_line_logged_outside_any_request_has_no_request_id(json_log: io.StringIO) -> None:
    logging.getLogger("slackapp.test").info("a quiet line")

    (line,) = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert line["message"] == "a quiet line"
    assert "request_id" not in line


def test_run_http_with_json_logs_writes_only_json_lines_and_stops_cleanly(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        port = free_port()
        env = clean_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-1-json-logs",
            SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",
            SLACK_API_URL=fake.api_url,
            KINDLY_LOG_FORMAT="json",
        )
        args = ("run", "--http", "--no-scheduler", "--host", "127.0.0.1", "--port", str(port))
        with RunningKindly(*args, cwd=tmp_path, env=env) as kindly:
            kindly.wait_for_line("listening")
            assert get(f"http://127.0.0.1:{port}/readyz") == (200, "ready")
            log = kindly.stop()

    assert kindly.process.returncode == 0, log
    entries = [json.loads(line) for line in log.splitlines()]  # every line, gunicorn's included
    assert any(entry["logger"].startswith("gunicorn") for entry in entries)
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)

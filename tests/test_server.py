"""The HTTP servers themselves: stopping the test server, slow clients, hostile bodies (issue 14)."""

from __future__ import annotations

import contextlib
import http.client
import shutil
import socket
import subprocess
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fakeslack import FakeSlack
from fakeslack.to_app import signed_headers
from slackapp.buffering_worker import MAX_HEAD_BYTES, Arrival, arrival_of
from slackapp.server import DEFAULT_THREADS, BackgroundServer
from slackapp.web import MAX_BODY_BYTES
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, Kindly
from tests.support.adversarial import form_body
from tests.support.cli import RunningKindly, clean_env, free_port
from tests.support.slack_requests import Person, Reply, SlackSender, command_fields


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


# -- slow clients --------------------------------------------------------------------------------------

SLOW_CONNECTIONS = DEFAULT_THREADS + 8  # more than `kindly run --http` has threads


STALLED_POST = b"POST /slack/events HTTP/1.1\r\nHost: kindly\r\nContent-Length: 5000\r\n\r\npayload=%7B"
STALLS = {
    "within the headers": b"POST /slack/events HTTP/1.1\r\nHost: kindly\r\nContent-Type: text/plain\r\n",
    "within the body": STALLED_POST,
    # A whole request and, behind it on the same connection, the start of the next one.
    "behind a whole request": b"GET /healthz HTTP/1.1\r\nHost: kindly\r\n\r\n" + STALLED_POST,
}


@contextlib.contextmanager
def slow_connections(port: int, count: int, stall: bytes) -> Iterator[list[socket.socket]]:
    """Connections that start a request and stall: they send `stall` and nothing more."""
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            opened.append(connection)
            connection.sendall(stall)
        yield opened
    finally:
        for connection in opened:
            connection.close()


@pytest.fixture
def gunicorn_kindly(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[tuple[RunningKindly, int]]:
    """`kindly run --http` as an operator starts it (gunicorn), on SQLite."""
    port = free_port()
    env = clean_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
    )
    args = ("run", "--http", "--no-scheduler", "--port", str(port), "--host", "127.0.0.1")
    with RunningKindly(*args, cwd=tmp_path, env=env) as kindly:
        kindly.wait_for_line("listening")
        yield kindly, port


@pytest.mark.parametrize("stall", list(STALLS))
def test_slow_clients_cannot_starve_the_server(
    gunicorn_kindly: tuple[RunningKindly, int], fake_slack: FakeSlack, stall: str
) -> None:
    kindly, port = gunicorn_kindly
    sender = SlackSender(
        events_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SIGNING_SECRET, fake=fake_slack
    )
    with slow_connections(port, SLOW_CONNECTIONS, STALLS[stall]):
        reply = sender.command("")  # its 10 s timeout is only a guard against hanging
        assert reply.status == 200
        opened = fake_slack.wait_for("views.open", timeout=10)
        assert opened[0].params["view"]["callback_id"] == "kind_moment_arrival"
    assert "Traceback" not in kindly.stop()


def signed_command(sender: SlackSender, fake: FakeSlack, text: str) -> tuple[bytes, dict[str, str]]:
    """A /kindly command's body and headers, signed as Slack signs them."""
    body = form_body(command_fields(text, Person(), response_url=fake.new_response_url(), trigger_id="1.2.3"))
    headers = {"Content-Type": FORM, **signed_headers(SIGNING_SECRET, body)}
    return body, headers


def test_a_request_that_arrives_in_pieces_and_the_next_on_the_same_connection_are_answered(
    gunicorn_kindly: tuple[RunningKindly, int], fake_slack: FakeSlack
) -> None:
    _, port = gunicorn_kindly
    sender = SlackSender(events_url="", signing_secret=SIGNING_SECRET, fake=fake_slack)
    body, headers = signed_command(sender, fake_slack, "help")
    request = (
        b"POST /slack/events HTTP/1.1\r\nHost: kindly\r\n"
        + b"".join(f"{name}: {value}\r\n".encode() for name, value in headers.items())
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start in range(0, len(request), 7):
            connection.sendall(request[start : start + 7])
        first = read_response(connection)
        connection.sendall(request)
        second = read_response(connection)
    assert first.startswith(b"HTTP/1.1 200") and b"/kindly journal" in first
    assert second.startswith(b"HTTP/1.1 200") and b"/kindly journal" in second


def read_response(connection: socket.socket) -> bytes:
    """One whole HTTP response with a Content-Length (the timeout guards against hanging)."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += connection.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(
        next(
            line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def test_gunicorn_refuses_bodies_over_the_limit_and_without_a_length_before_the_app(
    gunicorn_kindly: tuple[RunningKindly, int], fake_slack: FakeSlack
) -> None:
    _, port = gunicorn_kindly
    events_url = f"http://127.0.0.1:{port}/slack/events"
    sender = SlackSender(events_url=events_url, signing_secret=SIGNING_SECRET, fake=fake_slack)
    seen = len(fake_slack.calls())
    at_limit = b"payload=" + b"[" * (MAX_BODY_BYTES - len("payload="))
    assert sender.post_raw(at_limit, content_type=FORM).status == 400
    assert sender.post_raw(at_limit + b"[", content_type=FORM).status == 413
    chunked = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    chunked.request(
        "POST", "/slack/events", body=iter([b"payload=", b"%7B%7D"]), headers={"Content-Type": FORM}
    )
    assert chunked.getresponse().status == 411
    chunked.close()
    assert fake_slack.calls()[seen:] == []


# -- the reverse proxy in deploy/ ----------------------------------------------------------------------

NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "kindly.conf"


def nginx_settings() -> dict[str, str]:
    """Each directive of deploy/nginx/kindly.conf with its value where it first appears (server-wide)."""
    settings: dict[str, str] = {}
    for line in NGINX_CONF.read_text().splitlines():
        words = line.split("#")[0].strip().rstrip(";").split(None, 1)
        if len(words) == 2:
            settings.setdefault(words[0], words[1])
    return settings


def test_the_nginx_configuration_buffers_requests_and_matches_kindlys_body_limit() -> None:
    settings = nginx_settings()
    assert settings["proxy_request_buffering"] == "on"
    assert int(settings["client_max_body_size"]) == MAX_BODY_BYTES
    assert int(settings["client_body_buffer_size"]) >= MAX_BODY_BYTES  # bodies never go to disk
    assert settings["client_body_timeout"] == "5s"


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=kindly",
            ),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    conf = (
        NGINX_CONF.read_text()
        .replace("/etc/ssl/kindly/fullchain.pem", str(certificate))
        .replace("/etc/ssl/kindly/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "kindly.conf").write_text(conf)
    main = f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
    (tmp_path / "nginx.conf").write_text(main + f"http {{ include {tmp_path}/kindly.conf; }}\n")
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


HEAD = b"POST /slack/events HTTP/1.1\r\nHost: kindly\r\n"


@pytest.mark.parametrize(
    ("received", "arrival"),
    [
        (HEAD, Arrival.PARTIAL),
        (HEAD + b"\r\n", Arrival.WHOLE),
        (HEAD + b"Content-Length: 5\r\n\r\nabcd", Arrival.PARTIAL),
        (HEAD + b"Content-Length: 5\r\n\r\nabcde", Arrival.WHOLE),
        (HEAD + b"content-length: 5\r\nContent-Length: 9\r\n\r\nabcde", Arrival.PARTIAL),
        (HEAD + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode(), Arrival.TOO_LARGE),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nabcde", Arrival.NO_LENGTH),
        (HEAD + b"X: " + b"y" * MAX_HEAD_BYTES, Arrival.TOO_LARGE),
    ],
)
def test_the_worker_hands_a_request_on_only_once_all_of_it_has_arrived(
    received: bytes, arrival: Arrival
) -> None:
    assert arrival_of(received) is arrival

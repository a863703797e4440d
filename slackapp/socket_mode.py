"""Socket Mode: Kindly's Bolt app served over Slack's WebSocket.

slack_sdk's asyncio client on the `websockets` library keeps the connection: it notices a dropped
connection (a FIN without a close frame) at once and reconnects at its next check, one ping interval
later; on a `disconnect` it opens the new connection before closing the old one. bench/socket_mode.py
chose it by measurement over the built-in client (which noticed a FIN only after a minute, burning CPU
meanwhile) and the others; see bench/README.md. Bolt itself stays synchronous: each envelope is
dispatched on a thread pool, so a listener that works before its ack never holds up the socket, pings
or other envelopes.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import ClientError
from slack_bolt import App
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.websockets import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from slackapp.config import ConfigError
from slackapp.server import BackgroundServer
from slackapp.web import Probes, Readiness

log = logging.getLogger(__name__)

# Seconds between pings; a lost connection is replaced at the next check, one interval later.
PING_INTERVAL = 5.0
# On stop, how long envelopes in hand may take to reach their ack (Slack's own deadline is 3 s).
DRAIN_SECONDS = 3.0
_NEW_APP_LEVEL_KEY = (
    "Create a new one at https://api.slack.com/apps -> your app -> Basic Information -> App-Level Tokens "
    "(scope connections:write)"
)


class _ClientLogs(logging.Filter):
    """slack_sdk's client logs a normal close, a drop and a refused reconnect as errors: say them plainly.

    Before the first connection, a refused token is reported by `start()` as one line of its own.
    """

    def __init__(self, started: threading.Event) -> None:
        super().__init__()
        self._started = started

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "ConnectionClosedOK" in text:
            return False  # a close both sides agreed on, e.g. after a `disconnect`
        if "ConnectionClosedError" in text:
            self._restate(record, "The Socket Mode connection to Slack dropped: reconnecting")
        elif "Failed to retrieve WSS URL" in text:
            if not self._started.is_set():
                return False
            self._restate(record, "Slack refused a new Socket Mode connection: " + text.splitlines()[-1])
        return True

    @staticmethod
    def _restate(record: logging.LogRecord, message: str) -> None:
        record.msg, record.args = message, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"


class SocketModeService:
    """Serve `app` over Socket Mode until stopped; `start()` returns once the first connection is open.

    A bad app token, or a Slack that cannot be reached, raises ConfigError (one line) from `start()`.
    """

    def __init__(
        self,
        app: App,
        *,
        app_token: str,
        api_url: str,
        ping_interval: float = PING_INTERVAL,
        workers: int = 16,
        client_class: Callable[..., AsyncBaseSocketModeClient] = SocketModeClient,
    ) -> None:
        """`client_class`: slack_sdk's asyncio client to use (bench/socket_mode.py compares them)."""
        self._app = app
        self._app_token = app_token
        self._api_url = api_url
        self._ping_interval = ping_interval
        self._client_class = client_class
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kindly-socket")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None
        self._stopping: asyncio.Event | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._in_flight: set[asyncio.Future[Any]] = set()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> SocketModeService:
        self._thread = threading.Thread(target=self._run, name="kindly-socket-mode", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            raise ConfigError("SLACK_API_URL", f"did not answer within {timeout:g} s", "Check the network")
        if self._failure is not None:
            raise self._failure
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ack what is in hand, then close (Slack sends new envelopes to the app's other connections)."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(timeout)
        self._pool.shutdown(wait=True)

    def wait(self) -> None:
        """Block until the service stops (for `kindly run`); raise what stopped it, if anything did."""
        if self._thread is not None:
            self._thread.join()
        if self._failure is not None:
            raise self._failure

    @property
    def connected(self) -> bool:
        """Whether a connection to Slack is open now (asked of the client on its own loop)."""
        socket, loop = self._client, self._loop
        if socket is None or loop is None or loop.is_closed():
            return False
        try:
            return bool(asyncio.run_coroutine_threadsafe(socket.is_connected(), loop).result(2.0))
        except (TimeoutError, RuntimeError):
            return False

    # -- the event loop ----------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to start(), which raises it in the caller's thread
            self._failure = error
        finally:
            self._started.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        socket: Any = self._client_class(
            app_token=self._app_token,
            web_client=AsyncWebClient(base_url=self._api_url),
            ping_interval=self._ping_interval,
            logger=self._client_logger(),
        )
        socket.socket_mode_request_listeners.append(self._handle)
        try:
            await socket.connect_to_new_endpoint(force=True)
        except SlackApiError as error:
            await socket.close()
            problem = f"was refused by Slack ({error.response.get('error')})"
            raise ConfigError("SLACK_APP_TOKEN", problem, _NEW_APP_LEVEL_KEY) from None
        except (TimeoutError, OSError, ClientError) as error:
            await socket.close()
            problem = f"{self._api_url} is unreachable ({type(error).__name__})"
            raise ConfigError("SLACK_API_URL", problem, "Check the network and SLACK_API_URL") from None
        self._client = socket
        self._started.set()
        log.info("Kindly is connected to Slack in Socket Mode")
        await self._stopping.wait()
        socket.auto_reconnect_enabled = False
        await self._drain(DRAIN_SECONDS)
        await socket.close()

    async def _drain(self, seconds: float) -> None:
        """Let envelopes in hand reach their ack, so that Slack need not send them to another connection."""
        deadline = asyncio.get_running_loop().time() + seconds
        while self._in_flight and (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.wait(set(self._in_flight), timeout=left)

    def _client_logger(self) -> logging.Logger:
        logger = logging.getLogger("slackapp.socket_mode.client")
        for earlier in [f for f in logger.filters if isinstance(f, _ClientLogs)]:
            logger.removeFilter(earlier)  # one service per process, but tests start several in turn
        logger.addFilter(_ClientLogs(self._started))
        return logger

    async def _handle(self, client: Any, request: SocketModeRequest) -> None:
        started = time.time()
        loop = asyncio.get_running_loop()
        dispatched = loop.run_in_executor(self._pool, run_bolt_app, self._app, request)
        self._in_flight.add(dispatched)
        try:
            response = await dispatched
            await send_async_response(client, request, response, started)
        finally:
            self._in_flight.discard(dispatched)


def check_bot_token(token: str, *, api_url: str) -> None:
    """auth.test with SLACK_BOT_TOKEN: ConfigError (one line) when Slack refuses it or cannot be reached."""
    quiet = logging.getLogger("slackapp.socket_mode.token_check")
    quiet.disabled = True  # the failure becomes one line of its own; slack_sdk's error log would repeat it
    try:
        WebClient(token=token, base_url=api_url, logger=quiet).auth_test()
    except SlackApiError as error:
        problem = f"was refused by Slack ({error.response.get('error')})"
        remedy = "Reinstall the app, then copy OAuth & Permissions -> Bot User OAuth Token again"
        raise ConfigError("SLACK_BOT_TOKEN", problem, remedy) from None
    except OSError as error:
        problem = f"{api_url} is unreachable ({type(error).__name__})"
        raise ConfigError("SLACK_API_URL", problem, "Check the network and SLACK_API_URL") from None


class SocketModeReadiness:
    """/readyz in Socket Mode: the database's readiness, then whether the connection to Slack is open."""

    def __init__(self, database: Readiness, service: SocketModeService) -> None:
        self._database = database
        self._service = service

    def __call__(self) -> str | None:
        if not self._service.connected:
            return "Socket Mode connection to Slack is not open (reconnecting)"
        return self._database()

    def liveness(self) -> str:
        return "socket connected" if self._service.connected else "socket not connected"


class SocketModeServer:
    """Kindly in Socket Mode: the connection, and /healthz and /readyz on `health_port` if given."""

    def __init__(
        self,
        service: SocketModeService,
        database: Readiness,
        *,
        health_port: int | None,
        health_host: str = "0.0.0.0",  # noqa: S104 (probes come from the container's runtime)
        metrics_token: str | None = None,
    ) -> None:
        self.service = service
        readiness = SocketModeReadiness(database, service)
        self._health = (
            None
            if health_port is None
            else BackgroundServer(
                Probes(readiness=readiness, liveness=readiness.liveness, metrics_token=metrics_token),
                host=health_host,
                port=health_port,
            )
        )

    @property
    def health_url(self) -> str | None:
        return None if self._health is None else self._health.base_url

    def start(self) -> SocketModeServer:
        """Connect (ConfigError for a refused token or an unreachable Slack), then serve the probes."""
        self.service.start()
        if self._health is not None:
            self._health.start()
            log.info("Socket Mode probes: %s/healthz and %s/readyz", self.health_url, self.health_url)
        return self

    def wait(self) -> None:
        self.service.wait()

    def stop(self) -> None:
        """Close the connection and the probes; safe to call twice."""
        health, self._health = self._health, None
        self.service.stop()
        if health is not None:
            health.stop()

"""FakeSlack: a real HTTP server on 127.0.0.1 that answers like the Slack Web API and records calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

from fakeslack.directory import Directory, DndStatus, UserProfile, describe_tz
from fakeslack.failures import FailurePlan
from fakeslack.http_handler import FakeSlackHTTPServer
from fakeslack.ids import IdFactory
from fakeslack.methods.context import MethodContext
from fakeslack.ratelimit import RateKey, RateLimiter
from fakeslack.records import CallLog, RecordedCall
from fakeslack.response_urls import ResponseUrlRegistry
from fakeslack.router import Router
from fakeslack.socket_mode import SocketModeHub
from fakeslack.tokens import TokenRegistry
from fakeslack.triggers import TriggerRegistry
from fakeslack.uploads import UploadStore
from fakeslack.workspace import Workspace

Clock = Callable[[], float]


class FakeSlack:
    """Point a `WebClient(base_url=fake.api_url)` at it; configure people, plan failures, assert on calls.

    `clock` (monotonic seconds) measures trigger and response-URL lifetimes and rate limits;
    `wall_clock` (epoch seconds) makes message ts, view hashes and DND times. Inject both in tests.
    """

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Kindly Test Workspace",
        team_domain: str = "kindly-test",
        bot_user_id: str = "U0BOT0001",
        bot_id: str = "B0BOT0001",
        app_id: str = "A0APP0001",
        trigger_ttl_seconds: float = 3.0,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        self.workspace = Workspace(
            team_id=team_id,
            team_name=team_name,
            team_domain=team_domain,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
        )
        self._wall_clock = wall_clock
        ids = IdFactory(wall_clock=wall_clock)
        self._directory = Directory(ids)
        self._triggers = TriggerRegistry(ttl_seconds=trigger_ttl_seconds, clock=clock)
        self._uploads = UploadStore()
        self._calls = CallLog()
        self._failures = FailurePlan()
        self._limiter = RateLimiter(clock)
        self._tokens = TokenRegistry()
        self._response_urls = ResponseUrlRegistry(clock=clock)
        self.socket_mode = SocketModeHub(app_id=app_id, tokens=self._tokens, calls=self._calls)
        context = MethodContext(
            workspace=self.workspace,
            directory=self._directory,
            ids=ids,
            triggers=self._triggers,
            uploads=self._uploads,
            base_url=lambda: self.base_url,
            wall_clock=wall_clock,
            connections_open=self.socket_mode.connections_open,
        )
        self._router = Router(
            context=context,
            calls=self._calls,
            failures=self._failures,
            limiter=self._limiter,
            tokens=self._tokens,
            response_urls=self._response_urls,
        )
        self._server: FakeSlackHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        """Listen on a free port of 127.0.0.1 and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        self._server = FakeSlackHTTPServer(("127.0.0.1", 0), self._router)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )
        self._thread.start()
        self.socket_mode.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        self.socket_mode.stop()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/`."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not running; call start() or use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def api_url(self) -> str:
        """The `base_url` for slack_sdk clients: `http://127.0.0.1:PORT/api/`."""
        return f"{self.base_url}api/"

    # -- recorded calls ----------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Calls received so far, oldest first, optionally only those of `method`."""
        return self._calls.calls(method)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until `count` calls of `method` arrived; AssertionError listing the methods seen if not."""
        return self._calls.wait_for(method, count=count, timeout=timeout)

    def wait_for_more_calls(self, seen: int, timeout: float = 15.0) -> int:
        """Block until more than `seen` calls arrived or `timeout` passed; return how many arrived in all."""
        return self._calls.wait_for_more(seen, timeout=timeout)

    def reset(self) -> None:
        """Forget recorded calls, planned failures, rate limits and 429 counts; people and channels stay."""
        self._calls.clear()
        self._failures.clear()
        self._limiter.clear()

    # -- the workspace -----------------------------------------------------------------------------

    def set_user(
        self,
        user_id: str,
        *,
        tz: str = "Europe/Berlin",
        tz_label: str | None = None,
        tz_offset: int | None = None,
        locale: str = "en-US",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        name: str | None = None,
        real_name: str | None = None,
        team_id: str | None = None,
        org_admin: bool = False,
    ) -> None:
        """Make users.info describe `user_id` so; label and offset default to the zone's current ones.

        `is_admin`/`is_owner` are about the person's workspace (`team_id`), `org_admin` about the whole
        Enterprise Grid org (users.info's `enterprise_user`, answered to an org-wide install's token)."""
        label, offset = describe_tz(tz)
        user_name = name or user_id.lower()
        self._directory.set_user(
            UserProfile(
                user_id=user_id,
                name=user_name,
                real_name=real_name or user_name.title(),
                tz=tz,
                tz_label=tz_label if tz_label is not None else label,
                tz_offset=tz_offset if tz_offset is not None else offset,
                locale=locale,
                is_admin=is_admin,
                is_owner=is_owner,
                is_bot=is_bot,
                deleted=deleted,
                team_id=team_id,
                org_admin=org_admin,
                is_restricted=is_restricted,
                is_ultra_restricted=is_ultra_restricted,
            )
        )

    def set_dnd(
        self,
        user_id: str,
        snooze_enabled: bool,
        *,
        next_dnd_start_ts: int | None = None,
        next_dnd_end_ts: int | None = None,
        snooze_endtime: int | None = None,
        dnd_enabled: bool = True,
    ) -> None:
        """Make dnd.info answer so for `user_id` (default schedule: starts in 12 h, lasts 8 h)."""
        start = next_dnd_start_ts if next_dnd_start_ts is not None else int(self._wall_clock()) + 12 * 3600
        end = next_dnd_end_ts if next_dnd_end_ts is not None else start + 8 * 3600
        status = DndStatus(snooze_enabled, start, end, snooze_endtime=snooze_endtime, dnd_enabled=dnd_enabled)
        self._directory.set_dnd(user_id, status)

    def hold(
        self,
        method: str,
        *,
        team: str | None = None,
        after_delivery: bool = False,
        seconds: float | None = None,
        after: int = 0,
    ) -> None:
        """Make calls of `method` (by `team`'s token, or anyone's) wait unanswered until `release`, or
        `seconds` at most each (a slow Slack); the first `after` calls pass.

        `after_delivery=True` acts first (the message is posted and recorded) and holds only the answer,
        as a Slack whose answer is late: the client may give up waiting for a message that was posted.
        """
        self._router.gates.hold(
            method, team=team, after_delivery=after_delivery, seconds=seconds, after=after
        )

    def release(self, method: str, *, team: str | None = None) -> None:
        self._router.gates.release(method, team=team)

    def wait_until_held(self, method: str, timeout: float = 30.0) -> None:
        """Block until a call of `method` waits at its hold (the app is paused on it)."""
        self._router.gates.wait_until_held(method, timeout=timeout)

    def set_usergroup(self, usergroup_id: str, handle: str, members: list[str]) -> None:
        """Make usergroups.list show the group and usergroups.users.list answer `members`."""
        self._directory.set_usergroup(usergroup_id, handle, members)

    def set_channel_members(self, channel_id: str, members: list[str], page_size: int = 200) -> None:
        """Make conversations.members list `members`, at most `page_size` per page."""
        self._directory.set_channel_members(channel_id, members, page_size=page_size)

    def dm_channel_for(self, user_id: str) -> str:
        """The `D...` channel id conversations.open answers (and chat.postMessage uses) for `user_id`."""
        return self._directory.dm_channel(user_id)[0]

    @property
    def uploads(self) -> dict[str, bytes]:
        """Bytes posted to upload URLs, by file id (a copy)."""
        return self._uploads.data()

    # -- interactions ------------------------------------------------------------------------------

    def new_trigger_id(self) -> str:
        """A trigger id that views.open / views.push accept once, within `trigger_ttl_seconds`."""
        return self._triggers.new()

    def new_response_url(self) -> str:
        """A response URL on the fake; POSTs to it are recorded as method `"response_url"`."""
        return f"{self.base_url}response/{self._response_urls.new()}"

    def revoke_token(self, token: str, *, error: str = "token_revoked") -> None:
        """From now on, calls with `token` answer `error` (`token_revoked` or `invalid_auth`)."""
        self._tokens.revoke(token, error=error)

    # -- failures and limits -----------------------------------------------------------------------

    def fail(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
        html: bool = False,
        team: str | None = None,
        after_delivery: bool = False,
    ) -> None:
        """The next `times` calls of `method` (-1: until cleared) answer `error` with HTTP `status`.

        429 answers carry `Retry-After` (default 1); `html=True` makes a 5xx answer an HTML page;
        `status=0` closes the connection without any answer (a reset).
        `team`: only calls with that workspace's token. `after_delivery=True`: the call takes effect
        (the message is posted, recorded with `delivered`) and then answers the error, as a Slack
        that fails after acting. Also works for `"response_url"` and `"upload"`.
        """
        self._failures.add(
            method,
            error=error,
            status=status,
            retry_after=retry_after,
            times=times,
            html=html,
            team=team,
            after_delivery=after_delivery,
        )

    def clear_failures(self, method: str | None = None) -> None:
        """Drop planned failures of `method`, or all of them."""
        self._failures.clear(method)

    def limit_rate(self, method: str, per_second: float, burst: int, key: RateKey = "team") -> None:
        """Answer 429 with a computed Retry-After once `method` exceeds a token bucket per workspace (the
        calling token's install) or channel."""
        self._limiter.limit(method, per_second=per_second, burst=burst, key=key)

    def rate_limited_count(self, method: str) -> int:
        """How many 429 answers `method` got (planned or from `limit_rate`) since the last reset."""
        return self._limiter.limited_count(method)

"""The playground: the real app in HTTP mode on SQLite, the fake Slack, and what the page can do."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet

from fakeslack import FakeSlack
from fakeslack.to_app import AppReply
from kindly_playground import payloads
from kindly_playground.client import ClientModel, Origin, View
from kindly_playground.clock import PlaygroundClock
from kindly_playground.people import CHANNELS, PEOPLE, DemoPerson, escape_mentions, person
from kindly_playground.sender import SlackRequestSender
from kindly_playground.state_values import RawValues, state_values
from slackapp.config import Secret, Settings
from slackapp.runtime import Runtime, build_runtime
from slackapp.server import BackgroundServer

log = logging.getLogger(__name__)


class PlaygroundError(Exception):
    """Something the page asked for cannot be done (an unknown person, a view that closed)."""


class Playground:
    """Start with `start()` (or `with`), then drive it like a Slack client; `stop()` ends everything."""

    def __init__(self) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.clock = PlaygroundClock()
        self.fake = FakeSlack(wall_clock=self.clock.timestamp)
        self._runtime: Runtime | None = None
        self._server: BackgroundServer | None = None
        self._sender: SlackRequestSender | None = None
        self.dm_channels: dict[str, str] = {}
        self.model = ClientModel(dm_channels={})

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> Playground:
        self.fake.start()
        for someone in PEOPLE:
            self.fake.set_user(
                someone.user_id,
                tz=someone.tz,
                is_admin=someone.is_admin,
                name=someone.name,
                real_name=someone.real_name,
            )
            self.dm_channels[someone.user_id] = self.fake.dm_channel_for(someone.user_id)
        for channel in CHANNELS:
            self.fake.set_channel_members(channel.channel_id, [p.user_id for p in PEOPLE])
        self.model = ClientModel(dm_channels=self.dm_channels)
        # A fresh database and master key each run: the playground keeps nothing once it stops.
        self._tmp = tempfile.TemporaryDirectory(prefix="kindly-playground-")
        folder = Path(self._tmp.name)
        signing_secret = secrets.token_hex(16)
        settings = Settings(
            bot_token=Secret("xoxb-playground-token"),
            signing_secret=Secret(signing_secret),
            api_url=self.fake.api_url,
            database_url=f"sqlite:///{folder / 'playground.sqlite3'}",
            encryption_keys=(Secret(Fernet.generate_key().decode("ascii")),),
        )
        self._runtime = build_runtime(settings, clock=self.clock)
        self._server = BackgroundServer(self._runtime.wsgi()).start()
        self._sender = SlackRequestSender(
            events_url=f"{self._server.base_url}/slack/events", signing_secret=signing_secret
        )
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None
        self.fake.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Playground:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def app_url(self) -> str:
        if self._server is None:
            raise PlaygroundError("the playground is not running")
        return self._server.base_url

    # -- what the page shows --------------------------------------------------------------------------

    def state(self, user_id: str, *, since: int | None = None, wait: float = 15.0) -> dict[str, Any]:
        """One person's client; with `since`, wait (up to `wait` s) until something changed after it."""
        someone = self._person(user_id)
        self.model.absorb(self.fake.calls())
        if since is not None and self.model.version == since:
            self.fake.wait_for_more_calls(self.model.seen_calls, timeout=wait)
            self.model.absorb(self.fake.calls())
        now = self.clock()
        local = now.astimezone(ZoneInfo(someone.tz))
        return {
            **self.model.snapshot(user_id),
            "me": someone.as_json(),
            "people": [p.as_json() for p in PEOPLE],
            "channels": [c.as_json() for c in CHANNELS],
            "dm": self.dm_channels[user_id],
            "clock": {
                "utc": now.isoformat(timespec="seconds"),
                "local": local.strftime("%Y-%m-%dT%H:%M"),
                "shown": local.strftime("%a %d %b %Y, %H:%M ") + someone.tz,
            },
        }

    def shared_file(self, user_id: str, file_id: str) -> tuple[str, bytes]:
        """A file's name and bytes, for a person who can see it in one of their conversations."""
        self._person(user_id)
        self.model.absorb(self.fake.calls())
        shared = self.model.file_shared_with(user_id, file_id)
        content = self.fake.uploads.get(file_id) if shared is not None else None
        if shared is None or content is None:
            raise PlaygroundError("no such file in your conversations")
        return shared.name, content

    # -- what the page can do -------------------------------------------------------------------------

    def command(self, user_id: str, *, channel_id: str, text: str) -> None:
        """`/kindly <text>` typed in a channel or in the Messages tab; `@bob` is sent as Slack escapes it."""
        someone = self._person(user_id)
        response_url = self.fake.new_response_url()
        self.model.note_response_url(response_url, Origin(user_id, channel_id))
        fields = payloads.slash_command(
            **self._team(),
            person=someone,
            channel_id=channel_id,
            text=escape_mentions(text),
            response_url=response_url,
            trigger_id=self._trigger(user_id),
        )
        reply = self._send().post_form(fields)
        body = self._json(reply)
        if reply.status != 200:
            self._notice(user_id, channel_id, f"/kindly failed: the app answered HTTP {reply.status}.")
        elif isinstance(body, dict) and (body.get("text") or body.get("blocks")):
            visible_to = None if body.get("response_type") == "in_channel" else user_id
            self.model.add_message(channel_id, body, visible_to=visible_to)

    def open_home(self, user_id: str) -> None:
        """The person opened the App Home tab: Slack sends app_home_opened."""
        someone = self._person(user_id)
        home = self.model.home(user_id)
        event = payloads.app_home_opened(
            person=someone,
            dm_channel=self.dm_channels[user_id],
            home=self._payload_view(home, None) if home is not None else None,
        )
        workspace = self.fake.workspace
        self._send().post_event(
            payloads.event_envelope(
                team_id=workspace.team_id,
                app_id=workspace.app_id,
                bot_user_id=workspace.bot_user_id,
                event=event,
            )
        )

    def press(
        self,
        user_id: str,
        *,
        surface: dict[str, Any],
        block_id: str,
        action_id: str,
        values: RawValues | None = None,
    ) -> None:
        """A button pressed in a modal (`{"kind": "modal", "view_id"}`), the Home tab or a message."""
        someone = self._person(user_id)
        kind = surface.get("kind")
        payload = payloads.interaction("block_actions", **self._team(), person=someone)
        payload["trigger_id"] = self._trigger(user_id)
        if kind in {"modal", "home"}:
            shown = (
                self.model.modal(user_id, str(surface.get("view_id")))
                if kind == "modal"
                else self.model.home(user_id)
            )
            if shown is None:
                raise PlaygroundError("that view is no longer open")
            element = _element(shown.view.get("blocks", []), block_id, action_id)
            view = self._payload_view(shown, values)
            payload.update(container={"type": "view", "view_id": shown.view_id}, view=view)
        elif kind == "message":
            message = self.model.message(user_id, str(surface.get("key")))
            if message is None:
                raise PlaygroundError("that message is gone")
            element = _element(message.blocks, block_id, action_id)
            response_url = self.fake.new_response_url()
            self.model.note_response_url(response_url, Origin(user_id, message.channel, message.key))
            ephemeral = message.visible_to is not None
            payload.update(
                container={
                    "type": "message",
                    "message_ts": message.ts,
                    "channel_id": message.channel,
                    "is_ephemeral": ephemeral,
                },
                channel={"id": message.channel, "name": self._channel_name(message.channel)},
                response_url=response_url,
            )
            if not ephemeral:
                payload["message"] = {
                    "type": "message",
                    "user": self.fake.workspace.bot_user_id,
                    "bot_id": self.fake.workspace.bot_id,
                    "ts": message.ts,
                    "text": message.text,
                    "blocks": message.blocks,
                }
        else:
            raise PlaygroundError(f"unknown surface {kind!r}")
        if element.get("type") in {"button", None}:
            action = payloads.button_action(element, block_id=block_id)
        else:
            chosen = (values or {}).get(block_id, {}).get(action_id)
            action = payloads.select_action(element, block_id=block_id, value=chosen)
        payload["actions"] = [action]
        reply = self._send().post_payload(payload)
        if reply.status != 200:
            self._notice(user_id, self.dm_channels[user_id], f"A button failed: HTTP {reply.status}.")

    def submit(self, user_id: str, *, view_id: str, values: RawValues) -> None:
        """The modal's submit button: a view_submission, then the app's response_action."""
        someone = self._person(user_id)
        shown = self.model.modal(user_id, view_id)
        if shown is None:
            raise PlaygroundError("that view is no longer open")
        payload = payloads.interaction("view_submission", **self._team(), person=someone)
        payload.update(trigger_id=self._trigger(user_id), view=self._payload_view(shown, values))
        payload["response_urls"] = []
        reply = self._send().post_payload(payload)
        failure = "" if reply.status == 200 else f"The app answered HTTP {reply.status}; nothing was sent."
        self.model.answer_submission(user_id, view_id, self._json(reply), failure=failure)

    def close(self, user_id: str, *, view_id: str, everything: bool = False) -> None:
        """Close (or go back from) a modal; view_closed reaches the app when the view asked for it."""
        someone = self._person(user_id)
        for shown in self.model.close(user_id, view_id, everything=everything):
            if shown.view.get("notify_on_close"):
                payload = payloads.interaction("view_closed", **self._team(), person=someone)
                payload.update(view=self._payload_view(shown, None), is_cleared=everything)
                self._send().post_payload(payload)

    def set_clock(self, user_id: str, *, local: str) -> str:
        """Set the app's clock to `local` (the person's wall-clock time) and run one dispatcher tick."""
        someone = self._person(user_id)
        try:
            moment = datetime.fromisoformat(local)
        except ValueError:
            raise PlaygroundError(f"{local!r} is not a date and time") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(someone.tz))
        self.clock.set(moment)
        assert self._runtime is not None
        report = self._runtime.dispatcher.tick(moment)
        return f"Tick at {moment.isoformat(timespec='minutes')}: {report.summary()}"

    # -- helpers ----------------------------------------------------------------------------------------

    def _person(self, user_id: str) -> DemoPerson:
        try:
            return person(user_id)
        except KeyError:
            raise PlaygroundError(f"no demo person {user_id!r}") from None

    def _team(self) -> dict[str, str]:
        workspace = self.fake.workspace
        return {
            "team_id": workspace.team_id,
            "team_domain": workspace.team_domain,
            "app_id": workspace.app_id,
        }

    def _trigger(self, user_id: str) -> str:
        trigger_id = self.fake.new_trigger_id()
        self.model.note_trigger(trigger_id, user_id)
        return trigger_id

    def _send(self) -> SlackRequestSender:
        if self._sender is None:
            raise PlaygroundError("the playground is not running")
        return self._sender

    def _payload_view(self, shown: View, values: RawValues | None) -> dict[str, Any]:
        """The view as Slack puts it in a payload: ids, hash, and `state.values` from the controls."""
        workspace = self.fake.workspace
        return {
            **shown.view,
            "id": shown.view_id,
            "hash": shown.hash,
            "team_id": workspace.team_id,
            "app_id": workspace.app_id,
            "bot_id": workspace.bot_id,
            "root_view_id": shown.view_id,
            "state": {"values": state_values(shown.view.get("blocks", []), values)},
        }

    def _channel_name(self, channel_id: str) -> str:
        if channel_id in self.dm_channels.values():
            return "directmessage"
        return next((c.name for c in CHANNELS if c.channel_id == channel_id), channel_id)

    def _notice(self, user_id: str, channel_id: str, text: str) -> None:
        self.model.add_message(channel_id, {"text": f":warning: {text}"}, visible_to=user_id)

    @staticmethod
    def _json(reply: AppReply) -> Any:
        try:
            return reply.json()
        except ValueError:
            return None


def _element(blocks: list[dict[str, Any]], block_id: str, action_id: str) -> dict[str, Any]:
    """The interactive element the person pressed, looked up in what the app sent (not in the page)."""
    for block in blocks:
        if block.get("block_id") != block_id:
            continue
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return element
    raise PlaygroundError(f"no element {action_id!r} in block {block_id!r}")

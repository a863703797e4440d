"""Requests as Slack sends them: real HTTP, signed with the app's signing secret."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

from fakeslack import FakeSlack
from fakeslack.socket_mode import Ack
from fakeslack.to_app import SIGNATURE_HEADER, AppReply, post_to_app, signed_headers

Reply = AppReply  # the app's answer, as the fake Slack sees it


@dataclass(frozen=True)
class Person:
    user_id: str = "U0ALICE"
    team_id: str = "T0001"
    name: str = "alice"
    enterprise_id: str | None = None  # the Enterprise Grid org of their workspace, if any
    org_wide: bool = False  # Kindly is installed org-wide in that org (not in the workspace alone)


def _org_fields(who: Person) -> dict[str, Any]:
    """What Slack adds to an interaction payload from a workspace of an Enterprise Grid org."""
    if who.enterprise_id is None:
        return {}
    return {"enterprise": {"id": who.enterprise_id, "name": "Org"}, "is_enterprise_install": who.org_wide}


def command_fields(text: Any, who: Person, *, response_url: str, trigger_id: str) -> dict[str, Any]:
    """A slash command's form fields, as Slack sends them."""
    org: dict[str, Any] = {}
    if who.enterprise_id is not None:
        org = {
            "enterprise_id": who.enterprise_id,
            "enterprise_name": "Org",
            "is_enterprise_install": "true" if who.org_wide else "false",
        }
    return {
        **org,
        "token": "legacy-verification-token",
        "team_id": who.team_id,
        "team_domain": "kindly-test",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": who.user_id,
        "user_name": who.name,
        "command": "/kindly",
        "text": text,
        "api_app_id": "A0APP0001",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def interaction_payload(kind: str, who: Person, *, trigger_id: str, **extra: Any) -> dict[str, Any]:
    """An interaction payload (block_actions, view_submission, shortcut…), as Slack sends it."""
    team: dict[str, Any] = {"id": who.team_id, "domain": "kindly-test"}
    if who.enterprise_id is not None:
        team.update(enterprise_id=who.enterprise_id, enterprise_name="Org")
    return {
        "type": kind,
        "team": team,
        "user": {"id": who.user_id, "username": who.name, "name": who.name, "team_id": who.team_id},
        "api_app_id": "A0APP0001",
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,
        **_org_fields(who),
        **extra,
    }


def _authorization(who: Person) -> dict[str, Any]:
    """The installation an event is delivered for: an org-wide one has the org's id and no team id."""
    authorization: dict[str, Any] = {
        "team_id": None if who.org_wide else who.team_id,
        "user_id": "U0BOT0001",
        "is_bot": True,
        "is_enterprise_install": who.org_wide,
    }
    if who.enterprise_id is not None:
        authorization = {"enterprise_id": who.enterprise_id, **authorization}
    return authorization


class SlackSender:
    """Sends slash commands, interactions and events to Kindly's /slack/events.

    Everything goes through `post_form` (commands, and interactions as a `payload` field) and
    `post_event`; SocketSender sends the same requests as Socket Mode envelopes instead.
    """

    def __init__(self, *, events_url: str, signing_secret: str, fake: FakeSlack) -> None:
        self.events_url = events_url
        self.fake = fake
        self.last_trigger_id = ""
        self._signing_secret = signing_secret

    def post_raw(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        signed = signed_headers(self._signing_secret, body, timestamp=timestamp)
        if signature is not None:
            signed[SIGNATURE_HEADER] = signature
        return post_to_app(
            self.events_url, body, content_type=content_type, headers={**signed, **(headers or {})}
        )

    def post_form(self, fields: dict[str, str], **options: Any) -> Reply:
        body = urllib.parse.urlencode(fields).encode("utf-8")
        return self.post_raw(body, content_type="application/x-www-form-urlencoded", **options)

    def post_payload(self, payload: dict[str, Any], **options: Any) -> Reply:
        return self.post_form({"payload": json.dumps(payload)}, **options)

    def command(self, text: str = "", *, who: Person = Person(), **options: Any) -> Reply:
        fields = command_fields(
            text, who, response_url=self.fake.new_response_url(), trigger_id=self._new_trigger()
        )
        return self.post_form(fields, **options)

    def _new_trigger(self) -> str:
        self.last_trigger_id = self.fake.new_trigger_id()
        return self.last_trigger_id

    def _interaction(self, kind: str, who: Person, **extra: Any) -> dict[str, Any]:
        return interaction_payload(kind, who, trigger_id=self._new_trigger(), **extra)

    def shortcut(self, callback_id: str, *, who: Person = Person()) -> Reply:
        payload = self._interaction("shortcut", who, callback_id=callback_id, action_ts="1700000000.000001")
        return self.post_payload(payload)

    def view_submission(self, view: dict[str, Any], *, who: Person = Person()) -> Reply:
        return self.post_payload(self._interaction("view_submission", who, view=view))

    def block_action(
        self,
        action_id: str,
        *,
        value: str | None = None,
        who: Person = Person(),
        view: dict[str, Any] | None = None,
    ) -> Reply:
        action: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "block_id": "b1",
            "text": {"type": "plain_text", "text": "x"},
            "action_ts": "1700000000.000002",
        }
        if value is not None:
            action["value"] = value
        container = {"type": "view", "view_id": (view or {}).get("id", "V0HOME")}
        payload = self._interaction(
            "block_actions",
            who,
            container=container,
            view=view or {"id": "V0HOME", "type": "home", "hash": "1.home", "blocks": []},
            actions=[action],
        )
        return self.post_payload(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        who: Person = Person(),
        event_id: str | None = None,
        retry_num: int | None = None,
        authorized: bool = True,
    ) -> Reply:
        """An Events API callback, as Slack posts it.

        `authorized=False` leaves `authorizations` out, as Slack does once the tokens are gone
        (`app_uninstalled`, `tokens_revoked`).
        """
        envelope: dict[str, Any] = {
            "token": "legacy-verification-token",
            "team_id": who.team_id,
            "api_app_id": "A0APP0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
        }
        if who.enterprise_id is not None:
            envelope.update(enterprise_id=who.enterprise_id, is_ext_shared_channel=False)
        if authorized:
            envelope["authorizations"] = [_authorization(who)]
        return self.post_event(envelope, retry_num=retry_num)

    def post_event(self, envelope: dict[str, Any], *, retry_num: int | None = None) -> Reply:
        """Post an event callback, as Slack's retry `retry_num` (with its headers) if given."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        body = json.dumps(envelope).encode("utf-8")
        return self.post_raw(body, content_type="application/json", headers=headers)

    def home_opened(self, *, who: Person = Person(), **options: Any) -> Reply:
        event = {
            "type": "app_home_opened",
            "user": who.user_id,
            "channel": "D0ALICE",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        return self.event(event, who=who, **options)

    def user_changed(self, *, tz: str, who: Person = Person(), **options: Any) -> Reply:
        """Slack's user_change event: the person's profile (here, their time zone) changed."""
        user = {"id": who.user_id, "team_id": who.team_id, "name": who.name, "tz": tz, "deleted": False}
        event = {"type": "user_change", "user": user, "event_ts": f"{time.time():.6f}"}
        return self.event(event, who=who, **options)

    def message_action(
        self, action_id: str, *, message: dict[str, Any], who: Person = Person(), value: str | None = None
    ) -> Reply:
        """A button pressed on a message in the app's DM (block_actions with a response_url)."""
        action: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "block_id": "b1",
            "action_ts": "1.2",
        }
        if value is not None:
            action["value"] = value
        payload = self._interaction(
            "block_actions",
            who,
            container={"type": "message", "message_ts": message.get("ts", "1.1"), "channel_id": "D0ALICE"},
            channel={"id": "D0ALICE", "name": "directmessage"},
            message=message,
            response_url=self.fake.new_response_url(),
            actions=[action],
        )
        return self.post_payload(payload)

    def message_shortcut(
        self, callback_id: str, *, message: dict[str, Any], channel: str = "C0SHOUTS", who: Person = Person()
    ) -> Reply:
        """A message shortcut ("message_action") on `message` in `channel`."""
        payload = self._interaction(
            "message_action",
            who,
            callback_id=callback_id,
            action_ts="1700000000.000003",
            message_ts=message.get("ts", "1.1"),
            message=message,
            channel={"id": channel, "name": "shout-outs"},
            response_url=self.fake.new_response_url(),
        )
        return self.post_payload(payload)

    def member_joined(self, *, channel: str, who: Person = Person(), **options: Any) -> Reply:
        event = {
            "type": "member_joined_channel",
            "user": who.user_id,
            "channel": channel,
            "team": who.team_id,
        }
        return self.event(event, who=who, **options)

    def member_left(self, *, channel: str, who: Person = Person(), **options: Any) -> Reply:
        event = {"type": "member_left_channel", "user": who.user_id, "channel": channel, "team": who.team_id}
        return self.event(event, who=who, **options)


class SocketSender(SlackSender):
    """The same requests as Socket Mode envelopes through FakeSlack; a reply carries the ack's payload.

    Over HTTP a slash command's or view submission's answer is the response body; in Socket Mode it is
    the payload of the ack, so journeys read both alike. An envelope that no attempt acked raises
    NotAcknowledgedError (what a person sees as Slack's "operation_timeout").
    """

    def __init__(self, *, fake: FakeSlack) -> None:
        super().__init__(events_url="", signing_secret="socket mode signs nothing", fake=fake)

    def post_raw(self, body: bytes, **options: Any) -> Reply:
        raise NotImplementedError("Socket Mode has no raw HTTP requests: this test is for HTTP mode")

    def post_form(self, fields: dict[str, str], **options: Any) -> Reply:
        assert not options, f"Socket Mode has no HTTP options: {options}"
        if "payload" in fields:
            return self._reply(self.fake.socket_mode.send("interactive", json.loads(fields["payload"])))
        return self._reply(self.fake.socket_mode.send("slash_commands", dict(fields)))

    def post_event(self, envelope: dict[str, Any], *, retry_num: int | None = None) -> Reply:
        assert retry_num is None, "Socket Mode retries are FakeSlack's own: see fake.socket_mode.ack_timeout"
        return self._reply(self.fake.socket_mode.send("events_api", envelope))

    @staticmethod
    def _reply(ack: Ack) -> Reply:
        body = json.dumps(ack.payload).encode("utf-8") if ack.payload else b""
        return Reply(200, body, {"Content-Type": "application/json"})

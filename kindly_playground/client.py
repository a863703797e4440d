"""What a Slack client would show, rebuilt from what the app sent to the fake Slack Web API.

Modal stacks come from views.open/push/update and the answers to view submissions; the App Home is the
latest views.publish per person; messages come from chat.postMessage/update/delete, chat.postEphemeral,
response URLs and slash-command answers.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fakeslack import RecordedCall


@dataclass
class View:
    """A modal or Home tab on screen: the view the app sent, with Slack's id and hash."""

    view_id: str
    hash: str
    view: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    failure: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"view_id": self.view_id, "view": self.view, "errors": self.errors, "failure": self.failure}


@dataclass
class Message:
    key: str
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    visible_to: str | None = None  # an ephemeral message is seen by one person only
    files: list[SharedFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "ts": self.ts,
            "text": self.text,
            "blocks": self.blocks,
            "ephemeral": self.visible_to is not None,
            "files": [{"id": shared.file_id, "name": shared.name} for shared in self.files],
        }


@dataclass(frozen=True)
class SharedFile:
    """A file shared into a conversation with files.completeUploadExternal."""

    file_id: str
    name: str


@dataclass(frozen=True)
class Origin:
    """Where a response URL's answers go: the person and channel, and the message a button was on."""

    user_id: str
    channel: str
    message_key: str | None = None


def with_block_ids(blocks: Any, prefix: str = "b") -> list[dict[str, Any]]:
    """Slack gives a block without `block_id` one of its own; so does the playground, stably."""
    result: list[dict[str, Any]] = []
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        if isinstance(block, dict):
            result.append({**block, "block_id": block.get("block_id") or f"{prefix}{index}"})
    return result


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in {"true", "1"})


class ClientModel:
    """Thread-safe state of every person's client; `absorb` reads calls the fake recorded, in order."""

    def __init__(self, *, dm_channels: dict[str, str]) -> None:
        self._lock = threading.Lock()
        self._dm_channels = dict(dm_channels)  # user id -> D channel
        self._seen_calls = 0
        self._serial = itertools.count(1)
        self.version = 0
        self._triggers: dict[str, str] = {}
        self._response_urls: dict[str, Origin] = {}
        self._modals: dict[str, list[View]] = {}
        self._homes: dict[str, View] = {}
        self._messages: list[Message] = []

    # -- what the playground itself starts ------------------------------------------------------

    def note_trigger(self, trigger_id: str, user_id: str) -> None:
        with self._lock:
            self._triggers[trigger_id] = user_id

    def note_response_url(self, url: str, origin: Origin) -> None:
        with self._lock:
            self._response_urls[url.rsplit("/", 1)[-1]] = origin

    def add_message(self, channel: str, reply: dict[str, Any], *, visible_to: str | None) -> None:
        """A message the app answered with directly (a slash command's ack body)."""
        with self._lock:
            self._add(channel, "", reply, visible_to=visible_to)

    def answer_submission(self, user_id: str, view_id: str, answer: Any, *, failure: str = "") -> None:
        """Apply the app's answer to a view submission: close, update, push, clear or show errors."""
        with self._lock:
            stack = self._modals.get(user_id, [])
            index = next((i for i, v in enumerate(stack) if v.view_id == view_id), None)
            if index is None:
                return
            current = stack[index]
            current.errors, current.failure = {}, failure
            action = answer.get("response_action") if isinstance(answer, dict) else None
            if failure:
                pass
            elif action == "errors":
                errors = answer.get("errors")
                current.errors = {str(k): str(v) for k, v in (errors or {}).items()}
            elif action == "update" and isinstance(answer.get("view"), dict):
                current.view = self._normalise(answer["view"])
                current.hash = self._new_hash()
            elif action == "push" and isinstance(answer.get("view"), dict):
                stack.insert(
                    index + 1, View(self._new_id(), self._new_hash(), self._normalise(answer["view"]))
                )
            elif action == "clear":
                stack.clear()
            else:
                del stack[index]  # an empty ack closes the submitted view
            self.version += 1

    def close(self, user_id: str, view_id: str, *, everything: bool = False) -> list[View]:
        """Pop the view (or clear the stack); returns the views that closed."""
        with self._lock:
            stack = self._modals.get(user_id, [])
            index = next((i for i, v in enumerate(stack) if v.view_id == view_id), None)
            if index is None:
                return []
            closed = stack[0 if everything else index :]
            del stack[0 if everything else index :]
            self.version += 1
            return closed

    # -- reading the fake's log -------------------------------------------------------------------

    def absorb(self, calls: Iterable[RecordedCall]) -> None:
        """Apply the calls not seen yet; `calls` is the fake's whole log, oldest first."""
        with self._lock:
            fresh = list(calls)[self._seen_calls :]
            self._seen_calls += len(fresh)
            for call in fresh:
                if call.ok:
                    self._apply(call)
            if fresh:
                self.version += 1

    @property
    def seen_calls(self) -> int:
        with self._lock:
            return self._seen_calls

    def _apply(self, call: RecordedCall) -> None:
        params, answer = call.params, call.answer or {}
        if call.method in {"views.open", "views.push"}:
            user_id = self._triggers.get(str(params.get("trigger_id") or params.get("interactivity_pointer")))
            shown = self._shown(answer)
            if user_id is not None and shown is not None:
                stack = self._modals.setdefault(user_id, [])
                if call.method == "views.open":
                    stack.clear()
                stack.append(shown)
        elif call.method == "views.update":
            self._update(params, answer)
        elif call.method == "views.publish":
            shown = self._shown(answer)
            if shown is not None and isinstance(params.get("user_id"), str):
                self._homes[params["user_id"]] = shown
        elif call.method == "chat.postMessage":
            self._add(str(answer.get("channel") or ""), str(answer.get("ts") or ""), params, visible_to=None)
        elif call.method == "chat.postEphemeral":
            channel = self._channel(str(params.get("channel") or ""))
            self._add(
                channel, str(answer.get("message_ts") or ""), params, visible_to=str(params.get("user"))
            )
        elif call.method == "chat.update":
            message = self._find(str(params.get("channel") or ""), str(params.get("ts") or ""))
            if message is not None:
                message.text = str(params.get("text") or "")
                message.blocks = with_block_ids(params.get("blocks"))
        elif call.method == "chat.delete":
            message = self._find(str(params.get("channel") or ""), str(params.get("ts") or ""))
            if message is not None:
                self._messages.remove(message)
        elif call.method == "response_url":
            self._respond(params)
        elif call.method == "files.completeUploadExternal":
            self._share_files(params, answer)

    def _shown(self, answer: dict[str, Any]) -> View | None:
        view = answer.get("view")
        if not isinstance(view, dict) or not isinstance(view.get("id"), str):
            return None
        return View(view["id"], str(view.get("hash") or ""), self._normalise(view))

    def _update(self, params: dict[str, Any], answer: dict[str, Any]) -> None:
        shown = self._shown(answer)
        if shown is None:
            return
        for stack in self._modals.values():
            for current in stack:
                if current.view_id == shown.view_id:
                    current.view, current.hash, current.errors, current.failure = (
                        shown.view,
                        shown.hash,
                        {},
                        "",
                    )
        for home in self._homes.values():
            if home.view_id == shown.view_id:
                home.view, home.hash = shown.view, shown.hash

    def _respond(self, params: dict[str, Any]) -> None:
        origin = self._response_urls.get(str(params.get("_response_url_id")))
        if origin is None:
            return
        original = next((m for m in self._messages if m.key == origin.message_key), None)
        if _flag(params.get("delete_original")):
            if original is not None:
                self._messages.remove(original)
        elif _flag(params.get("replace_original")) and original is not None:
            original.text = str(params.get("text") or "")
            original.blocks = with_block_ids(params.get("blocks"))
        else:
            in_channel = params.get("response_type") == "in_channel"
            self._add(origin.channel, "", params, visible_to=None if in_channel else origin.user_id)

    def _share_files(self, params: dict[str, Any], answer: dict[str, Any]) -> None:
        """Files shared to a conversation arrive as one message: the initial comment and the files."""
        channel = params.get("channel_id") or params.get("channels")
        if not isinstance(channel, str) or not channel:
            return  # uploaded but shared nowhere: Slack shows nothing either
        shared = [
            SharedFile(str(item["id"]), str(item.get("name") or item.get("title") or item["id"]))
            for item in answer.get("files") or []
            if isinstance(item, dict) and item.get("id")
        ]
        content = {"text": params.get("initial_comment") or ""}
        self._add(channel.split(",")[0], "", content, visible_to=None, files=shared)

    def _add(
        self,
        channel: str,
        ts: str,
        content: dict[str, Any],
        *,
        visible_to: str | None,
        files: list[SharedFile] | None = None,
    ) -> None:
        key = f"m{next(self._serial)}"
        self._messages.append(
            Message(
                key=key,
                channel=self._channel(channel),
                ts=ts or key,
                text=str(content.get("text") or ""),
                blocks=with_block_ids(content.get("blocks")),
                visible_to=visible_to,
                files=files or [],
            )
        )
        self.version += 1

    def _channel(self, channel: str) -> str:
        """Posting to a user id posts to the DM with them."""
        return self._dm_channels.get(channel, channel)

    def _find(self, channel: str, ts: str) -> Message | None:
        channel = self._channel(channel)
        return next((m for m in self._messages if m.channel == channel and m.ts == ts), None)

    def _normalise(self, view: dict[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(view)
        shown["blocks"] = with_block_ids(shown.get("blocks"))
        return shown

    def _new_id(self) -> str:
        return f"VPLAY{next(self._serial):06d}"

    def _new_hash(self) -> str:
        return f"play.{next(self._serial):08d}"

    # -- what one person sees -----------------------------------------------------------------------

    def modal(self, user_id: str, view_id: str) -> View | None:
        with self._lock:
            found = next((v for v in self._modals.get(user_id, []) if v.view_id == view_id), None)
            return copy.deepcopy(found)

    def home(self, user_id: str) -> View | None:
        with self._lock:
            return copy.deepcopy(self._homes.get(user_id))

    def message(self, user_id: str, key: str) -> Message | None:
        with self._lock:
            found = next((m for m in self._messages if m.key == key), None)
            if found is None or found.visible_to not in {None, user_id}:
                return None
            return copy.deepcopy(found)

    def file_shared_with(self, user_id: str, file_id: str) -> SharedFile | None:
        """The file, when it is in a conversation the person is in (their DM with the app, or a channel)."""
        others_dms = {dm for someone, dm in self._dm_channels.items() if someone != user_id}
        with self._lock:
            for message in self._messages:
                if message.channel in others_dms or message.visible_to not in {None, user_id}:
                    continue
                found = next((f for f in message.files if f.file_id == file_id), None)
                if found is not None:
                    return found
        return None

    def snapshot(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            conversations: dict[str, list[dict[str, Any]]] = {}
            for message in self._messages:
                if message.visible_to in {None, user_id}:
                    conversations.setdefault(message.channel, []).append(message.as_json())
            home = self._homes.get(user_id)
            return {
                "version": self.version,
                "modals": [view.as_json() for view in self._modals.get(user_id, [])],
                "home": home.as_json() if home is not None else None,
                "conversations": conversations,
            }

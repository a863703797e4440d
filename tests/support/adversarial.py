"""The adversarial suite's tools: raw requests, database snapshots, payload mutations, listeners."""

from __future__ import annotations

import copy
import json
import logging
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, MetaData, func, inspect, select

from slackapp.listeners import TABLES
from slackapp.listeners.routes import Kind
from slackapp.rendering.help import COMMAND
from tests.conftest import Kindly
from tests.support.slack_requests import Person, Reply, interaction_payload
from tests.support.slack_requests import command_fields as slack_command_fields
from tests.support.views import all_text

# Markers that only appear when a Python traceback (or a repr of one) leaks into a body.
TRACEBACK_MARKERS = ("Traceback", 'File "', "Error:", "Exception", "slackapp/", "site-packages")

SQL_INJECTIONS = (
    "'; DROP TABLE reflections; --",
    '" OR 1=1 --',
    "') OR ('1'='1",
    "1; DELETE FROM members WHERE 1=1",
    "%",
    "_",
    "%_%' ESCAPE '\\",
    "\\",
    "\x00",
    "nul\x00inside",
    "Robert'); DROP TABLE shoutouts;--",
)


# -- listener inventory ------------------------------------------------------------------------------


@dataclass
class Inventory:
    """Every id the listener tables route, per Slack kind."""

    commands: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    shortcuts: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def registered_listeners() -> Inventory:
    keys: dict[Kind, list[str]] = {}
    for kind, routes in TABLES:  # a kind may have several tables (the self-check's buttons have their own)
        keys.setdefault(kind, []).extend(route.key for route in routes)
    return Inventory(
        commands=[COMMAND] if keys[Kind.COMMAND] else [],
        actions=keys[Kind.ACTION],
        views=keys[Kind.VIEW],
        shortcuts=keys[Kind.SHORTCUT],
        events=keys[Kind.EVENT],
    )


# -- the database ------------------------------------------------------------------------------------


def _tables(engine: Engine) -> MetaData:
    metadata = MetaData()
    metadata.reflect(engine)
    return metadata


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the live database (reflected, so new tables are counted too)."""
    metadata = _tables(engine)
    with engine.connect() as connection:
        return {
            table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in metadata.sorted_tables
        }


Row = tuple[str, tuple[str, ...]]


def all_rows(engine: Engine) -> set[Row]:
    """Every row of every table, as comparable text: a modified or deleted row disappears from the set."""
    metadata = _tables(engine)
    rows: set[Row] = set()
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                rows.add((table.name, tuple(repr(bytes(v) if isinstance(v, memoryview) else v) for v in row)))
    return rows


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {
        name: (before.get(name, 0), after.get(name, 0))
        for name in set(before) | set(after)
        if before.get(name, 0) != after.get(name, 0)
    }


# -- HTTP --------------------------------------------------------------------------------------------


def leaks_traceback(reply: Reply) -> bool:
    text = reply.body.decode("utf-8", "replace")
    return any(marker in text for marker in TRACEBACK_MARKERS)


def problem_with(reply: Reply) -> str | None:
    """None when the answer is a 2xx/4xx without traceback text; else what is wrong with it."""
    if reply.status >= 500:
        return f"answered {reply.status}: {reply.body[:200]!r}"
    if leaks_traceback(reply):
        return f"traceback text in a {reply.status} body: {reply.body[:200]!r}"
    return None


def form_body(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode("utf-8")


def payload_body(payload: Any) -> bytes:
    return form_body({"payload": json.dumps(payload)})


# -- payloads ----------------------------------------------------------------------------------------


def command_fields(kindly: Kindly, text: Any, who: Person) -> dict[str, Any]:
    fresh = {"response_url": kindly.fake.new_response_url(), "trigger_id": kindly.fake.new_trigger_id()}
    return slack_command_fields(text, who, **fresh)


def interaction(kindly: Kindly, kind: str, who: Person, **extra: Any) -> dict[str, Any]:
    return interaction_payload(kind, who, trigger_id=kindly.fake.new_trigger_id(), **extra)


def block_action_payload(
    kindly: Kindly,
    action_id: str,
    who: Person,
    *,
    value: Any = "1",
    view: dict[str, Any] | None = None,
    in_message: bool = False,
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "block_id": "b1",
        "value": value,
        "action_ts": "1700000000.000002",
    }
    if in_message:
        return interaction(
            kindly,
            "block_actions",
            who,
            container={"type": "message", "message_ts": "1.1", "channel_id": "D0DM"},
            channel={"id": "D0DM", "name": "directmessage"},
            message={"type": "message", "ts": "1.1", "blocks": []},
            response_url=kindly.fake.new_response_url(),
            actions=[action],
        )
    shown = view or {"id": "V0HOME", "type": "home", "hash": "1.home", "blocks": []}
    return interaction(
        kindly,
        "block_actions",
        who,
        container={"type": "view", "view_id": shown.get("id", "V0HOME")},
        view=shown,
        actions=[action],
    )


def modal(callback_id: str, values: dict[str, Any] | None = None, metadata: str = "") -> dict[str, Any]:
    return {
        "id": "V0MODAL",
        "type": "modal",
        "hash": "1.modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "blocks": [],
        "state": {"values": values or {}},
    }


def view_submission_payload(kindly: Kindly, view: dict[str, Any], who: Person) -> dict[str, Any]:
    return interaction(kindly, "view_submission", who, view=view)


def shortcut_payload(kindly: Kindly, callback_id: str, who: Person, *, message: bool) -> dict[str, Any]:
    if not message:
        return interaction(kindly, "shortcut", who, callback_id=callback_id, action_ts="1700000000.000001")
    return interaction(
        kindly,
        "message_action",
        who,
        callback_id=callback_id,
        action_ts="1700000000.000003",
        message_ts="1.1",
        message={"type": "message", "ts": "1.1", "user": "U0BOB", "text": "hello"},
        channel={"id": "C0SHOUTS", "name": "shout-outs"},
        response_url=kindly.fake.new_response_url(),
    )


def event_envelope(event: dict[str, Any], who: Person) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": who.team_id,
        "api_app_id": "A0APP0001",
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": who.team_id, "user_id": "U0BOT0001", "is_bot": True, "is_enterprise_install": False}
        ],
    }


def event_of(kind: str, who: Person) -> dict[str, Any]:
    if kind == "user_change":
        user = {"id": who.user_id, "team_id": who.team_id, "name": who.name, "tz": "Europe/Berlin"}
        return {"type": kind, "user": user, "event_ts": "1700000000.000100"}
    if kind == "app_home_opened":
        return {"type": kind, "user": who.user_id, "channel": "D0DM", "tab": "home", "event_ts": "1.2"}
    return {"type": kind, "user": who.user_id, "channel": "C0TEAM", "team": who.team_id}


# -- mutations ---------------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], dict[str, Any]]
ABSENT = object()


def _set(path: tuple[str | int, ...], value: Any) -> Mutation:
    def mutate(payload: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(payload)
        node: Any = changed
        for step in path[:-1]:
            node = node[step]
        if value is ABSENT:
            if isinstance(node, dict):
                node.pop(path[-1], None)
        else:
            node[path[-1]] = value
        return changed

    return mutate


def drop(*path: str | int) -> Mutation:
    return _set(path, ABSENT)


def put(value: Any, *path: str | int) -> Mutation:
    return _set(path, value)


WRONG_TYPES: tuple[Any, ...] = (None, 123, 1.5, True, [], ["x"], {}, "")

# Mutations that remove or spoil the signed identity: nothing may be written for them.
IDENTITY_MUTATIONS: dict[str, Mutation] = {
    "no user": drop("user"),
    "no team": drop("team"),
    "no user or team": lambda p: drop("team")(drop("user")(p)),
    **{f"user={v!r}": put(v, "user") for v in WRONG_TYPES},
    **{f"user.id={v!r}": put(v, "user", "id") for v in WRONG_TYPES},
    **{f"team={v!r}": put(v, "team") for v in WRONG_TYPES if v != {}},
    **{f"team.id={v!r}": put(v, "team", "id") for v in WRONG_TYPES},
}


def structure_mutations(*keys: str) -> dict[str, Mutation]:
    """Drop or mistype each of `keys` (top-level fields of an interaction payload)."""
    found: dict[str, Mutation] = {}
    for key in keys:
        found[f"no {key}"] = drop(key)
        for value in WRONG_TYPES:
            found[f"{key}={value!r}"] = put(value, key)
    return found


def with_identity(payload: dict[str, Any]) -> bool:
    user, team = payload.get("user"), payload.get("team")
    return (
        isinstance(user, dict)
        and isinstance(user.get("id"), str)
        and bool(user["id"])
        and isinstance(team, dict)
        and isinstance(team.get("id"), str)
        and bool(team["id"])
    )


def failures_in(records: list[logging.LogRecord]) -> list[str]:
    """Listener crashes the app's error handler logged (Slack API errors, e.g. a stale view hash, aside)."""
    return [
        f"{record.getMessage()}: {record.exc_info[1]!r}" if record.exc_info else record.getMessage()
        for record in records
        if record.name == "slackapp.listeners.errors"
        and record.levelno >= logging.ERROR
        and not record.getMessage().startswith("Slack API call failed")
    ]


def slack_text_since(kindly: Kindly, seen: int) -> str:
    """Every string in every call the fake recorded after the first `seen` calls."""
    return "\n".join(all_text(call.params) for call in kindly.fake.calls()[seen:])


def iterate_in_chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

"""The adversarial suite: malformed payloads, other people's ids, forged signatures, SQL-looking text and a
burst of concurrent commands, over every listener Kindly registers.

Every hostile request must get a 4xx or a 200 that does nothing; never a 5xx, never traceback text, never
half-written rows, and the app keeps serving afterwards.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fakeslack.to_app import post_to_app, signed_headers
from slackapp.practices.catalogue import ARRIVAL_CHOICES, PRACTICES
from slackapp.rendering.help import SUBCOMMANDS
from slackapp.store.hr_leads import add_hr_lead
from slackapp.store.models import HrLead, Member, Reflection, Schedule, Shoutout, TeamProgram
from slackapp.store.reflections import read_answers, read_meta
from tests.conftest import SIGNING_SECRET, Kindly
from tests.support.adversarial import (
    IDENTITY_MUTATIONS,
    SQL_INJECTIONS,
    Mutation,
    all_rows,
    block_action_payload,
    changed_tables,
    command_fields,
    event_envelope,
    event_of,
    failures_in,
    form_body,
    interaction,
    modal,
    payload_body,
    problem_with,
    put,
    registered_listeners,
    row_counts,
    shortcut_payload,
    slack_text_since,
    table_names,
    view_submission_payload,
)
from tests.support.journeys import open_journal, take_kind_moment, view_after
from tests.support.slack_requests import Person, Reply
from tests.support.views import all_text, buttons, fill

LISTENERS = registered_listeners()
GLOBAL_SHORTCUTS = ["take_kind_moment"]
MESSAGE_SHORTCUTS = [s for s in LISTENERS.shortcuts if s not in GLOBAL_SHORTCUTS]
WORDS = ["", *SUBCOMMANDS, "frobnicate"]
STRANGER = Person("U0FUZZ", "T0001", "fuzz")
SPOILED = Person("U0SPOILED", "T0SPOILED", "spoiled")  # sent with its identity removed or mistyped
STRANGER_MAY_WRITE = {
    "members",
    "processed_events",
    "schedules",
    "workspaces",
    "hr_leads",
    "audit_log",
    "export_files",  # `/kindly export` keeps the Slack ids of the person's own export files
}
FORM = "application/x-www-form-urlencoded"
JUNK_IDS: tuple[Any, ...] = (None, 123, ["U1"], {"id": "U1"})


def junk(*values: Any) -> tuple[Any, ...]:
    return values


def assert_still_serves(kindly: Kindly) -> None:
    reply = kindly.slack.command("help", who=Person("U0HELPER", "T0001", "helper"))
    assert reply.status == 200, reply
    assert "/kindly journal" in all_text(reply.json())


def send_payload(kindly: Kindly, payload: Any) -> Reply:
    return kindly.slack.post_raw(payload_body(payload), content_type=FORM)


def test_the_inventory_covers_what_this_suite_sends() -> None:
    assert LISTENERS.commands == ["/kindly"]
    assert {"journal", "remind", "pause", "resume", "shoutout", "team", "help"} <= set(SUBCOMMANDS)
    assert "take_kind_moment" in LISTENERS.shortcuts and len(MESSAGE_SHORTCUTS) >= 2
    assert len(LISTENERS.actions) >= 25 and len(LISTENERS.views) >= 8 and len(LISTENERS.events) >= 4


# -- 1. malformed payloads ---------------------------------------------------------------------------

BUG_EVENT_LIST = (
    "An event_callback whose event is a JSON list ({'type': 'event_callback', 'event': [1]}) answers 500 "
    "with an empty body: Bolt's event matchers call event.get(...) on the list, the error handler logs "
    "'listener failed during event_callback' and Bolt answers 500 (web.py only catches errors raised "
    "while building the request, not this one)."
)
BUG_VIEW_LIST = (
    "A view_submission whose view is a JSON list (view=[]) answers 500 with an empty body: Bolt routes it "
    "to the view listener, which calls view.get(...) on the list (views.py handlers via state.py) before "
    "ack()."
)
BUG_ACTION_WITHOUT_ID = (
    "A block_actions payload whose actions[0] has no action_id ({'type': 'button'}) answers 500 with an "
    "empty body: Bolt's action matcher raises KeyError on action['action_id'] while dispatching, after "
    "web.py's guard, and Bolt's error path answers 500."
)

RAW_BODIES: dict[str, tuple[bytes, str]] = {
    "non-UTF-8 form": (b"command=%2Fkindly&text=\xff\xfe\xfd", FORM),
    "non-UTF-8 JSON": (b'{"type": "\xc3\x28"}', "application/json"),
    "latin-1 body": ("text=café".encode("latin-1"), FORM),
    "over 1 MB": (b"payload=" + b"x" * 1_000_001, FORM),
    "an empty body": (b"", FORM),
    "an event_callback without an event": (
        b'{"type": "event_callback", "team_id": "T0001"}',
        "application/json",
    ),
    "url_verification without a challenge": (b'{"type": "url_verification"}', "application/json"),
    "a command without command": (form_body({"user_id": "U1", "team_id": "T0001", "text": "help"}), FORM),
    "a form without payload": (form_body({"type": "block_actions"}), FORM),
}
BROKEN_JSON_BODIES: dict[str, tuple[bytes, str]] = {
    "invalid JSON in payload=": (b"payload=%7Bnot+json", FORM),
    "truncated JSON in payload=": (form_body({"payload": '{"type": "block_actions", "user": {'}), FORM),
    "payload= is a JSON list": (form_body({"payload": "[1, 2, 3]"}), FORM),
    "payload= is JSON null": (form_body({"payload": "null"}), FORM),
    "payload= is a JSON string": (form_body({"payload": '"block_actions"'}), FORM),
    "payload= is a JSON number": (form_body({"payload": "42"}), FORM),
    "payload= is empty": (b"payload=", FORM),
    "a JSON body that is not JSON": (b'{"type": "event_callback", ', "application/json"),
    "a JSON body that is a list": (b"[]", "application/json"),
    "a JSON body that is null": (b"null", "application/json"),
    "a form body that starts with {": (b"{user_id=U1&command=/kindly", FORM),
    "an event that is a list": (
        json.dumps({"type": "event_callback", "team_id": "T0001", "event": [1]}).encode(),
        "application/json",
    ),
}


def check_body(kindly: Kindly, body: bytes, content_type: str) -> None:
    before = row_counts(kindly.runtime.engine)
    seen = len(kindly.fake.calls())
    reply = kindly.slack.post_raw(body, content_type=content_type)
    assert problem_with(reply) is None, problem_with(reply)
    assert_still_serves(kindly)
    kindly.settle()
    assert changed_tables(before, row_counts(kindly.runtime.engine)) == {}
    assert [c.method for c in kindly.fake.calls()[seen:] if c.method != "response_url"] == []


@pytest.mark.parametrize("name", list(RAW_BODIES))
def test_malformed_bodies_get_a_4xx_or_a_no_op_and_nothing_is_written(kindly: Kindly, name: str) -> None:
    check_body(kindly, *RAW_BODIES[name])


@pytest.mark.parametrize(
    "name",
    list(BROKEN_JSON_BODIES),
)
def test_invalid_json_gets_a_4xx(kindly: Kindly, name: str) -> None:
    check_body(kindly, *BROKEN_JSON_BODIES[name])


def test_unsigned_invalid_json_gets_401(kindly: Kindly) -> None:
    reply = post_to_app(kindly.slack.events_url, b"payload=%7B", content_type=FORM)
    assert reply.status == 401


Case = tuple[str, Callable[[], Reply], bool]


def run_cases(kindly: Kindly, caplog: pytest.LogCaptureFixture, cases: list[Case]) -> None:
    """Send every case, then check them all at once (listeners write after the ack, so count after settling).

    Cases whose identity is spoiled are built for SPOILED: no row may mention its user or team afterwards.
    The others (STRANGER: a valid identity with broken fields) may only touch that person's own rows.
    Payloads are built when sent: Slack's trigger ids expire after 3 s.
    """
    engine = kindly.runtime.engine
    before = row_counts(engine)
    problems: list[str] = []
    with caplog.at_level(logging.INFO):
        for name, send, _spoiled in cases:
            problem = problem_with(send())
            if problem:
                problems.append(f"{name}: {problem}")
        assert_still_serves(kindly)
        kindly.settle()
    spoiled_ids = (SPOILED.user_id, SPOILED.team_id)
    written = [row for row in all_rows(engine) if any(i in v for i in spoiled_ids for v in row[1])]
    assert problems == [], "\n".join(problems)
    assert written == [], f"rows written for requests without a valid identity: {written}"
    changed = changed_tables(before, row_counts(engine))
    assert set(changed) <= STRANGER_MAY_WRITE, changed


def _command_json(kindly: Kindly, word: str, who: Person, **changes: Any) -> Reply:
    """A slash command as a JSON body (Bolt accepts one): the only way to give its fields wrong types."""
    fields: dict[str, Any] = {**command_fields(kindly, word, who), **changes}
    return kindly.slack.post_raw(json.dumps(fields).encode(), content_type="application/json")


def _command_without(kindly: Kindly, word: str, who: Person, missing: str) -> Reply:
    fields = {k: v for k, v in command_fields(kindly, word, who).items() if k != missing}
    return kindly.slack.post_form(fields)


# Subcommands that answer in the ack, before anything needs the person: these must survive everything.
ACK_ONLY_WORDS = ["help", "frobnicate"]


def test_every_slash_subcommand_survives_missing_and_mistyped_fields(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    cases: list[Case] = []
    for word in WORDS:
        for missing in ("text", "response_url", "channel_id", "user_name", "team_domain"):
            cases.append(
                (
                    f"/kindly {word!r} without {missing}",
                    partial(_command_without, kindly, word, STRANGER, missing),
                    False,
                )
            )
        for key, value in (("channel_id", None), ("channel_id", 5), ("user_name", []), ("response_url", 7)):
            label = f"/kindly {word!r} with {key}={value!r}"
            cases.append((label, partial(_command_json, kindly, word, STRANGER, **{key: value}), False))
    for word in ACK_ONLY_WORDS:
        for missing in ("user_id", "team_id", "trigger_id"):
            label = f"/kindly {word!r} without {missing}"
            cases.append(
                (label, partial(_command_without, kindly, word, SPOILED, missing), missing != "trigger_id")
            )
        for key in ("user_id", "team_id", "trigger_id"):
            for value in JUNK_IDS:
                label = f"/kindly {word!r} with {key}={value!r}"
                send = partial(_command_json, kindly, word, SPOILED, **{key: value})
                cases.append((label, send, key != "trigger_id"))
    run_cases(kindly, caplog, cases)


@pytest.mark.parametrize("word", [w for w in WORDS if w not in ACK_ONLY_WORDS])
def test_a_subcommand_without_a_user_gets_a_4xx_or_a_no_op(kindly: Kindly, word: str) -> None:
    reply = _command_without(kindly, word, SPOILED, "user_id")
    assert problem_with(reply) is None, problem_with(reply)


def test_a_command_with_a_non_string_text_gets_a_4xx_or_a_no_op(kindly: Kindly) -> None:
    reply = _command_json(kindly, "", STRANGER, text=123)
    assert problem_with(reply) is None, problem_with(reply)


def test_a_command_without_a_trigger_id_does_not_crash_its_listener(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        reply = _command_without(kindly, "journal", STRANGER, "trigger_id")
        kindly.settle()
    assert reply.status < 500
    assert failures_in(caplog.records) == []


# Buttons Kindly puts on messages (DMs); the others live on the App Home or in modals.
VALUE_ACTIONS = {  # buttons whose value names something
    "journal_entry_open", "journal_page", "kintsugi_start", "shoutout_remove", "program_toggle",
    "program_delete", "program_insights", "hr_lead_remove", "prompt_helped",
}  # fmt: skip
SLACK_VIEW_ACTIONS = {"journal_page", "remind_off"}
MESSAGE_ACTIONS = {
    "reminder_not_today",
    "reminder_pause_week",
    "shoutout_remove",
    "prompt_helped",
    "prompt_opt_out",
}
HUB = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
SAFE_IDENTITY_MUTATIONS = {
    name: mutation
    for name, mutation in IDENTITY_MUTATIONS.items()
    if not any(f"={kind}" in name for kind in ("123", "1.5", "True"))
}
MISTYPED_IDENTITY = {
    name: m
    for name, m in IDENTITY_MUTATIONS.items()
    if name not in SAFE_IDENTITY_MUTATIONS and name.startswith(("user=", "team="))
}


def _action(kindly: Kindly, action_id: str, who: Person, in_message: bool, mutate: Mutation) -> Reply:
    payload = block_action_payload(kindly, action_id, who, in_message=in_message)
    return send_payload(kindly, mutate(payload))


def test_every_action_survives_missing_and_mistyped_fields(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    mutations: dict[str, tuple[Mutation, bool]] = {
        **{
            f"actions[0].value={v!r}": (put(v, "actions", 0, "value"), False)
            for v in junk(None, 12, ["1"], {"v": 1}, "-1", "1e3", "", "0" * 30)
        },
        "no actions": (lambda p: {k: v for k, v in p.items() if k != "actions"}, False),
    }
    cases: list[Case] = []
    for action_id in LISTENERS.actions:
        if action_id in SLACK_VIEW_ACTIONS:
            continue  # they update the view they were pressed in: covered with real views below
        for in_message in (True,) if action_id in MESSAGE_ACTIONS else (False,):
            for name, (mutate, spoiled) in mutations.items():
                if action_id not in VALUE_ACTIONS and name not in {"no actions", "actions[0].value=None"}:
                    continue
                who = SPOILED if spoiled else STRANGER
                label = f"{action_id} ({'message' if in_message else 'modal'}) {name}"
                cases.append((label, partial(_action, kindly, action_id, who, in_message, mutate), spoiled))
    run_cases(kindly, caplog, cases)


@pytest.mark.parametrize(
    "shape",
    [
        "actions=[]",
        "actions[0] has no action_id",
    ],
)
def test_an_action_without_an_action_gets_a_4xx_or_a_no_op(kindly: Kindly, shape: str) -> None:
    mutate = put([], "actions") if shape == "actions=[]" else put({"type": "button"}, "actions", 0)
    reply = _action(kindly, "journal_open", STRANGER, False, mutate)
    assert problem_with(reply) is None, problem_with(reply)


BUG_MESSAGE_BUTTON_ELSEWHERE = (
    "A message button (shoutout_remove, prompt_helped, prompt_opt_out, reminder_not_today) sent without "
    "a response_url (e.g. from a modal or the App Home) crashes after ack(): actions.py calls respond(...), "
    "and Bolt passes respond=None when the payload has no response_url (TypeError). Observed as a 404 "
    "after 3 s. It should be a no-op."
)


@pytest.mark.parametrize("action_id", sorted(MESSAGE_ACTIONS - {"reminder_pause_week"}))
def test_a_message_button_pressed_elsewhere_does_not_crash(
    kindly: Kindly, caplog: pytest.LogCaptureFixture, action_id: str
) -> None:
    with caplog.at_level(logging.INFO):
        reply = _action(kindly, action_id, STRANGER, False, lambda p: p)
        kindly.settle()
    assert problem_with(reply) is None, problem_with(reply)
    assert failures_in(caplog.records) == []


@pytest.mark.parametrize("name", sorted(MISTYPED_IDENTITY))
def test_a_mistyped_user_or_team_gets_a_4xx_or_a_no_op(kindly: Kindly, name: str) -> None:
    reply = _action(kindly, "shoutouts_receive_toggle", SPOILED, False, MISTYPED_IDENTITY[name])
    assert problem_with(reply) is None, problem_with(reply)


def test_an_action_without_a_trigger_id_does_not_crash_its_listener(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        reply = _action(
            kindly,
            "journal_open",
            STRANGER,
            False,
            lambda p: {k: v for k, v in p.items() if k != "trigger_id"},
        )
        kindly.settle()
    assert reply.status < 500
    assert failures_in(caplog.records) == []


@pytest.mark.parametrize("name", ["no user", "user.id=None", "user.id=''", "no user or team"])
def test_an_action_without_a_user_is_refused_without_a_crash(
    kindly: Kindly, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    with caplog.at_level(logging.INFO):
        reply = _action(kindly, "shoutouts_receive_toggle", SPOILED, False, IDENTITY_MUTATIONS[name])
        kindly.settle()
    assert problem_with(reply) is None, problem_with(reply)
    assert failures_in(caplog.records) == []


@pytest.mark.parametrize(
    ("action_id", "value"),
    [("journal_page", "²"), ("program_toggle", "²"), ("prompt_helped", "²"), ("program_insights", "9" * 40)],
    ids=[
        "journal_page-superscript",
        "program_toggle-superscript",
        "prompt_helped-superscript",
        "insights-40-digits",
    ],
)
def test_digit_like_button_values_mean_not_found(
    kindly: Kindly, caplog: pytest.LogCaptureFixture, action_id: str, value: str
) -> None:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    with caplog.at_level(logging.INFO):
        in_message = action_id in MESSAGE_ACTIONS
        payload = block_action_payload(kindly, action_id, HANNA, value=value, view=HUB, in_message=in_message)
        reply = send_payload(kindly, payload)
        kindly.settle()
    assert problem_with(reply) is None, problem_with(reply)
    assert failures_in(caplog.records) == []


STATE_JUNK: tuple[Any, ...] = (
    None,
    7,
    "text",
    [],
    [1, "a"],
    {"answer": None},
    {"answer": 5},
    {"choice": "x"},
    {"choice": {"value": 3, "selected_option": "x", "selected_options": {"value": "1"}}},
    {"choice": {"selected_user": ["U1"], "selected_time": 900, "selected_date": ["2027-01-01"]}},
    {"choice": {"selected_conversation": {"id": "C1"}, "selected_options": [None, 3, {"value": 4}]}},
)
BLOCK_IDS = (
    "arrival", "critic", "words", "need", "lesson", "gold", "entry", "days", "time", "pause_until",
    "what_happened", "kindness", "coach", "loved_one", "flaw", "acceptance", "give", "what_matters",
    "recipient", "strength", "note", "signed", "channel", "mode", "digest_day", "digest_time",
    "blocked_words", "extra_strengths", "shoutout", "name", "usergroup", "weekday", "start", "themes",
    "support_text", "support_url", "retention_days", "anonymity_k", "confirm",
)  # fmt: skip


def _submission(kindly: Kindly, callback_id: str, who: Person, mutate: Mutation) -> Reply:
    return send_payload(kindly, mutate(view_submission_payload(kindly, modal(callback_id), who)))


def test_every_view_submission_survives_wrong_state_and_metadata(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    mutations: dict[str, Mutation] = {
        "no trigger_id": lambda p: {k: v for k, v in p.items() if k != "trigger_id"},
        "view.state={}": put({}, "view", "state"),
        **{f"view.state.values={v!r}": put(v, "view", "state", "values") for v in junk(None, 1, "s", [])},
        **{f"view.private_metadata={v!r}": put(v, "view", "private_metadata") for v in junk(None, {})},
        **{
            f"view.private_metadata={v!r}": put(v, "view", "private_metadata")
            for v in (
                *("{", "[]", '"x"', "1", "null", '{"channel": 1, "ts": []}', '{"practice": ["x"]}'),
                *(
                    '{"practice": "kind_coach", "wording": ' + w + "}"
                    for w in ('"x"', "1e400", "-1", "9" * 40)
                ),
            )
        },
        **{
            f"every block's state is junk #{n}": put(
                dict.fromkeys(BLOCK_IDS, junk), "view", "state", "values"
            )
            for n, junk in enumerate(STATE_JUNK)
        },
    }
    cases: list[Case] = [
        (f"{callback_id} {name}", partial(_submission, kindly, callback_id, STRANGER, mutate), False)
        for callback_id in LISTENERS.views
        for name, mutate in mutations.items()
    ]
    run_cases(kindly, caplog, cases)


@pytest.mark.parametrize("callback_id", [v for v in LISTENERS.views if v != "kind_moment_practice"])
def test_a_view_submission_without_a_user_gets_a_4xx_or_a_no_op(kindly: Kindly, callback_id: str) -> None:
    reply = _submission(kindly, callback_id, SPOILED, lambda p: {k: v for k, v in p.items() if k != "user"})
    assert problem_with(reply) is None, problem_with(reply)


@pytest.mark.parametrize(
    "mutation",
    [
        "view=null",
        "view=[]",
        "view.state=null",
        "view.state='s'",
    ],
)
def test_a_view_submission_with_a_mistyped_view_gets_a_4xx_or_a_no_op(kindly: Kindly, mutation: str) -> None:
    mutate = {
        "view=null": put(None, "view"),
        "view=[]": put([], "view"),
        "view.state=null": put(None, "view", "state"),
        "view.state='s'": put("s", "view", "state"),
    }[mutation]
    reply = _submission(kindly, "remind_settings", STRANGER, mutate)
    assert problem_with(reply) is None, problem_with(reply)


def test_a_practice_with_a_numeric_private_metadata_gets_a_4xx_or_a_no_op(kindly: Kindly) -> None:
    reply = _submission(kindly, "kind_moment_practice", STRANGER, put(9, "view", "private_metadata"))
    assert problem_with(reply) is None, problem_with(reply)


def _shortcut(kindly: Kindly, callback_id: str, who: Person, mutate: Mutation) -> Reply:
    payload = shortcut_payload(kindly, callback_id, who, message=callback_id in MESSAGE_SHORTCUTS)
    return send_payload(kindly, mutate(payload))


def _event(kindly: Kindly, kind: str, who: Person, mutate: Mutation) -> Reply:
    body = json.dumps(mutate(event_envelope(event_of(kind, who), who))).encode()
    return kindly.slack.post_raw(body, content_type="application/json")


def test_every_shortcut_and_event_survives_missing_and_mistyped_fields(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    cases: list[Case] = []
    shortcut_mutations: dict[str, Mutation] = {
        **{f"message={v!r}": put(v, "message") for v in junk(None, 123, [], "", {})},
        **{f"channel={v!r}": put(v, "channel") for v in junk(None, [], "", {})},
        "message.user=123": put({"ts": "1.1", "user": 123}, "message"),
        "message.ts=[]": put({"ts": [], "user": "U0BOB"}, "message"),
        "channel.id=null": put({"id": None}, "channel"),
    }
    for callback_id in LISTENERS.shortcuts:
        for name, mutate in shortcut_mutations.items():
            send = partial(_shortcut, kindly, callback_id, STRANGER, mutate)
            cases.append((f"{callback_id} {name}", send, False))
    event_mutations: dict[str, tuple[Mutation, bool]] = {
        "no team_id": (
            lambda e: {k: v for k, v in e.items() if k not in {"team_id", "authorizations"}},
            True,
        ),
        **{f"event.user={v!r}": (put(v, "event", "user"), True) for v in junk(None, [], {})},
        "no event.user": (
            lambda e: {**e, "event": {k: v for k, v in e["event"].items() if k != "user"}},
            True,
        ),
        **{f"event.channel={v!r}": (put(v, "event", "channel"), False) for v in junk(None, [])},
        **{f"event_id={v!r}": (put(v, "event_id"), False) for v in junk(None, 5, [], "")},
        **{f"event.tab={v!r}": (put(v, "event", "tab"), False) for v in (None, 5, "messages")},
        "event.user.tz=5": (put({"id": STRANGER.user_id, "tz": 5}, "event", "user"), False),
        "event.user.tz=Mars/Olympus": (
            put({"id": STRANGER.user_id, "tz": "Mars/Olympus"}, "event", "user"),
            False,
        ),
    }
    for kind in LISTENERS.events:
        for name, (mutate, spoiled) in event_mutations.items():
            who = SPOILED if spoiled else STRANGER
            cases.append((f"{kind} {name}", partial(_event, kindly, kind, who, mutate), spoiled))
    run_cases(kindly, caplog, cases)


@pytest.mark.parametrize("kind", LISTENERS.events)
def test_an_event_with_a_numeric_user_or_channel_gets_a_4xx_or_a_no_op(kindly: Kindly, kind: str) -> None:
    replies = [
        _event(kindly, kind, STRANGER, put(5, "event", "user")),
        _event(kindly, kind, STRANGER, put(5, "event", "channel")),
    ]
    assert [problem_with(reply) for reply in replies] == [None, None]


@pytest.mark.parametrize("callback_id", LISTENERS.shortcuts)
def test_a_shortcut_with_a_numeric_channel_gets_a_4xx_or_a_no_op(kindly: Kindly, callback_id: str) -> None:
    reply = _shortcut(kindly, callback_id, STRANGER, put(123, "channel"))
    assert problem_with(reply) is None, problem_with(reply)


def test_unknown_ids_get_a_4xx_or_a_no_op(kindly: Kindly) -> None:
    before = row_counts(kindly.runtime.engine)
    sends: dict[str, Callable[[], Reply]] = {
        "action": lambda: send_payload(kindly, block_action_payload(kindly, "no_such_action", STRANGER)),
        "view": lambda: send_payload(
            kindly, view_submission_payload(kindly, modal("no_such_view"), STRANGER)
        ),
        "shortcut": lambda: send_payload(kindly, shortcut_payload(kindly, "nope", STRANGER, message=False)),
        "message shortcut": lambda: send_payload(
            kindly, shortcut_payload(kindly, "nope", STRANGER, message=True)
        ),
        "event": lambda: kindly.slack.event(
            {"type": "no_such_event", "user": STRANGER.user_id}, who=STRANGER
        ),
        "interaction type": lambda: send_payload(kindly, interaction(kindly, "no_such_type", STRANGER)),
        "command": lambda: kindly.slack.post_form(
            {**command_fields(kindly, "", STRANGER), "command": "/unkindly"}
        ),
    }
    for name, send in sends.items():
        reply = send()
        assert problem_with(reply) is None, (name, problem_with(reply))
    assert_still_serves(kindly)
    kindly.settle()
    assert changed_tables(before, row_counts(kindly.runtime.engine)) == {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    callback_id=st.sampled_from(LISTENERS.views),
    values=st.dictionaries(
        st.sampled_from(BLOCK_IDS),
        st.dictionaries(
            st.sampled_from(["answer", "choice"]),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=2,
        ),
        max_size=6,
    ),
)
def test_arbitrary_state_values_never_break_a_view_submission(
    kindly: Kindly, callback_id: str, values: dict[str, Any]
) -> None:
    reply = _submission(kindly, callback_id, STRANGER, put(values, "view", "state", "values"))
    assert problem_with(reply) is None, (callback_id, values, problem_with(reply))


# -- 2. other people's ids: cross-user and cross-workspace -----------------------------------------

ALICE = Person("U0ALICE", "T0001", "alice")  # the victim: her reflection and reminder
BOB = Person("U0BOB", "T0001", "bob")  # a victim: the shout-out is about him
HANNA = Person("U0HANNA", "T0001", "hanna")  # the workspace's HR lead (an admin)
MALLORY = Person("U0MALLORY", "T0001", "mallory")  # another member of the same workspace
ALICE_ELSEWHERE = Person("U0ALICE", "T0002", "alice")  # the same user id in another workspace
HANNA_ELSEWHERE = Person("U0HANNA", "T0002", "hanna")  # an admin of another workspace, same user id
NAMED_LEAD = "U0LEAD"
SHOUT_CHANNEL = "C0SHOUTS"
TEAM_CHANNEL = "C0TEAM"
SECRET = "my secret reflection zq81"
NOTE = "a note only bob should read zq82"
PROGRAM_NAME = "Quiet program zq83"


def hub_of(kindly: Kindly, who: Person) -> dict[str, Any]:
    hub = view_after(kindly, "views.open", lambda: kindly.slack.command("team", who=who))
    return {**hub, "id": "V0TEAM", "hash": "1.team"}


def configure_shoutout_channel(kindly: Kindly) -> None:
    hub = hub_of(kindly, HANNA)
    view = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("shoutout_settings_open", view=hub, who=HANNA)
    )
    submitted = fill(view, {"mode": "immediate", "digest_day": "4", "digest_time": "15:00"})
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": SHOUT_CHANNEL}
    }
    assert kindly.slack.view_submission(submitted, who=HANNA).json()["response_action"] == "clear"


def send_shoutout(kindly: Kindly, *, note: str, who: Person = ALICE, to: str = BOB.user_id) -> dict[str, Any]:
    view = view_after(kindly, "views.open", lambda: kindly.slack.command("shoutout", who=who))
    submitted = fill({**view, "id": "V0SHOUT"}, {"note": note, "signed": "anonymous"})
    values = submitted["state"]["values"]
    values["recipient"] = {"choice": {"type": "users_select", "selected_user": to}}
    values["strength"] = {"choice": {"type": "static_select", "selected_option": {"value": "kindness"}}}
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=who).json()
    return reply


def start_program(kindly: Kindly, *, name: str = PROGRAM_NAME) -> dict[str, Any]:
    hub = hub_of(kindly, HANNA)
    form = view_after(
        kindly, "views.push", lambda: kindly.slack.block_action("program_new", view=hub, who=HANNA)
    )
    answers = {"name": name, "weekday": "0", "time": "10:00", "start": "2027-01-04", "themes": ["rest"]}
    submitted = fill(form, answers)
    submitted["state"]["values"]["channel"] = {
        "choice": {"type": "conversations_select", "selected_conversation": TEAM_CHANNEL}
    }
    reply: dict[str, Any] = kindly.slack.view_submission(submitted, who=HANNA).json()
    return reply


class Victims:
    """Real data of real people, created through Slack as they would create it."""

    def __init__(self, kindly: Kindly) -> None:
        for person in (ALICE, BOB, MALLORY):
            kindly.fake.set_user(person.user_id, tz="Europe/Berlin")
        kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
        kindly.fake.set_user(NAMED_LEAD, tz="Europe/Berlin")
        kindly.fake.set_channel_members(TEAM_CHANNEL, [ALICE.user_id, BOB.user_id])
        take_kind_moment(kindly, text=SECRET, who=ALICE)
        configure_shoutout_channel(kindly)
        assert send_shoutout(kindly, note=NOTE)["response_action"] == "update"
        assert start_program(kindly)["response_action"] == "update"
        services = kindly.runtime.services
        with services.sessions.begin() as session:
            add_hr_lead(session, team_id=HANNA.team_id, user_id=NAMED_LEAD, now=services.clock())
        kindly.idle()  # the shout-out's delivery and the program's enrolment go on after their acks
        with kindly.runtime.services.sessions.begin() as session:
            self.entry_id = str(session.scalars(select(Reflection.id)).one())
            shoutout = session.scalars(select(Shoutout)).one()
            self.shoutout_id, self.channel, self.ts = str(shoutout.id), shoutout.channel, shoutout.ts
            self.program_id = str(session.scalars(select(TeamProgram.id)).one())
            assert session.scalars(select(HrLead.user_id)).all() == [NAMED_LEAD]
        self.secrets = (SECRET, NOTE, PROGRAM_NAME, self.entry_id, self.shoutout_id)


def attempts(kindly: Kindly, victims: Victims, who: Person) -> list[tuple[str, Callable[[], Reply]]]:
    """Every request that carries an id (or acts on 'my' data), aimed at the victims' data."""
    slack = kindly.slack
    hub = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
    journal = {"id": "V0JOURNAL", "type": "modal", "callback_id": "journal", "hash": "1.j", "blocks": []}
    message = {"type": "message", "ts": victims.ts or "1.1", "bot_id": "B0BOT0001", "blocks": []}
    kintsugi = modal(
        "kind_moment_practice",
        {
            "entry": {"choice": {"type": "static_select", "selected_option": {"value": victims.entry_id}}},
            "lesson": {"answer": {"type": "plain_text_input", "value": "what I take from your pain"}},
        },
        metadata=json.dumps({"practice": "kintsugi"}),
    )
    removal = modal(
        "remove_shoutout",
        {
            "shoutout": {
                "choice": {"type": "static_select", "selected_option": {"value": victims.shoutout_id}}
            }
        },
        metadata=json.dumps({"channel": victims.channel, "ts": victims.ts}),
    )

    def action(action_id: str, value: str | None, view: dict[str, Any] | None = None) -> Callable[[], Reply]:
        return lambda: slack.block_action(action_id, value=value, who=who, view=view)

    def in_message(action_id: str, value: str | None) -> Callable[[], Reply]:
        return lambda: slack.message_action(action_id, message=message, who=who, value=value)

    def lead_add() -> Reply:
        payload = block_action_payload(kindly, "hr_lead_add", who, view=hub)
        payload["actions"][0] = {
            "type": "users_select",
            "action_id": "hr_lead_add",
            "selected_user": NAMED_LEAD,
        }
        return send_payload(kindly, payload)

    return [
        ("journal_entry_open (home)", action("journal_entry_open", victims.entry_id)),
        ("journal_entry_open (over a modal)", action("journal_entry_open", victims.entry_id, journal)),
        ("kintsugi_start", action("kintsugi_start", victims.entry_id)),
        ("kintsugi_start (over a modal)", action("kintsugi_start", victims.entry_id, journal)),
        ("journal_page", action("journal_page", "0", journal)),
        ("journal_open", action("journal_open", None)),
        ("kintsugi submission with her entry", lambda: slack.view_submission(kintsugi, who=who)),
        ("shoutout_remove", in_message("shoutout_remove", victims.shoutout_id)),
        ("remove_shoutout submission", lambda: slack.view_submission(removal, who=who)),
        (
            "remove_shoutout shortcut",
            lambda: slack.message_shortcut(
                "remove_shoutout", message=message, channel=victims.channel or "", who=who
            ),
        ),
        ("prompt_helped", in_message("prompt_helped", victims.program_id)),
        ("prompt_opt_out", in_message("prompt_opt_out", victims.program_id)),
        ("program_toggle", action("program_toggle", victims.program_id, hub)),
        ("program_insights", action("program_insights", victims.program_id, hub)),
        ("program_delete", action("program_delete", victims.program_id, hub)),
        ("hr_lead_remove", action("hr_lead_remove", NAMED_LEAD, hub)),
        ("hr_lead_add", lead_add),
        ("team_open", action("team_open", None, hub)),
        ("remind_off", action("remind_off", None, {**journal, "callback_id": "remind_settings"})),
        ("reminder_pause_week", in_message("reminder_pause_week", None)),
        ("reminder_not_today", in_message("reminder_not_today", None)),
        ("reminders_resume", action("reminders_resume", None)),
        ("shoutouts_receive_toggle", action("shoutouts_receive_toggle", None)),
        ("team_prompts_toggle", action("team_prompts_toggle", None)),
        ("kind_moment_open", action("kind_moment_open", None)),
        ("kind_moment_back", action("kind_moment_back", "revisiting", {**journal, "id": "V0PRACTICE"})),
        ("/kindly", lambda: slack.command("", who=who)),
        ("/kindly journal", lambda: slack.command("journal", who=who)),
        ("/kindly team", lambda: slack.command("team", who=who)),
        ("/kindly pause", lambda: slack.command("pause", who=who)),
        ("/kindly resume", lambda: slack.command("resume", who=who)),
        ("take_kind_moment", lambda: slack.shortcut("take_kind_moment", who=who)),
        ("app_home_opened", lambda: slack.home_opened(who=who)),
        ("user_change", lambda: slack.user_changed(tz="Pacific/Kiritimati", who=who)),
        ("member_left_channel", lambda: slack.member_left(channel=TEAM_CHANNEL, who=who)),
    ]


@pytest.mark.parametrize(
    "attacker", [MALLORY, ALICE_ELSEWHERE, HANNA_ELSEWHERE], ids=lambda p: p.name + "@" + p.team_id
)
def test_other_people_get_nothing_of_the_victims(
    kindly: Kindly, attacker: Person, caplog: pytest.LogCaptureFixture
) -> None:
    victims = Victims(kindly)
    kindly.fake.set_user(attacker.user_id, tz="Europe/Berlin", is_admin=attacker == HANNA_ELSEWHERE)
    engine = kindly.runtime.engine
    before = all_rows(engine)
    seen = len(kindly.fake.calls())
    replies: dict[str, Reply] = {}
    with caplog.at_level(logging.INFO):
        for name, send in attempts(kindly, victims, attacker):
            replies[name] = send()
        assert_still_serves(kindly)
        kindly.settle()
    for name, reply in replies.items():
        assert problem_with(reply) is None, (name, problem_with(reply))
    shown = slack_text_since(kindly, seen) + "\n".join(
        r.body.decode("utf-8", "replace") for r in replies.values()
    )
    leaked = [secret for secret in victims.secrets if secret in shown]
    assert leaked == [], f"{attacker} saw {leaked}"
    revisit = [a.words for a in ARRIVAL_CHOICES if PRACTICES[a.practice].revisits_entry]
    assert revisit and not [words for words in revisit if words in shown], (
        "the arrival view told the attacker the victim has entries"
    )
    after = all_rows(engine)
    assert sorted(before - after) == [], "rows of the victims changed or disappeared"
    kintsugi_reply = replies["kintsugi submission with her entry"].json()
    assert kintsugi_reply["response_action"] == "errors"
    assert replies["remove_shoutout submission"].json()["response_action"] == "errors"
    assert failures_in(caplog.records) == []


# -- 3. replayed and forged signatures ---------------------------------------------------------------


def practice_submission(kindly: Kindly, who: Person, answers: dict[str, str]) -> dict[str, Any]:
    """A friend's-words practice submitted as Slack would send it: accepted, it stores a reflection."""
    values = {key: {"answer": {"type": "plain_text_input", "value": text}} for key, text in answers.items()}
    view = modal("kind_moment_practice", values, metadata=json.dumps({"practice": "friends_words"}))
    return view_submission_payload(kindly, view, who)


def signed_requests(kindly: Kindly) -> dict[str, tuple[bytes, str]]:
    """One request of each kind that would store something or call Slack if it were accepted."""
    return {
        "command": (form_body(command_fields(kindly, "", STRANGER)), FORM),
        "pause": (form_body(command_fields(kindly, "pause", STRANGER)), FORM),
        "view_submission": (
            payload_body(practice_submission(kindly, STRANGER, {"critic": "forged", "words": "forged"})),
            FORM,
        ),
        "block_actions": (
            payload_body(block_action_payload(kindly, "shoutouts_receive_toggle", STRANGER)),
            FORM,
        ),
        "shortcut": (
            payload_body(shortcut_payload(kindly, "take_kind_moment", STRANGER, message=False)),
            FORM,
        ),
        "message_action": (
            payload_body(shortcut_payload(kindly, "send_shoutout", STRANGER, message=True)),
            FORM,
        ),
        "event": (
            json.dumps(event_envelope(event_of("app_home_opened", STRANGER), STRANGER)).encode(),
            "application/json",
        ),
    }


def forgeries(body: bytes) -> dict[str, tuple[bytes, dict[str, str]]]:
    now = int(time.time())
    altered = body.replace(b"U0FUZZ", b"U0EVIL")
    assert altered != body
    return {
        "replayed after 6 minutes": (body, signed_headers(SIGNING_SECRET, body, timestamp=now - 360)),
        "timestamp 6 minutes ahead": (body, signed_headers(SIGNING_SECRET, body, timestamp=now + 360)),
        "signed with another secret": (body, signed_headers("another-apps-signing-secret", body)),
        "body altered after signing": (altered, signed_headers(SIGNING_SECRET, body)),
        "no signature headers": (body, {}),
        "no signature": (body, {"X-Slack-Request-Timestamp": str(now)}),
        "no timestamp": (
            body,
            {"X-Slack-Signature": signed_headers(SIGNING_SECRET, body)["X-Slack-Signature"]},
        ),
        "empty signature": (body, {**signed_headers(SIGNING_SECRET, body), "X-Slack-Signature": ""}),
        "v1 signature": (
            body,
            {
                **signed_headers(SIGNING_SECRET, body),
                "X-Slack-Signature": signed_headers(SIGNING_SECRET, body)["X-Slack-Signature"].replace(
                    "v0=", "v1="
                ),
            },
        ),
        "signature of an empty body": (body, signed_headers(SIGNING_SECRET, b"")),
    }


def test_replayed_and_forged_signatures_get_401_and_nothing_happens(kindly: Kindly) -> None:
    engine = kindly.runtime.engine
    before, tables = row_counts(engine), table_names(engine)
    seen = len(kindly.fake.calls())
    answers: dict[str, int] = {}
    for kind, (body, content_type) in signed_requests(kindly).items():
        for name, (sent, headers) in forgeries(body).items():
            reply = post_to_app(kindly.slack.events_url, sent, content_type=content_type, headers=headers)
            answers[f"{kind}: {name}"] = reply.status
            assert not problem_with(reply) or reply.status == 401, problem_with(reply)
    assert {name: status for name, status in answers.items() if status != 401} == {}
    assert_still_serves(kindly)
    kindly.settle()
    assert [c.method for c in kindly.fake.calls()[seen:]] == []
    assert changed_tables(before, row_counts(engine)) == {} and table_names(engine) == tables


def test_the_genuine_request_is_accepted_so_the_refusals_above_mean_something(kindly: Kindly) -> None:
    body, content_type = signed_requests(kindly)["view_submission"]
    reply = post_to_app(
        kindly.slack.events_url, body, content_type=content_type, headers=signed_headers(SIGNING_SECRET, body)
    )
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    kindly.settle()
    assert row_counts(kindly.runtime.engine)["reflections"] == 1


def test_a_non_numeric_timestamp_gets_401(kindly: Kindly) -> None:
    body, content_type = signed_requests(kindly)["command"]
    headers = {**signed_headers(SIGNING_SECRET, body), "X-Slack-Request-Timestamp": "soon"}
    reply = post_to_app(kindly.slack.events_url, body, content_type=content_type, headers=headers)
    assert reply.status == 401


# -- 4. SQL-looking text is data ---------------------------------------------------------------------


def _shown_answers(kindly: Kindly, entry_id: str, who: Person) -> str:
    entry = view_after(
        kindly, "views.open", lambda: kindly.slack.block_action("journal_entry_open", value=entry_id, who=who)
    )
    return all_text(entry)


def test_sql_looking_reflections_are_kept_as_written_and_read_back_through_the_journal(
    kindly: Kindly, caplog: pytest.LogCaptureFixture
) -> None:
    engine = kindly.runtime.engine
    tables = table_names(engine)
    with caplog.at_level(logging.INFO):
        for text in SQL_INJECTIONS:
            reply = kindly.slack.view_submission(
                practice_submission(kindly, ALICE, {"critic": f"[{text}]", "words": text})["view"],
                who=ALICE,
            ).json()
            assert reply["response_action"] == "update", (text, reply)
        journal = open_journal(kindly, ALICE)
        assert buttons(journal), "the journal lists the entries"
        with kindly.runtime.services.sessions.begin() as session:
            ids = [str(i) for i in session.scalars(select(Reflection.id).order_by(Reflection.created_at))]
        shown = [_shown_answers(kindly, entry_id, ALICE) for entry_id in ids]
        assert_still_serves(kindly)
        kindly.settle()
    assert table_names(engine) == tables
    assert len(ids) == len(SQL_INJECTIONS)
    for text in SQL_INJECTIONS:
        assert any(f"[{text}]" in page for page in shown), f"{text!r} was not read back as written"
    assert failures_in(caplog.records) == []


REFUSED_FORMS = ("remind_settings", "program_create")  # nothing in them is a day, a time or a date

INJECTION_ENTRY_POINTS = (
    "kintsugi lesson",
    "shout-out note",
    "command text",
    "button values",
    "private_metadata",
    "block ids",
)


@pytest.mark.parametrize("text", [SQL_INJECTIONS[0], SQL_INJECTIONS[1], "%", "_", "nul\x00inside"])
def test_sql_looking_text_in_every_other_field_is_inert(
    kindly: Kindly, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    engine = kindly.runtime.engine
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    kindly.fake.set_user(BOB.user_id, tz="Europe/Berlin")
    kindly.fake.set_user(ALICE.user_id, tz="Europe/Berlin")
    tables = table_names(engine)
    replies: list[tuple[str, Reply]] = []
    with caplog.at_level(logging.INFO):
        take_kind_moment(kindly, text="an old difficulty", who=ALICE)
        with kindly.runtime.services.sessions.begin() as session:
            entry_id = str(session.scalars(select(Reflection.id)).one())
        # kintsugi lesson
        kintsugi = modal(
            "kind_moment_practice",
            {
                "entry": {"choice": {"type": "static_select", "selected_option": {"value": entry_id}}},
                "lesson": {"answer": {"type": "plain_text_input", "value": f"lesson {text}"}},
                "gold": {"answer": {"type": "plain_text_input", "value": text}},
            },
            metadata=json.dumps({"practice": "kintsugi"}),
        )
        kept = kindly.slack.view_submission(kintsugi, who=ALICE).json()
        assert kept["response_action"] == "update", kept
        # shout-out note, read back in the recipient's DM
        assert send_shoutout(kindly, note=f"note {text}")["response_action"] == "update"
        # settings text fields (HR lead)
        settings_view = modal(
            "shoutout_settings",
            {
                "mode": {"choice": {"type": "static_select", "selected_option": {"value": "immediate"}}},
                "blocked_words": {"answer": {"type": "plain_text_input", "value": text}},
                "extra_strengths": {"answer": {"type": "plain_text_input", "value": f"grit {text}"}},
            },
        )
        replies.append(("shoutout_settings", kindly.slack.view_submission(settings_view, who=HANNA)))
        support_view = modal(
            "support_settings",
            {
                "support_text": {"answer": {"type": "plain_text_input", "value": f"call {text}"}},
                "support_url": {
                    "answer": {"type": "plain_text_input", "value": f"https://eap.example/{text}"}
                },
                "retention_days": {"answer": {"type": "plain_text_input", "value": text}},
            },
        )
        replies.append(("support_settings", kindly.slack.view_submission(support_view, who=HANNA)))
        program_view = modal(
            "program_create",
            {
                "name": {"answer": {"type": "plain_text_input", "value": f"program {text}"}},
                "channel": {
                    "choice": {"type": "conversations_select", "selected_conversation": TEAM_CHANNEL}
                },
                "weekday": {"choice": {"type": "static_select", "selected_option": {"value": text}}},
                "time": {"choice": {"type": "timepicker", "selected_time": text}},
                "start": {"choice": {"type": "datepicker", "selected_date": text}},
            },
        )
        replies.append(("program_create", kindly.slack.view_submission(program_view, who=HANNA)))
        remind_view = modal(
            "remind_settings",
            {
                "days": {"choice": {"type": "checkboxes", "selected_options": [{"value": text}]}},
                "time": {"choice": {"type": "timepicker", "selected_time": text}},
                "pause_until": {"choice": {"type": "datepicker", "selected_date": text}},
            },
        )
        replies.append(("remind_settings", kindly.slack.view_submission(remind_view, who=ALICE)))
        # command text
        for words in (text, f"pause {text}", f"pause until {text}", f"shoutout {text}", f"journal {text}"):
            replies.append((f"/kindly {words}", kindly.slack.command(words, who=ALICE)))
        # button values
        hub = {"id": "V0TEAM", "type": "modal", "callback_id": "team_hub", "hash": "1.team", "blocks": []}
        for action_id in ("journal_entry_open", "kintsugi_start", "journal_page"):
            replies.append((action_id, kindly.slack.block_action(action_id, value=text, who=ALICE)))
        for action_id in ("program_toggle", "program_delete", "program_insights", "hr_lead_remove"):
            value = text.replace("\x00", "") if action_id == "hr_lead_remove" else text  # NUL: see below
            replies.append(
                (action_id, kindly.slack.block_action(action_id, value=value, who=HANNA, view=hub))
            )
        message = {"type": "message", "ts": "1.1", "blocks": []}
        for action_id in ("shoutout_remove", "prompt_helped", "reminder_not_today"):
            replies.append(
                (action_id, kindly.slack.message_action(action_id, message=message, value=text, who=BOB))
            )
        # private_metadata and block ids
        for callback_id in ("kind_moment_practice", "remove_shoutout"):
            crafted = modal(
                callback_id, {text: {text: {"type": "plain_text_input", "value": text}}}, metadata=text
            )
            replies.append((callback_id, kindly.slack.view_submission(crafted, who=HANNA)))
        crafted_arrival = modal(
            "kind_moment_arrival", {"arrival": {"choice": {"selected_option": {"value": text}}}}
        )
        replies.append(("kind_moment_arrival", kindly.slack.view_submission(crafted_arrival, who=ALICE)))
        assert_still_serves(kindly)
        kindly.settle()
    for name, reply in replies:
        assert problem_with(reply) is None, (name, problem_with(reply))
    refused = {name: reply.json()["response_action"] for name, reply in replies if name in REFUSED_FORMS}
    assert refused == dict.fromkeys(REFUSED_FORMS, "errors")
    assert table_names(engine) == tables
    dm = [c.params for c in kindly.fake.calls("chat.postMessage") if c.params.get("channel") == BOB.user_id]
    assert any(f"note {text}" in all_text(p) for p in dm), "the note reached its recipient as written"
    services = kindly.runtime.services
    with services.sessions.begin() as session:
        rows = [
            row
            for row in session.scalars(select(Reflection))
            if read_meta(session, services.vault, row).practice == "kintsugi"
        ]
        assert [read_answers(session, services.vault, row) for row in rows] == [
            {"lesson": f"lesson {text}", "gold": text}
        ]
        assert session.scalars(select(Member.user_id).where(Member.team_id == "T0001")).all()
        # The reminder and the program made of such text were refused, not stored half-parsed.
        assert session.scalars(select(Schedule.id)).all() == []
    assert failures_in(caplog.records) == []


BUG_NUL_HR_LEAD = (
    "PostgreSQL only: hr_lead_remove with a button value containing NUL ('nul\\x00inside') crashes the "
    "listener after ack(): actions.py:224 remove_lead -> flows/team.py:173 change_hr_lead -> "
    "store/hr_leads.py:32 remove_hr_lead runs session.get(HrLead, (team, value)) and psycopg raises "
    "DataError 'PostgreSQL text fields cannot contain NUL (0x00) bytes'. A value that cannot be a user id "
    "should mean 'not a lead' (hr_lead_add with such a selected_user would fail the same way)."
)


def test_a_nul_byte_in_an_hr_lead_button_means_not_a_lead(
    kindly: Kindly, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    kindly.fake.set_user(HANNA.user_id, tz="Europe/Berlin", is_admin=True)
    with caplog.at_level(logging.INFO):
        reply = kindly.slack.block_action("hr_lead_remove", value="nul\x00inside", who=HANNA, view=HUB)
        assert_still_serves(kindly)
        kindly.settle()
    assert problem_with(reply) is None, problem_with(reply)
    assert failures_in(caplog.records) == []


# -- 5. a burst of concurrent slash commands ---------------------------------------------------------


def test_two_hundred_concurrent_commands_are_all_acknowledged_and_every_modal_opens(kindly: Kindly) -> None:
    requests = [
        ("help" if n % 2 else "", Person(f"U0BURST{n:03d}", "T0001", f"burst{n}")) for n in range(200)
    ]
    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(lambda r: kindly.slack.command(r[0], who=r[1]), requests))
    assert [reply.status for reply in replies] == [200] * 200
    for (word, _), reply in zip(requests, replies, strict=True):
        if word == "help":
            assert "/kindly journal" in all_text(reply.json())
    opened = kindly.fake.wait_for("views.open", count=100, timeout=60)
    assert len(opened) == 100
    assert_still_serves(kindly)
    kindly.settle()
    assert len(kindly.fake.calls("views.open")) == 100

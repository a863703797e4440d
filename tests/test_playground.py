"""The playground without a browser: view state per element type, the client model, the page's server."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kindly_playground import PageServer, Playground, PlaygroundError
from kindly_playground.people import escape_mentions
from kindly_playground.state_values import state_values
from tests.support.cli import clean_env, run_kindly

ALICE = "U0ALICE"


def test_state_values_have_slacks_shape_for_every_element_type() -> None:
    option = {"value": "b", "text": {"type": "plain_text", "text": "B"}}
    options = [{"value": "a", "text": {"type": "plain_text", "text": "A"}}, option]
    elements: list[tuple[str, str, dict[str, Any]]] = [
        ("text", "plain_text_input", {}),
        ("empty", "plain_text_input", {}),
        ("select", "static_select", {"options": options}),
        ("radio", "radio_buttons", {"options": options, "initial_option": option}),
        ("boxes", "checkboxes", {"options": options}),
        ("user", "users_select", {}),
        ("channel", "conversations_select", {"initial_conversation": "C1"}),
        ("time", "timepicker", {}),
        ("date", "datepicker", {}),
    ]
    blocks = [
        {"type": "input", "block_id": name, "element": {"type": kind, "action_id": "x", **extra}}
        for name, kind, extra in elements
    ]
    raw: dict[str, dict[str, str | list[str] | None]] = {
        "text": {"x": "hello <b>"},
        "empty": {"x": ""},
        "select": {"x": "b"},
        "boxes": {"x": ["a", "b", "not an option"]},
        "user": {"x": "U0BOB"},
        "time": {"x": "09:30"},
        "date": {"x": "2027-01-04"},
    }
    values = state_values(blocks, raw)
    assert values["text"]["x"] == {"type": "plain_text_input", "value": "hello <b>"}
    assert values["empty"]["x"] == {"type": "plain_text_input", "value": None}
    assert values["select"]["x"] == {"type": "static_select", "selected_option": option}
    assert values["radio"]["x"] == {"type": "radio_buttons", "selected_option": option}  # initial kept
    assert values["boxes"]["x"]["selected_options"] == options
    assert values["user"]["x"] == {"type": "users_select", "selected_user": "U0BOB"}
    assert values["channel"]["x"] == {"type": "conversations_select", "selected_conversation": "C1"}
    assert values["time"]["x"] == {"type": "timepicker", "selected_time": "09:30"}
    assert values["date"]["x"] == {"type": "datepicker", "selected_date": "2027-01-04"}


@pytest.fixture
def playground() -> Iterator[Playground]:
    with Playground() as running:
        yield running


def wait_for_modal(playground: Playground, title: str) -> dict[str, Any]:
    state = playground.state(ALICE)
    for _ in range(20):  # each round waits for the app's next Web API call, not for time
        if state["modals"] and state["modals"][-1]["view"]["title"]["text"] == title:
            top: dict[str, Any] = state["modals"][-1]
            return top
        state = playground.state(ALICE, since=state["version"], wait=10)
    raise AssertionError(f"no {title!r} modal; modals: {state['modals']}")


def test_kindly_opens_a_modal_that_keeps_errors_on_screen_and_moves_on(playground: Playground) -> None:
    playground.command(ALICE, channel_id=playground.dm_channels[ALICE], text="")
    arrival = wait_for_modal(playground, "A kind moment")

    playground.submit(ALICE, view_id=arrival["view_id"], values={})
    errors = playground.state(ALICE)["modals"][-1]["errors"]
    assert "arrival" in errors

    playground.submit(ALICE, view_id=arrival["view_id"], values={"arrival": {"choice": "depleted"}})
    practice = playground.state(ALICE)["modals"][-1]
    assert practice["view_id"] == arrival["view_id"]  # response_action: update keeps the view
    assert practice["errors"] == {}
    assert any(block["type"] == "input" for block in practice["view"]["blocks"])

    playground.close(ALICE, view_id=practice["view_id"])
    assert playground.state(ALICE)["modals"] == []
    with pytest.raises(PlaygroundError):
        playground.submit(ALICE, view_id=practice["view_id"], values={})


def test_help_is_an_ephemeral_reply_seen_only_by_who_asked(playground: Playground) -> None:
    playground.command(ALICE, channel_id="C0GENERAL", text="help")
    mine = playground.state(ALICE)["conversations"]["C0GENERAL"]
    assert mine[0]["ephemeral"] is True
    assert "C0GENERAL" not in playground.state("U0BOB")["conversations"]


def test_the_page_server_answers_only_local_json_requests(playground: Playground) -> None:
    page = PageServer(playground, port=0).start()
    host, port = page.url.removeprefix("http://").split(":")
    try:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().read().startswith(b"<!doctype html>")
        connection.request("GET", "/", headers={"Host": "attacker.example"})
        assert connection.getresponse().status == 403
        body = json.dumps({"user": ALICE, "channel": "C0GENERAL", "text": "help"})
        connection.request("POST", "/api/command", body=body, headers={"Content-Type": "text/plain"})
        assert connection.getresponse().status == 415
        connection.request("POST", "/api/command", body=body, headers={"Content-Type": "application/json"})
        answer = json.loads(connection.getresponse().read())
        assert answer["state"]["conversations"]["C0GENERAL"][0]["text"] == "Kindly commands"
        connection.close()
    finally:
        page.stop()


def test_export_arrives_as_files_in_the_dm_that_only_its_owner_can_download(playground: Playground) -> None:
    dm = playground.dm_channels[ALICE]
    playground.command(ALICE, channel_id=dm, text="export")
    state = playground.state(ALICE)
    for _ in range(20):  # each round waits for the app's next Web API call, not for time
        shared = [f for m in state["conversations"].get(dm, []) for f in m["files"]]
        if len(shared) == 2:
            break
        state = playground.state(ALICE, since=state["version"], wait=10)
    names = sorted(f["name"] for f in shared)
    assert names[0].endswith(".json") and names[1].endswith(".md")

    json_file = next(f for f in shared if f["name"].endswith(".json"))
    name, content = playground.shared_file(ALICE, json_file["id"])
    assert name == json_file["name"]
    assert isinstance(json.loads(content), dict)
    with pytest.raises(PlaygroundError):  # Bob is not in Alice's DM with Kindly
        playground.shared_file("U0BOB", json_file["id"])


def test_a_typed_mention_reaches_the_app_escaped_and_preselects_the_recipient(playground: Playground) -> None:
    playground.command(ALICE, channel_id="C0GENERAL", text="shoutout @bob")
    modal = wait_for_modal(playground, "Character shout-out")
    pickers = [
        block["element"]
        for block in modal["view"]["blocks"]
        if block.get("element", {}).get("type") == "users_select"
    ]
    assert [picker.get("initial_user") for picker in pickers] == ["U0BOB"]


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("shoutout @bob", "shoutout <@U0BOB|bob>"),
        ("shoutout @Bob for #general", "shoutout <@U0BOB|bob> for <#C0GENERAL|general>"),
        ("shoutout @nobody", "shoutout @nobody"),
        ("shoutout <@U0BOB|bob>", "shoutout <@U0BOB|bob>"),
        ("mail bob@example.com", "mail bob@example.com"),
    ],
)
def test_mentions_are_escaped_as_slack_escapes_them(typed: str, sent: str) -> None:
    assert escape_mentions(typed) == sent


def test_a_port_in_use_is_one_line_and_an_exit_status(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_kindly("playground", "--port", str(port), cwd=tmp_path, env=clean_env(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"kindly playground: port {port} is already in use (another playground?); "
        "stop it or choose another port with --port"
    ]

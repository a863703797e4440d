"""FakeSlack answers and records like the Slack Web API, over real HTTP, as slack_sdk sees it."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from fakeslack import FakeSlack, RecordedCall

MODAL = {
    "type": "modal",
    "callback_id": "kind_moment",
    "title": {"type": "plain_text", "text": "A kind moment"},
    "submit": {"type": "plain_text", "text": "Save"},
    "private_metadata": '{"practice": "pause"}',
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "What happened?"},
            "element": {"type": "plain_text_input", "action_id": "note"},
        }
    ],
}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T0TEST", clock=clock) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    try:
        connection.request("POST", parts.path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


# -- recording -----------------------------------------------------------------------------------------


def test_views_open_is_recorded_with_the_view_as_a_dict_and_the_token(
    fake: FakeSlack, client: WebClient
) -> None:
    response = client.views_open(trigger_id=fake.new_trigger_id(), view=MODAL)

    [call] = fake.calls("views.open")
    assert isinstance(call, RecordedCall)
    assert call.params["view"] == MODAL
    assert call.params["token"] == "xoxb-test"
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert (call.answered_status, call.answered_error) == (200, None)
    view = response["view"]
    assert view["id"].startswith("V")
    assert view["team_id"] == "T0TEST"
    assert view["callback_id"] == "kind_moment"
    assert view["blocks"] == MODAL["blocks"]
    assert view["hash"]


def test_json_fields_in_form_bodies_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    client.api_call("chat.postMessage", params={"channel": "C1", "blocks": json.dumps(blocks), "text": "hi"})

    [call] = fake.calls("chat.postMessage")
    assert call.params["blocks"] == blocks
    assert call.params["channel"] == "C1"


def test_chat_post_message_echoes_channel_and_content_with_increasing_ts(client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "You did well."}}]
    first = client.chat_postMessage(channel="C42", text="You did well.", blocks=blocks)
    second = client.chat_postMessage(channel="C42", text="Again")

    assert first["channel"] == "C42"
    assert first["message"]["text"] == "You did well."
    assert first["message"]["blocks"] == blocks
    assert float(second["ts"]) > float(first["ts"])


def test_unknown_methods_answer_ok_and_are_recorded(fake: FakeSlack, client: WebClient) -> None:
    assert client.api_call("reactions.add", params={"name": "heart"})["ok"] is True
    assert fake.calls("reactions.add")[0].params["name"] == "heart"


def test_reset_forgets_calls_and_failures(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    fake.fail("auth.test", "fatal_error", times=-1)
    fake.reset()

    assert fake.calls() == []
    assert client.auth_test()["ok"] is True


# -- identity and tokens ---------------------------------------------------------------------------------


def test_auth_test_reports_the_configured_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0TEST"
    assert answer["user_id"] == "U0BOT0001"
    assert answer["bot_id"] == "B0BOT0001"


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.api_url).auth_test()
    assert raised.value.response["error"] == "not_authed"
    assert fake.calls("auth.test")[0].answered_error == "not_authed"


def test_revoked_token_answers_token_revoked(fake: FakeSlack, client: WebClient) -> None:
    fake.revoke_token("xoxb-test")
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response["error"] == "token_revoked"


def test_oauth_access_needs_no_token(fake: FakeSlack) -> None:
    answer = WebClient(base_url=fake.api_url).oauth_v2_access(client_id="1.2", client_secret="s", code="c")
    assert answer["access_token"].startswith("xoxb-")
    assert answer["team"]["id"] == "T0TEST"


def test_an_oauth_code_names_a_workspace_an_org_or_a_workspace_of_an_org(fake: FakeSlack) -> None:
    web = WebClient(base_url=fake.api_url)
    workspace, org_wide, grid_workspace = (
        web.oauth_v2_access(client_id="1.2", client_secret="s", code=code)
        for code in ("T0AAA:x", "E0ORG:x", "E0ORG/T0CCC:x")
    )
    assert workspace["team"]["id"] == "T0AAA" and workspace["enterprise"] is None
    assert workspace["is_enterprise_install"] is False
    # Org-wide, as Slack answers it: no team (the org admin adds the app to workspaces later).
    assert org_wide["team"] is None and org_wide["enterprise"]["id"] == "E0ORG"
    assert org_wide["is_enterprise_install"] is True
    assert grid_workspace["team"]["id"] == "T0CCC" and grid_workspace["enterprise"]["id"] == "E0ORG"
    assert grid_workspace["is_enterprise_install"] is False
    identity = WebClient(base_url=fake.api_url, token=org_wide["access_token"]).auth_test()
    assert identity["enterprise_id"] == "E0ORG" and identity["is_enterprise_install"] is True


def test_an_org_token_must_name_the_workspace_where_slack_requires_it(fake: FakeSlack) -> None:
    web = WebClient(base_url=fake.api_url)
    tokens = {
        code: web.oauth_v2_access(client_id="1.2", client_secret="s", code=code)["access_token"]
        for code in ("E0ORG:x", "T0AAA:x")
    }
    org, workspace = (WebClient(base_url=fake.api_url, token=tokens[code]) for code in ("E0ORG:x", "T0AAA:x"))
    fake.set_usergroup("S0CARE", "care", ["W1"])
    arguments: dict[str, dict[str, str]] = {
        "users.list": {},
        "usergroups.list": {},
        "usergroups.users.list": {"usergroup": "S0CARE"},
        "dnd.info": {"user": "W1"},
        "dnd.teamInfo": {"users": "W1"},
    }
    for method, args in arguments.items():
        with pytest.raises(SlackApiError) as refused:
            org.api_call(method, params=args)
        assert refused.value.response["error"] == "missing_argument", method
        assert org.api_call(method, params={**args, "team_id": "T0NORTH"})["ok"] is True, method
        assert workspace.api_call(method, params=args)["ok"] is True, method  # needs no team_id


# -- triggers --------------------------------------------------------------------------------------------


def test_a_trigger_id_works_once(fake: FakeSlack, client: WebClient) -> None:
    trigger_id = fake.new_trigger_id()
    client.views_open(trigger_id=trigger_id, view=MODAL)

    with pytest.raises(SlackApiError) as raised:
        client.views_push(trigger_id=trigger_id, view=MODAL)
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "exchanged_trigger_id"


def test_a_trigger_id_expires_after_the_ttl(fake: FakeSlack, client: WebClient, clock: FakeClock) -> None:
    trigger_id = fake.new_trigger_id()
    clock.advance(3.01)

    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=trigger_id, view=MODAL)
    assert raised.value.response["error"] == "expired_trigger_id"


def test_an_unknown_trigger_id_is_invalid(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2.made-up", view=MODAL)
    assert raised.value.response["error"] == "invalid_trigger_id"


def test_an_interactivity_pointer_works_like_a_trigger(fake: FakeSlack, client: WebClient) -> None:
    answer = client.views_open(interactivity_pointer=fake.new_trigger_id(), view=MODAL)
    assert answer["ok"] is True


def test_views_update_and_publish_echo_the_view(client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    published = client.views_publish(user_id="U1", view=home)
    updated = client.views_update(view_id=published["view"]["id"], view=home)

    assert published["view"]["type"] == "home"
    assert updated["view"]["id"] == published["view"]["id"]
    assert updated["view"]["blocks"] == [{"type": "divider"}]


# -- failures and rate limits ----------------------------------------------------------------------------


def test_a_planned_429_carries_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert fake.rate_limited_count("chat.postMessage") == 1
    assert fake.calls("chat.postMessage")[0].answered_status == 429


def test_rate_limit_retry_handler_succeeds_after_a_429(
    fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler sleeps Retry-After + random(); with both zero it does not wait.
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    fake.fail("chat.postMessage", status=429, retry_after=0)
    retrying = WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    assert retrying.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.answered_status for c in fake.calls("chat.postMessage")] == [429, 200]


def test_a_planned_error_answers_the_next_n_calls(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("users.info", "user_not_found", times=2)
    errors = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.users_info(user="U1")
        errors.append(raised.value.response["error"])

    assert errors == ["user_not_found", "user_not_found"]
    assert client.users_info(user="U1")["ok"] is True


def test_a_forever_failure_lasts_until_cleared(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("dnd.info", "internal_error", times=-1)
    for _ in range(3):
        with pytest.raises(SlackApiError):
            client.dnd_info(user="U1")
    fake.clear_failures("dnd.info")
    assert client.dnd_info(user="U1")["ok"] is True


def test_server_errors_can_be_html_or_json(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("auth.test", "fatal_error", status=503, html=True)
    fake.fail("auth.test", "fatal_error", status=500)

    with pytest.raises(SlackApiError) as html_error:
        client.auth_test()
    with pytest.raises(SlackApiError) as json_error:
        client.auth_test()
    assert html_error.value.response.status_code == 503
    assert json_error.value.response.status_code == 500
    assert json_error.value.response["error"] == "fatal_error"


def test_rate_limit_enforcement_uses_a_token_bucket(
    fake: FakeSlack, client: WebClient, clock: FakeClock
) -> None:
    fake.limit_rate("chat.postMessage", per_second=0.5, burst=2)
    client.chat_postMessage(channel="C1", text="1")
    client.chat_postMessage(channel="C2", text="2")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="3")
    assert raised.value.response.headers["Retry-After"] == "2"
    clock.advance(2)
    assert client.chat_postMessage(channel="C1", text="4")["ok"] is True
    assert fake.rate_limited_count("chat.postMessage") == 1


def test_rate_limits_per_channel_are_separate(fake: FakeSlack, client: WebClient) -> None:
    fake.limit_rate("chat.postMessage", per_second=1, burst=1, key="channel")
    client.chat_postMessage(channel="C1", text="1")
    client.chat_postMessage(channel="C2", text="2")

    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="3")


# -- people and channels ---------------------------------------------------------------------------------


def test_users_info_answers_the_configured_timezone(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("U1", tz="Asia/Tokyo", is_admin=True, name="aiko", locale="ja-JP")

    user = client.users_info(user="U1", include_locale=True)["user"]
    assert (user["id"], user["tz"], user["tz_offset"], user["is_admin"]) == ("U1", "Asia/Tokyo", 32400, True)
    assert user["name"] == "aiko"
    assert user["locale"] == "ja-JP"


def test_users_info_for_an_unknown_user_has_the_default_profile(client: WebClient) -> None:
    user = client.users_info(user="U404")["user"]
    assert (user["id"], user["tz"], user["team_id"]) == ("U404", "America/Los_Angeles", "T0TEST")
    assert "locale" not in user


def test_conversations_open_gives_one_dm_channel_per_user(fake: FakeSlack, client: WebClient) -> None:
    first = client.conversations_open(users="U1")["channel"]["id"]
    again = client.conversations_open(users=["U1"])
    other = client.conversations_open(users="U2")["channel"]["id"]

    assert first.startswith("D")
    assert again["channel"]["id"] == first
    assert again["already_open"] is True
    assert other != first
    assert client.chat_postMessage(channel="U1", text="hi")["channel"] == first == fake.dm_channel_for("U1")


def test_conversations_members_paginates_450_members_in_pages_of_200(
    fake: FakeSlack, client: WebClient
) -> None:
    members = [f"U{i:04d}" for i in range(450)]
    fake.set_channel_members("C1", members, page_size=200)

    # slack_sdk reuses one response object while paginating, so copy each page's data.
    pages = [dict(page.data) for page in client.conversations_members(channel="C1", limit=1000)]

    assert [len(page["members"]) for page in pages] == [200, 200, 50]
    assert [m for page in pages for m in page["members"]] == members
    assert pages[-1]["response_metadata"]["next_cursor"] == ""
    cursors = [c.params.get("cursor") for c in fake.calls("conversations.members")]
    assert cursors[0] is None
    assert all(cursors[1:])


def test_conversations_members_honours_a_smaller_limit(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel_members("C1", [f"U{i}" for i in range(5)])
    assert client.conversations_members(channel="C1", limit=2)["members"] == ["U0", "U1"]

    with pytest.raises(SlackApiError) as raised:
        client.conversations_members(channel="C1", cursor="not-a-cursor")
    assert raised.value.response["error"] == "invalid_cursor"


def test_conversations_join_adds_the_bot(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel_members("C1", ["U1"])
    assert client.conversations_join(channel="C1")["channel"]["id"] == "C1"
    assert client.conversations_members(channel="C1")["members"] == ["U1", "U0BOT0001"]


def test_dnd_info_defaults_to_not_in_dnd_and_can_be_set(fake: FakeSlack, client: WebClient) -> None:
    default = client.dnd_info(user="U1")
    fake.set_dnd("U2", True, next_dnd_start_ts=100, next_dnd_end_ts=200)
    snoozed = client.dnd_info(user="U2")

    assert default["snooze_enabled"] is False
    assert default["next_dnd_start_ts"] > time.time()
    assert snoozed["snooze_enabled"] is True
    assert (snoozed["next_dnd_start_ts"], snoozed["next_dnd_end_ts"]) == (100, 200)


# -- response URLs and uploads ---------------------------------------------------------------------------


def test_response_url_posts_are_recorded_and_limited_to_five(fake: FakeSlack) -> None:
    url = fake.new_response_url()
    webhook = WebhookClient(url)

    statuses = [webhook.send(text=f"reply {i}", response_type="ephemeral").status_code for i in range(6)]

    assert statuses == [200, 200, 200, 200, 200, 404]
    first = fake.calls("response_url")[0]
    assert first.params["text"] == "reply 0"
    assert first.params["response_type"] == "ephemeral"
    assert first.params["_response_url_id"] == url.rsplit("/", 1)[1]
    assert fake.calls("response_url")[-1].answered_error == "used_url"


def test_response_url_answers_ok_text(fake: FakeSlack) -> None:
    status, body = post(fake.new_response_url(), b'{"text": "hi"}', {"Content-Type": "application/json"})
    assert (status, body) == (200, "ok")


def test_files_upload_v2_stores_the_bytes(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(channel="C1", content="kind words", filename="words.txt", title="Words")

    [file_id] = fake.uploads
    assert fake.uploads[file_id] == b"kind words"
    assert answer["file"]["id"] == file_id
    assert answer["file"]["title"] == "Words"
    complete = fake.calls("files.completeUploadExternal")[0]
    assert complete.params["files"] == [{"id": file_id, "title": "Words"}]


def test_files_delete_removes_the_bytes_and_answers_like_slack_after(
    fake: FakeSlack, client: WebClient
) -> None:
    file_id = client.files_upload_v2(channel="C1", content="kind words", filename="words.txt")["file"]["id"]

    assert client.files_delete(file=file_id).data == {"ok": True}
    assert fake.uploads == {}
    for unknown, error in ((file_id, "file_deleted"), ("F0NEVER", "file_not_found")):
        with pytest.raises(SlackApiError) as raised:
            client.files_delete(file=unknown)
        assert raised.value.response["error"] == error


def test_upload_to_an_unknown_file_is_not_found(fake: FakeSlack) -> None:
    status, _ = post(f"{fake.base_url}upload/F404", b"data")
    assert status == 404


# -- waiting ---------------------------------------------------------------------------------------------


def test_wait_for_returns_once_calls_arrive_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    def send() -> None:
        for i in range(2):
            client.chat_postMessage(channel="C1", text=str(i))

    thread = threading.Thread(target=send)
    thread.start()
    calls = fake.wait_for("chat.postMessage", count=2, timeout=5)
    thread.join()

    assert [c.params["text"] for c in calls] == ["0", "1"]


def test_wait_for_timeout_lists_the_methods_seen(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError) as raised:
        fake.wait_for("views.open", timeout=0.05)
    message = str(raised.value)
    assert "'views.open'" in message
    assert "auth.test" in message


def test_base_url_needs_a_running_server() -> None:
    fake = FakeSlack()
    with pytest.raises(RuntimeError):
        _ = fake.api_url


def test_users_info_and_users_list_describe_guests_deleted_accounts_and_the_apps_own_bot(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_user("U1", is_restricted=True)
    fake.set_user("U2", is_restricted=True, is_ultra_restricted=True)
    fake.set_user("U3", deleted=True)

    guest = client.users_info(user="U1")["user"]
    assert (guest["is_restricted"], guest["is_ultra_restricted"]) == (True, False)
    assert client.users_info(user="U2")["user"]["is_ultra_restricted"] is True
    listed = {user["id"]: user for user in client.users_list()["members"]}
    assert listed["U3"]["deleted"] is True
    bot_user = fake.workspace.bot_user_id
    assert listed[bot_user]["is_bot"] is True
    assert client.users_info(user=bot_user)["user"]["is_bot"] is True


def test_a_hold_can_let_the_first_calls_through_and_says_when_a_call_waits(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.hold("users.list", after=1)
    assert client.users_list()["ok"] is True  # the first call passes
    answered = threading.Event()

    def second_page() -> None:
        client.users_list()
        answered.set()

    waiting = threading.Thread(target=second_page)
    waiting.start()
    fake.wait_until_held("users.list")
    assert not answered.is_set()
    fake.release("users.list")
    waiting.join(timeout=10)
    assert answered.is_set()

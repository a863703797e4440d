"""Buttons on the App Home and in Kindly's modals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.data_rights import delete_export_now
from slackapp.flows.home import publish_home
from slackapp.flows.insights import insights_page
from slackapp.flows.journal import journal_page, open_journal, show_entry
from slackapp.flows.kind_moment import kintsugi_view, open_kind_moment
from slackapp.flows.moderation import remove_as_recipient
from slackapp.flows.programs import (
    choose_team_prompts,
    prompt_helped,
    prompt_opt_out,
    prompt_took_moment,
    receives_team_prompts,
)
from slackapp.flows.reminders import (
    not_today,
    pause_a_week,
    refresh_time_zone,
    remind_page,
    reminders_off,
    resume_reminders,
)
from slackapp.flows.roles import is_hr_lead, program_workspace
from slackapp.flows.shoutouts import shoutout_page, toggle_receiving
from slackapp.flows.team import (
    change_hr_lead,
    change_program,
    program_page,
    support_page,
    team_page,
)
from slackapp.flows.workspace_settings import settings_page
from slackapp.listeners.identity import actor_of
from slackapp.listeners.state import on_home, over_modal
from slackapp.numbers import small_int
from slackapp.rendering.kind_moment import arrival_view
from slackapp.rendering.shoutouts import notice_view
from slackapp.services import Services

# HR actions on one team program, and those on the acting workspace's own programs (org-wide installs give
# a workspace's admin these only); every other HR action is about the whole data scope.
PROGRAM_ACTIONS = frozenset({"program_toggle", "program_delete", "program_insights"})
WORKSPACE_ACTIONS = frozenset({"team_open", "program_new"})


def _button_value(action: dict[str, Any]) -> str:
    value = action.get("value")
    return value if isinstance(value, str) else ""


def _respond(respond: Respond, body: dict[str, Any], **message: Any) -> None:
    """Answer through the response_url, when the action came with one (message buttons do)."""
    if isinstance(body.get("response_url"), str):
        respond(**message)


def _from_message(body: dict[str, Any]) -> bool:
    container = body.get("container")
    return isinstance(container, dict) and container.get("type") == "message"


def _open_or_push(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    if over_modal(body):
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App, services: Services) -> None:
    @app.action("kind_moment_open")
    def kind_moment_open(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        if over_modal(body):
            _open_or_push(client, body, arrival_view(services.renderer, can_revisit=False))
            return
        actor = actor_of(context)
        if _from_message(body) and _button_value(action):  # a team prompt's button names its program
            prompt_took_moment(services, actor, program_value=_button_value(action))
        open_kind_moment(services, client, actor, trigger_id=body["trigger_id"], from_home=on_home(body))

    @app.action("journal_open")
    def journal_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        open_journal(services, client, actor_of(context), trigger_id=body["trigger_id"])

    @app.action("journal_entry_open")
    def journal_entry_open(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        show_entry(
            services,
            client,
            actor_of(context),
            entry_id=_button_value(action),
            trigger_id=body["trigger_id"],
            over_modal=over_modal(body),
        )

    @app.action("journal_page")
    def journal_page_turn(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        value = _button_value(action)
        page = small_int(value, 0)
        view = journal_page(services, actor_of(context), page=page)
        client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)

    @app.action("kintsugi_start")
    def kintsugi_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        ack()
        view = kintsugi_view(
            services, actor_of(context), selected_id=_button_value(action), from_home=on_home(body)
        )
        _open_or_push(client, body, view)

    @app.action("remind_open")
    def remind_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        refresh_time_zone(services, client, actor)
        _open_or_push(client, body, remind_page(services, actor))

    @app.action("remind_off")
    def remind_off(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        view = reminders_off(services, actor)
        client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)
        publish_home(services, client, actor)

    @app.action("reminder_not_today")
    def reminder_not_today(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        _respond(respond, body, replace_original=True, **not_today(services, actor_of(context)))

    @app.action("reminder_pause_week")
    def reminder_pause_week(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        reply = pause_a_week(services, actor)
        if _from_message(body):
            _respond(respond, body, replace_original=True, **reply)
        publish_home(services, client, actor)

    @app.action("reminders_resume")
    def reminders_resume(ack: Ack, context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        resume_reminders(services, actor)
        publish_home(services, client, actor)

    @app.action("shoutout_open")
    def shoutout_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        _open_or_push(client, body, shoutout_page(services, actor_of(context)))

    @app.action("shoutout_remove")
    def shoutout_remove(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        reply = remove_as_recipient(services, client, actor_of(context), _button_value(action))
        _respond(respond, body, replace_original=True, **reply)

    @app.action("shoutouts_receive_toggle")
    def shoutouts_receive_toggle(ack: Ack, context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        toggle_receiving(services, actor)
        publish_home(services, client, actor)

    def _workspace_acted_on(actor: Actor, action: dict[str, Any]) -> str | None:
        """What an HR action touches: a program's workspace, the acting workspace, or (None) the scope."""
        action_id = action.get("action_id")
        if action_id in PROGRAM_ACTIONS:
            return program_workspace(services, actor, small_int(_button_value(action), -1))
        return actor.workspace_id if action_id in WORKSPACE_ACTIONS else None

    def hr_only(
        handler: Callable[[dict[str, Any], dict[str, Any], Actor, WebClient], None],
    ) -> Callable[..., None]:
        """Every admin action checks the role of the verified user; others get a kind refusal."""

        def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
        ) -> None:
            ack()
            actor = actor_of(context)
            if not is_hr_lead(services, client, actor, workspace_id=_workspace_acted_on(actor, action)):
                _open_or_push(client, body, notice_view(services.renderer, "not_hr"))
                return
            handler(body, action, actor, client)

        return listener

    def refresh_team_page(body: dict[str, Any], actor: Actor, client: WebClient) -> None:
        view = body.get("view") or {}
        if view.get("callback_id") == "team_hub":
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=team_page(services, actor))
        publish_home(services, client, actor)

    def open_team(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        _open_or_push(client, body, team_page(services, actor))

    def open_shoutout_settings(
        body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient
    ) -> None:
        _open_or_push(client, body, settings_page(services, actor))

    def open_support_settings(
        body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient
    ) -> None:
        _open_or_push(client, body, support_page(services, actor))

    def new_program(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        _open_or_push(client, body, program_page(services, client, actor))

    def toggle_program(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        change_program(services, actor, program_value=_button_value(action), action="toggle")
        refresh_team_page(body, actor, client)

    def delete_program(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        change_program(services, actor, program_value=_button_value(action), action="delete")
        refresh_team_page(body, actor, client)

    def show_insights(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        page = insights_page(services, actor, program_value=_button_value(action))
        _open_or_push(client, body, page or notice_view(services.renderer, "program_gone"))

    def add_lead(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        chosen = action.get("selected_user")
        if isinstance(chosen, str) and chosen:
            change_hr_lead(services, actor, user_id=chosen, add=True)
        refresh_team_page(body, actor, client)

    def remove_lead(body: dict[str, Any], action: dict[str, Any], actor: Actor, client: WebClient) -> None:
        change_hr_lead(services, actor, user_id=_button_value(action), add=False)
        refresh_team_page(body, actor, client)

    for action_id, handler in {
        "team_open": open_team,
        "shoutout_settings_open": open_shoutout_settings,
        "support_settings_open": open_support_settings,
        "program_new": new_program,
        "program_toggle": toggle_program,
        "program_delete": delete_program,
        "program_insights": show_insights,
        "hr_lead_add": add_lead,
        "hr_lead_remove": remove_lead,
    }.items():
        app.action(action_id)(hr_only(handler))

    @app.action("prompt_helped")
    def prompt_helped_tapped(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        reply = prompt_helped(services, actor_of(context), program_value=_button_value(action))
        _respond(respond, body, response_type="ephemeral", replace_original=False, **reply)

    @app.action("prompt_opt_out")
    def prompt_opt_out_tapped(
        ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        _respond(respond, body, replace_original=True, **prompt_opt_out(services, actor))
        publish_home(services, client, actor)

    @app.action("export_delete_now")
    def export_delete_tapped(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        reply = delete_export_now(services, client, actor_of(context), export_value=_button_value(action))
        _respond(respond, body, replace_original=True, **reply)

    @app.action("team_prompts_toggle")
    def team_prompts_toggle(ack: Ack, context: BoltContext, client: WebClient) -> None:
        ack()
        actor = actor_of(context)
        receive = not receives_team_prompts(services, actor)
        choose_team_prompts(services, client, actor, receive=receive)
        publish_home(services, client, actor)

"""Buttons and menus on the App Home, in Kindly's modals and on its messages: one handler per action_id,
which acknowledges first, reads who is acting from the verified request (never from a button's value) and
hands the work to a flow. The table at the end ties each action_id to its handler; the HR leads' actions
are marked there, and their handlers run only after the one check (listeners/hr.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.data_rights import delete_export_now
from slackapp.flows.home import publish_home
from slackapp.flows.insights import insights_page
from slackapp.flows.journal import journal_page, open_journal, show_entry
from slackapp.flows.kind_moment import back_to_arrival, kintsugi_view, note_introduced, open_kind_moment
from slackapp.flows.moderation import remove_as_recipient
from slackapp.flows.programs import (
    choose_team_prompts,
    prompt_helped,
    prompt_opt_out,
    receives_team_prompts,
)
from slackapp.flows.prompt_moment import open_prompt_moment
from slackapp.flows.reminders import (
    answered_reminder,
)
from slackapp.flows.roles import SlackProfile
from slackapp.flows.shoutouts import shoutout_page, toggle_receiving
from slackapp.flows.team import change_hr_lead, change_program, program_page, support_page, team_page
from slackapp.flows.workspace_settings import settings_page
from slackapp.listeners.identity import actor_of
from slackapp.listeners.replies import button_value, from_message, open_or_push, respond_if_possible
from slackapp.listeners.routes import HrOnly, Over, Route
from slackapp.listeners.state import on_home, over_modal
from slackapp.numbers import small_int
from slackapp.rendering.kind_moment import arrival_view, introduction_view, opened_from_home
from slackapp.rendering.shoutouts import notice_view
from slackapp.services import Services


def kind_moment_open(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    if over_modal(body):
        open_or_push(client, body, arrival_view(services.renderer, can_revisit=False))
        return
    actor = actor_of(context)
    if from_message(body) and button_value(action):  # a team prompt's button names its program and theme
        open_prompt_moment(services, client, actor, value=button_value(action), trigger_id=body["trigger_id"])
        return
    open_kind_moment(services, client, actor, trigger_id=body["trigger_id"], from_home=on_home(body))
    if from_message(body):  # a reminder answered: the person's own pace comes back
        answered_reminder(services, actor)


def kind_moment_back(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    """A practice's "Choose a different practice": the arrival choice again, the earlier one chosen."""
    ack()
    actor = actor_of(context)
    if not over_modal(body):  # not from a practice after all: a fresh start is the safe answer
        open_kind_moment(services, client, actor, trigger_id=body["trigger_id"])
        return
    practice = body["view"]
    view = back_to_arrival(
        services, actor, earlier=button_value(action), from_home=opened_from_home(practice)
    )
    client.views_update(view_id=practice.get("id"), hash=practice.get("hash"), view=view)


def self_compassion_open(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    """The introduction "What is self-compassion?", asked for from help or the Home tab."""
    ack()
    open_or_push(client, body, introduction_view(services.renderer))
    note_introduced(services, actor_of(context))


def journal_open(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    open_journal(services, client, actor_of(context), trigger_id=body["trigger_id"])


def journal_entry_open(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    show_entry(
        services,
        client,
        actor_of(context),
        entry_id=button_value(action),
        trigger_id=body["trigger_id"],
        over_modal=over_modal(body),
    )


def journal_page_turn(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    view = journal_page(services, actor_of(context), page=small_int(button_value(action), 0))
    client.views_update(view_id=body["view"]["id"], hash=body["view"].get("hash"), view=view)


def kintsugi_start(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    ack()
    view = kintsugi_view(
        services, actor_of(context), selected_id=button_value(action), from_home=on_home(body)
    )
    open_or_push(client, body, view)


def shoutout_open(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    ack()
    open_or_push(client, body, shoutout_page(services, actor_of(context)))


def shoutout_remove(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    reply = remove_as_recipient(services, client, actor_of(context), button_value(action))
    respond_if_possible(respond, body, replace_original=True, **reply)


def shoutouts_receive_toggle(ack: Ack, context: BoltContext, client: WebClient, services: Services) -> None:
    ack()
    actor = actor_of(context)
    toggle_receiving(services, actor)
    publish_home(services, client, actor)


def prompt_helped_tapped(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    reply = prompt_helped(services, actor_of(context), program_value=button_value(action))
    respond_if_possible(respond, body, response_type="ephemeral", replace_original=False, **reply)


def prompt_opt_out_tapped(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    actor = actor_of(context)
    respond_if_possible(respond, body, replace_original=True, **prompt_opt_out(services, actor))
    publish_home(services, client, actor)


def export_delete_tapped(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    services: Services,
) -> None:
    ack()
    reply = delete_export_now(services, client, actor_of(context), export_value=button_value(action))
    respond_if_possible(respond, body, replace_original=True, **reply)


def team_prompts_toggle(ack: Ack, context: BoltContext, client: WebClient, services: Services) -> None:
    ack()
    actor = actor_of(context)
    choose_team_prompts(services, client, actor, receive=not receives_team_prompts(services, actor))
    publish_home(services, client, actor)


# HR leads' actions: acknowledged and checked (listeners/hr.py) before these run.


def _refresh_team_page(body: dict[str, Any], actor: Actor, client: WebClient, services: Services) -> None:
    view = body.get("view") or {}
    if view.get("callback_id") == "team_hub":
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=team_page(services, actor))
    publish_home(services, client, actor)


def team_open(body: dict[str, Any], context: BoltContext, client: WebClient, services: Services) -> None:
    open_or_push(client, body, team_page(services, actor_of(context)))


def shoutout_settings_open(
    body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    open_or_push(client, body, settings_page(services, actor_of(context)))


def support_settings_open(
    body: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    open_or_push(client, body, support_page(services, actor_of(context)))


def program_new(
    body: dict[str, Any], context: BoltContext, client: WebClient, services: Services, profile: SlackProfile
) -> None:
    open_or_push(client, body, program_page(services, client, actor_of(context), profile=profile))


def program_toggle(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    _change_program("toggle", body, action, context, client, services)


def program_delete(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    _change_program("delete", body, action, context, client, services)


def _change_program(
    change: str,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
) -> None:
    actor = actor_of(context)
    change_program(services, actor, program_value=button_value(action), action=change)
    _refresh_team_page(body, actor, client, services)


def program_insights(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    page = insights_page(services, actor_of(context), program_value=button_value(action))
    open_or_push(client, body, page or notice_view(services.renderer, "program_gone"))


def hr_lead_add(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    chosen = action.get("selected_user")
    if isinstance(chosen, str) and chosen:
        change_hr_lead(services, actor, user_id=chosen, add=True)
    _refresh_team_page(body, actor, client, services)


def hr_lead_remove(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    change_hr_lead(services, actor, user_id=button_value(action), add=False)
    _refresh_team_page(body, actor, client, services)


ROUTES = (
    Route("kind_moment_open", kind_moment_open),
    Route("kind_moment_back", kind_moment_back),
    Route("self_compassion_open", self_compassion_open),
    Route("journal_open", journal_open),
    Route("journal_entry_open", journal_entry_open),
    Route("journal_page", journal_page_turn),
    Route("kintsugi_start", kintsugi_start),
    Route("shoutout_open", shoutout_open),
    Route("shoutout_remove", shoutout_remove),
    Route("shoutouts_receive_toggle", shoutouts_receive_toggle),
    Route("prompt_helped", prompt_helped_tapped),
    Route("prompt_opt_out", prompt_opt_out_tapped),
    Route("export_delete_now", export_delete_tapped),
    Route("team_prompts_toggle", team_prompts_toggle),
    Route("team_open", team_open, hr=HrOnly(Over.WORKSPACE)),
    Route("shoutout_settings_open", shoutout_settings_open, hr=HrOnly()),
    Route("support_settings_open", support_settings_open, hr=HrOnly()),
    Route("program_new", program_new, hr=HrOnly(Over.WORKSPACE)),
    Route("program_toggle", program_toggle, hr=HrOnly(Over.PROGRAM)),
    Route("program_delete", program_delete, hr=HrOnly(Over.PROGRAM)),
    Route("program_insights", program_insights, hr=HrOnly(Over.PROGRAM)),
    Route("hr_lead_add", hr_lead_add, hr=HrOnly()),
    Route("hr_lead_remove", hr_lead_remove, hr=HrOnly()),
)

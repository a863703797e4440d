"""View submissions of a kind moment. The person's text stays on screen whenever it cannot be kept."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.flows.data_rights import clean_up_slack, forget_person
from slackapp.flows.home import publish_home
from slackapp.flows.kind_moment import ENTRY_BLOCK, choose_practice, keep_practice
from slackapp.flows.moderation import remove_as_hr_lead
from slackapp.flows.reminders import save_remind_settings
from slackapp.flows.roles import is_hr_lead
from slackapp.flows.shoutouts import ShoutoutDraft, deliver_shoutout, submit_shoutout
from slackapp.flows.team import ProgramDraft, create_program, enroll_and_confirm, save_support
from slackapp.flows.workspace_settings import SettingsDraft, save_settings
from slackapp.listeners.identity import actor_of
from slackapp.listeners.state import input_text, selected_field, selected_value, selected_values
from slackapp.practices.catalogue import PRACTICES
from slackapp.rendering.kind_moment import opened_from_home, practice_of_view
from slackapp.rendering.shoutouts import notice
from slackapp.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.view("kind_moment_arrival")
    def arrival_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        response = choose_practice(
            services,
            actor_of(context),
            arrival=selected_value(view, "arrival"),
            from_home=opened_from_home(view),
        )
        ack(**response.ack_kwargs())

    @app.view("kind_moment_practice")
    def practice_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        practice = PRACTICES.get(practice_of_view(view) or "")
        if practice is None:
            log.warning("a practice view came back without a known practice; closing it")
            ack()
            return
        actor = actor_of(context)
        response = keep_practice(
            services,
            client,
            actor,
            ack=ack,
            view=view,
            practice=practice,
            submitted={prompt.key: input_text(view, prompt.key) for prompt in practice.prompts},
            entry_id=selected_value(view, ENTRY_BLOCK),
        )
        # The Home tab is published whenever it is opened; refresh it now only when it is in sight behind
        # the modal, or after mending (which may start in the journal over the Home tab).
        if response.response_action == "update" and (opened_from_home(view) or practice.revisits_entry):
            publish_home(services, client, actor)

    @app.view("remind_settings")
    def remind_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        response = save_remind_settings(
            services,
            actor,
            days=selected_values(view, "days"),
            at=selected_field(view, "time", "selected_time"),
            pause_until=selected_field(view, "pause_until", "selected_date"),
        )
        ack(**response.ack_kwargs())
        if response.response_action == "update":
            publish_home(services, client, actor)

    @app.view("shoutout_submit")
    def shoutout_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        draft = ShoutoutDraft(
            recipient=selected_field(view, "recipient", "selected_user"),
            strength=selected_value(view, "strength"),
            note=(input_text(view, "note") or "").strip(),
            signed=selected_value(view, "signed") == "signed",
        )
        response, shoutout_id = submit_shoutout(services, client, actor, draft)
        ack(**response.ack_kwargs())
        if shoutout_id is not None:
            deliver_shoutout(services, client, actor, shoutout_id, view_id=view.get("id"))

    @app.view("shoutout_settings")
    def shoutout_settings_saved(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        actor = actor_of(context)
        draft = SettingsDraft(
            channel=selected_field(view, "channel", "selected_conversation"),
            mode=selected_value(view, "mode"),
            digest_weekday=selected_value(view, "digest_day"),
            digest_time=selected_field(view, "digest_time", "selected_time"),
            blocked_words=input_text(view, "blocked_words") or "",
            extra_strengths=input_text(view, "extra_strengths") or "",
        )
        response = save_settings(services, client, actor, draft)
        ack(**response.ack_kwargs())
        if response.response_action != "errors":
            publish_home(services, client, actor)

    @app.view("remove_shoutout")
    def remove_shoutout_confirmed(
        ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        response = remove_as_hr_lead(
            services,
            client,
            actor_of(context),
            shoutout_id=selected_value(view, "shoutout"),
            metadata=str(view.get("private_metadata") or ""),
        )
        ack(**response.ack_kwargs())

    @app.view("program_create")
    def program_created(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        if not is_hr_lead(services, client, actor, workspace_id=actor.workspace_id):
            ack(response_action="errors", errors={"name": notice(services.renderer, "not_hr")["text"]})
            return
        draft = ProgramDraft(
            name=input_text(view, "name") or "",
            channel=selected_field(view, "channel", "selected_conversation"),
            usergroup=selected_value(view, "usergroup"),
            weekday=selected_value(view, "weekday"),
            at=selected_field(view, "time", "selected_time"),
            start=selected_field(view, "start", "selected_date"),
            themes=selected_values(view, "themes"),
        )
        response, program_id = create_program(services, client, actor, draft)
        ack(**response.ack_kwargs())
        if program_id is not None:
            enroll_and_confirm(services, client, actor, program_id=program_id, view_id=str(view.get("id")))
            publish_home(services, client, actor)

    @app.view("support_settings")
    def support_saved(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        if not is_hr_lead(services, client, actor):
            ack(
                response_action="errors", errors={"support_text": notice(services.renderer, "not_hr")["text"]}
            )
            return
        response = save_support(
            services,
            actor,
            text=input_text(view, "support_text") or "",
            url=input_text(view, "support_url") or "",
            retention=input_text(view, "retention_days") or "",
            k=selected_value(view, "anonymity_k"),
        )
        ack(**response.ack_kwargs())

    @app.view("forget_me_confirm")
    def forget_me_confirmed(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        actor = actor_of(context)
        response, leftovers = forget_person(services, actor, typed=input_text(view, "confirm"))
        ack(**response.ack_kwargs())
        if response.response_action == "update":
            clean_up_slack(services, client, actor, leftovers)

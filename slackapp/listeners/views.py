"""View submissions (a kind moment, reminder settings, a shout-out, forget-me, the HR leads' forms): the
acknowledgement is the answer (the next view, a clear, or field errors, which keep the person's text on
screen whenever it cannot be kept); slow work (delivering a shout-out, enrolling a program's people,
publishing the Home tab) comes after it, and a reflection's save that may outlast Slack's three seconds is
answered in time by flows/in_time.py."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from slackapp.flows.data_rights import clean_up_slack, forget_person
from slackapp.flows.home import publish_home
from slackapp.flows.kind_moment import ENTRY_BLOCK, check_then_arrive, choose_practice, keep_practice
from slackapp.flows.moderation import remove_as_hr_lead
from slackapp.flows.reminders import HolidayChoice, save_remind_settings
from slackapp.flows.roles import SlackProfile
from slackapp.flows.self_check import keep_check
from slackapp.flows.shoutouts import ShoutoutDraft, deliver_shoutout, submit_shoutout
from slackapp.flows.team import ProgramDraft, create_program, enroll_and_confirm, save_support
from slackapp.flows.workspace_settings import SettingsDraft, save_settings
from slackapp.listeners.identity import actor_of
from slackapp.listeners.routes import HrOnly, Over, Route
from slackapp.listeners.state import has_input, input_text, selected_field, selected_value, selected_values
from slackapp.practices.answers import IN_HEAD
from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.self_check import ITEMS, Phase
from slackapp.rendering.kind_moment import opened_from_home, practice_of_view, wording_of_view
from slackapp.rendering.self_check import phase_of_view
from slackapp.rendering.shoutouts import notice_view
from slackapp.services import Services

log = logging.getLogger(__name__)


def arrival_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, services: Services) -> None:
    response = choose_practice(
        services,
        actor_of(context),
        arrival=selected_value(view, "arrival"),
        from_home=opened_from_home(view),
    )
    ack(**response.ack_kwargs())


def practice_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
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
        wording=wording_of_view(view),
        in_head=IN_HEAD in selected_values(view, IN_HEAD),
    )
    # The Home tab is published whenever it is opened; refresh it now only when it is in sight behind
    # the modal, or after mending (which may start in the journal over the Home tab).
    if response.response_action == "update" and (opened_from_home(view) or practice.revisits_entry):
        publish_home(services, client, actor)


def self_check_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    if not services.self_check:  # opened before the operator switched it off: nothing is kept
        ack(response_action="update", view=notice_view(services.renderer, "self_check_off"))
        return
    actor = actor_of(context)
    phase = phase_of_view(view) or Phase.ALONE
    submitted = {item.key: selected_value(view, item.key) for item in ITEMS}
    if phase is Phase.BEFORE:
        response = check_then_arrive(services, actor, submitted=submitted, from_home=opened_from_home(view))
    else:
        response = keep_check(services, actor, phase=phase, submitted=submitted)
    ack(**response.ack_kwargs())
    if response.response_action == "update" and phase is not Phase.BEFORE:
        publish_home(services, client, actor)  # the trend on the Home tab now includes this check


def remind_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    response = save_remind_settings(
        services,
        actor,
        days=selected_values(view, "days"),
        at=selected_field(view, "time", "selected_time"),
        pause_until=selected_field(view, "pause_until", "selected_date"),
        holidays=_holiday_choice(view),
    )
    ack(**response.ack_kwargs())
    if response.response_action == "update":
        publish_home(services, client, actor)


def _holiday_choice(view: dict[str, Any]) -> HolidayChoice | None:
    """The holiday fields, or None from a remind modal opened before they existed (nothing changes)."""
    if not has_input(view, "holidays"):
        return None
    return HolidayChoice(
        skip="skip" in selected_values(view, "holidays"), place=input_text(view, "holiday_place") or ""
    )


def shoutout_submitted(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
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


def forget_me_confirmed(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    actor = actor_of(context)
    response, leftovers = forget_person(services, actor, typed=input_text(view, "confirm"))
    ack(**response.ack_kwargs())
    if response.response_action == "update":
        clean_up_slack(services, client, actor, leftovers)


# HR leads' forms: their routes are checked (listeners/hr.py) before these run.


def shoutout_settings_saved(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    profile: SlackProfile,
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
    response = save_settings(services, client, actor, draft, profile=profile)
    ack(**response.ack_kwargs())
    if response.response_action != "errors":
        publish_home(services, client, actor)


def remove_shoutout_confirmed(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    response = remove_as_hr_lead(
        services,
        client,
        actor_of(context),
        shoutout_id=selected_value(view, "shoutout"),
        metadata=str(view.get("private_metadata") or ""),
    )
    ack(**response.ack_kwargs())


def program_created(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    profile: SlackProfile,
) -> None:
    actor = actor_of(context)
    draft = ProgramDraft(
        name=input_text(view, "name") or "",
        channel=selected_field(view, "channel", "selected_conversation"),
        usergroup=selected_value(view, "usergroup"),
        weekday=selected_value(view, "weekday"),
        at=selected_field(view, "time", "selected_time"),
        start=selected_field(view, "start", "selected_date"),
        themes=selected_values(view, "themes"),
    )
    response, program_id = create_program(services, client, actor, draft, profile=profile)
    ack(**response.ack_kwargs())
    if program_id is not None:
        enroll_and_confirm(
            services, client, actor, program_id=program_id, view_id=str(view.get("id")), profile=profile
        )
        publish_home(services, client, actor)


def support_saved(ack: Ack, view: dict[str, Any], context: BoltContext, services: Services) -> None:
    # None from a form opened before it asked for the holiday country: the setting stays as it was.
    country = (
        input_text(view, "holiday_country") or "" if has_input(view, "holiday_country", "answer") else None
    )
    response = save_support(
        services,
        actor_of(context),
        text=input_text(view, "support_text") or "",
        url=input_text(view, "support_url") or "",
        retention=input_text(view, "retention_days") or "",
        k=selected_value(view, "anonymity_k"),
        holiday_country=country,
    )
    ack(**response.ack_kwargs())


ROUTES = (
    Route("kind_moment_arrival", arrival_submitted),
    Route("kind_moment_practice", practice_submitted),
    Route("self_check", self_check_submitted),
    Route("remind_settings", remind_submitted),
    Route("shoutout_submit", shoutout_submitted),
    Route("forget_me_confirm", forget_me_confirmed),
    Route("shoutout_settings", shoutout_settings_saved, hr=HrOnly(errors_on="channel")),
    Route("remove_shoutout", remove_shoutout_confirmed, hr=HrOnly(errors_on="shoutout")),
    Route("program_create", program_created, hr=HrOnly(Over.WORKSPACE, errors_on="name")),
    Route("support_settings", support_saved, hr=HrOnly(errors_on="support_text")),
)

"""A kind moment: arrival, the matching practice, keeping the answers, the warm close."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from slackapp.actor import Actor
from slackapp.flows.in_time import AckInTime
from slackapp.flows.journal import summarize
from slackapp.flows.responses import ViewResponse
from slackapp.flows.self_check import after_check_page, check_page, record_check, starts_with_check
from slackapp.flows.support import workspace_support
from slackapp.practices.answers import check_answers
from slackapp.practices.catalogue import PRACTICES, Practice, next_wording, practice_for_arrival
from slackapp.practices.self_check import Phase
from slackapp.rendering.entries import EntrySummary
from slackapp.rendering.kind_moment import (
    MAX_KINTSUGI_CHOICES,
    arrival_view,
    closing_view,
    keeping_view,
    practice_view,
    restored_practice,
)
from slackapp.services import Services
from slackapp.store.crypto import KeyUnavailableError
from slackapp.store.members import mark_introduced, was_introduced
from slackapp.store.reflections import (
    add_reflection,
    count_reflections,
    get_entry,
    last_wording,
    list_entries,
)

log = logging.getLogger(__name__)

ENTRY_BLOCK = "entry"


def _has_entries(services: Services, actor: Actor) -> bool:
    with services.sessions.begin() as session:
        return count_reflections(session, team_id=actor.team_id, user_id=actor.user_id) > 0


def open_kind_moment(
    services: Services, client: WebClient, actor: Actor, *, trigger_id: str, from_home: bool = False
) -> None:
    """The arrival choice (a person's first has "What is self-compassion?" above it, once), or the check
    first when the person chose to check in before and after a kind moment."""
    if starts_with_check(services, actor):
        view = check_page(services, actor, phase=Phase.BEFORE, from_home=from_home)
        client.views_open(trigger_id=trigger_id, view=view)
        return
    support = workspace_support(services, actor.team_id)
    with services.sessions.begin() as session:
        introduce = not was_introduced(session, team_id=actor.team_id, user_id=actor.user_id)
        can_revisit = count_reflections(session, team_id=actor.team_id, user_id=actor.user_id) > 0
    view = arrival_view(
        services.renderer, can_revisit=can_revisit, support=support, from_home=from_home, introduce=introduce
    )
    client.views_open(trigger_id=trigger_id, view=view)
    if introduce:  # only once it reached the person (an expired trigger shows nothing)
        note_introduced(services, actor)


def note_introduced(services: Services, actor: Actor) -> None:
    """Remember that the person has read "What is self-compassion?", so it is not shown again unasked."""
    with services.sessions.begin() as session:
        mark_introduced(session, actor, now=services.clock())


def back_to_arrival(
    services: Services, actor: Actor, *, earlier: str | None, from_home: bool = False
) -> dict[str, Any]:
    """The arrival choice again, from a practice, with the `earlier` arrival chosen if it is still offered
    (a stale or forged one: nothing chosen)."""
    support = workspace_support(services, actor.team_id)
    return arrival_view(
        services.renderer,
        can_revisit=_has_entries(services, actor),
        support=support,
        from_home=from_home,
        selected=earlier,
    )


def check_then_arrive(
    services: Services, actor: Actor, *, submitted: Mapping[str, str | None], from_home: bool = False
) -> ViewResponse:
    """The check that starts a kind moment: kept, then on to how the person is arriving."""
    problem = record_check(services, actor, phase=Phase.BEFORE, submitted=submitted)
    return problem or ViewResponse(
        "update", view=back_to_arrival(services, actor, earlier=None, from_home=from_home)
    )


def _kintsugi_choices(
    services: Services, actor: Actor, *, selected_id: str | None = None
) -> tuple[list[EntrySummary], EntrySummary | None]:
    """The person's entries that kintsugi can mend, and the one they chose (if it can be mended)."""
    with services.sessions.begin() as session:
        rows = list_entries(
            session, services.vault, team_id=actor.team_id, user_id=actor.user_id, limit=MAX_KINTSUGI_CHOICES
        )
        entries = [summarize(row) for row in rows if row.can_be_mended]
        selected = None
        if selected_id is not None:
            chosen = get_entry(
                session, services.vault, team_id=actor.team_id, user_id=actor.user_id, entry_id=selected_id
            )
            selected = summarize(chosen) if chosen is not None and chosen.can_be_mended else None
    return entries, selected


def _next_wording(services: Services, actor: Actor, practice: Practice) -> int:
    """The wording after the one this person read in their latest entry of this practice."""
    with services.sessions.begin() as session:
        last = last_wording(
            session, services.vault, team_id=actor.team_id, user_id=actor.user_id, practice=practice.key
        )
    return next_wording(last)


def practice_page(
    services: Services,
    actor: Actor,
    practice: Practice,
    *,
    entries: list[EntrySummary] | None = None,
    selected: EntrySummary | None = None,
    from_home: bool = False,
    arrival: str | None = None,
) -> dict[str, Any]:
    """A practice as this person meets it next: worded differently from their latest use of it. Its
    "Choose a different practice" button names the `arrival` it was chosen from."""
    support = workspace_support(services, actor.team_id)
    return practice_view(
        services.renderer,
        practice,
        entries=entries or (),
        selected=selected,
        support=support,
        from_home=from_home,
        wording=_next_wording(services, actor, practice),
        arrival=arrival,
    )


def _kintsugi_page(
    services: Services,
    actor: Actor,
    *,
    entries: list[EntrySummary],
    selected: EntrySummary | None = None,
    from_home: bool = False,
) -> dict[str, Any]:
    return practice_page(
        services, actor, PRACTICES["kintsugi"], entries=entries, selected=selected, from_home=from_home
    )


def kintsugi_view(
    services: Services, actor: Actor, *, selected_id: str | None = None, from_home: bool = False
) -> dict[str, Any]:
    entries, selected = _kintsugi_choices(services, actor, selected_id=selected_id)
    return _kintsugi_page(services, actor, entries=entries, selected=selected, from_home=from_home)


def practice_page_of(services: Services, actor: Actor, *, key: str) -> dict[str, Any] | None:
    """A practice's view, opened straight from a team prompt; None when Kindly has no such practice, or
    it is kintsugi and the person has nothing it can mend (the arrival serves them then)."""
    practice = PRACTICES.get(key)
    if practice is None:
        return None
    if practice.revisits_entry:
        entries, _ = _kintsugi_choices(services, actor)
        return _kintsugi_page(services, actor, entries=entries) if entries else None
    return practice_page(services, actor, practice)


def choose_practice(
    services: Services, actor: Actor, *, arrival: str | None, from_home: bool = False
) -> ViewResponse:
    practice = practice_for_arrival(arrival or "")
    if practice is None:
        return ViewResponse("errors", errors={"arrival": _error(services, "choose_arrival")})
    if practice.revisits_entry:
        entries, _ = _kintsugi_choices(services, actor)
        if not entries:
            return ViewResponse("errors", errors={"arrival": _error(services, "entry_missing")})
        view = _kintsugi_page(services, actor, entries=entries, from_home=from_home)
        return ViewResponse("update", view=view)
    return ViewResponse(
        "update", view=practice_page(services, actor, practice, from_home=from_home, arrival=arrival)
    )


def _error(services: Services, problem: str, **context: Any) -> str:
    return services.renderer.text("text/field_error.txt.j2", problem=problem, **context)


def save_practice(
    services: Services,
    actor: Actor,
    *,
    practice: Practice,
    submitted: Mapping[str, str | None],
    entry_id: str | None = None,
    wording: int = 0,
    in_head: bool = False,
) -> ViewResponse:
    """Keep the answers (encrypted) and close warmly; on any failure, errors that keep the text on screen.

    Done `in_head`, the moment is kept without text (it still counts as a kind moment). The close's words
    follow the person's own count of entries, so two saves in a row read differently."""
    checked = check_answers(practice, submitted, in_head=in_head)
    if not checked.ok:
        limits = {prompt.key: prompt.max_length for prompt in practice.prompts}
        return ViewResponse(
            "errors",
            errors={
                key: _error(services, problem.value, limit=limits.get(key))
                for key, problem in checked.problems.items()
            },
        )
    try:
        with services.sessions.begin() as session:
            original = None
            if practice.revisits_entry:
                original = get_entry(
                    session,
                    services.vault,
                    team_id=actor.team_id,
                    user_id=actor.user_id,
                    entry_id=entry_id or "",
                )
                if original is None or not original.can_be_mended:
                    return ViewResponse("errors", errors={ENTRY_BLOCK: _error(services, "entry_missing")})
            now = services.clock()
            add_reflection(
                session,
                services.vault,
                team_id=actor.team_id,
                user_id=actor.user_id,
                practice=practice.key,
                answers=checked.answers,
                now=now,
                revisits=original.row.id if original is not None else None,
                wording=wording,
                in_head=checked.in_head,
            )
            variant = count_reflections(session, team_id=actor.team_id, user_id=actor.user_id)
    except (SQLAlchemyError, KeyUnavailableError):
        log.exception("a reflection could not be saved")  # not which practice: that is private too
        first_input = practice.prompts[0].key
        return ViewResponse("errors", errors={first_input: _error(services, "save_failed")})
    closing = after_check_page(services, actor) or closing_view(
        services.renderer, variant=variant, mended=original is not None
    )
    return ViewResponse("update", view=closing)


def keep_practice(
    services: Services,
    client: WebClient,
    actor: Actor,
    *,
    ack: Callable[..., Any],
    view: dict[str, Any],
    practice: Practice,
    submitted: Mapping[str, str | None],
    entry_id: str | None = None,
    wording: int = 0,
    in_head: bool = False,
) -> ViewResponse:
    """Save a practice and acknowledge within Slack's deadline however long the database takes.

    A save that is not done in time is never answered with an error (the person would try again, and
    the first save would land as well): the modal moves to "keeping it safe" and the save goes on; when
    it ends, views.update shows the close, or the practice again with the person's words and a plain
    error if it failed.
    """
    in_time = AckInTime(ack, lambda: ViewResponse("update", view=keeping_view(services.renderer)))
    response = save_practice(
        services,
        actor,
        practice=practice,
        submitted=submitted,
        entry_id=entry_id,
        wording=wording,
        in_head=in_head,
    )
    if in_time.answer(response):
        return response
    if response.response_action == "errors":
        notice = " ".join(response.errors.values())
        shown = restored_practice(view, notice=notice)
    else:
        shown = response.view or {}
    log.info("a late save ended (%s); updating the modal", response.response_action)
    try:
        client.views_update(view_id=view.get("id"), view=shown)
    except SlackApiError as error:  # e.g. the person closed the modal meanwhile
        log.warning("the modal could not be updated after a late save: %s", error.response.get("error"))
    return response

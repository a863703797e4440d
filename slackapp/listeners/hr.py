"""The one HR-lead check: every route a listener table marks `hr` reaches its handler through it. The
role is the verified user's, asked afresh on every request, so a lead named or removed a moment ago counts
at once. Commands, actions and shortcuts are acknowledged before the check, as their handlers would be; a
view submission's acknowledgement is its answer, so the check comes first there. Whoever is not an HR lead
of what the route acts on gets the same kind refusal, in the form the surface allows: a view over the
button, an ephemeral message, or a field error that keeps the form on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.request.payload_utils import to_action
from slack_bolt.util.utils import get_arg_names_of_callable

from slackapp.actor import Actor
from slackapp.flows.roles import SlackProfile, is_hr_lead, program_workspace
from slackapp.listeners.identity import actor_of
from slackapp.listeners.replies import button_value, open_or_push
from slackapp.listeners.routes import HrOnly, Kind, Over, Route
from slackapp.numbers import small_int
from slackapp.rendering.shoutouts import notice, notice_view
from slackapp.services import Services

REFUSAL = "not_hr"  # the notice every refused HR request gets


def hr_only(kind: Kind, route: Route) -> Callable[[BoltRequest, BoltResponse], None]:
    """The Bolt listener of an HR route: acknowledge (unless a view), check the role, then run the handler."""
    hr = route.hr
    if hr is None:
        raise ValueError(f"{route.key} is not an HR route")
    if kind is Kind.EVENT:
        raise ValueError(f"an event ({route.key}) has nobody to refuse: it cannot be an HR route")
    if kind is Kind.VIEW and not hr.errors_on:
        raise ValueError(f"the HR view {route.key} names the input block its refusal is shown on")
    arg_names = get_arg_names_of_callable(route.handler)

    def listener(req: BoltRequest, resp: BoltResponse) -> None:
        context = req.context
        if kind is not Kind.VIEW:
            context.ack()
        services: Services = context["services"]
        actor = actor_of(context)
        profile = SlackProfile(context.client, actor)
        workspace = _workspace_acted_on(hr, services, actor, req.body)
        if not is_hr_lead(services, context.client, actor, profile, workspace_id=workspace):
            _refuse(kind, hr, req, services)
            return
        # The profile the check may have asked Slack for: a handler that needs the person's time zone
        # makes no second users.info call.
        context["profile"] = profile
        route.handler(
            **build_required_kwargs(
                logger=context.logger,
                required_arg_names=list(arg_names),
                request=req,
                response=resp,
                this_func=route.handler,
            )
        )

    # Bolt's logs name a listener by its function.
    listener.__name__ = listener.__qualname__ = route.handler.__name__
    return listener


def _workspace_acted_on(hr: HrOnly, services: Services, actor: Actor, body: dict[str, Any]) -> str | None:
    """The workspace whose HR lead may act: a program's, the acting one, or (None) the whole scope."""
    if hr.over is Over.PROGRAM:
        return program_workspace(services, actor, small_int(button_value(to_action(body)), -1))
    return actor.workspace_id if hr.over is Over.WORKSPACE else None


def _refuse(kind: Kind, hr: HrOnly, req: BoltRequest, services: Services) -> None:
    context = req.context
    if kind is Kind.VIEW:
        text = notice(services.renderer, REFUSAL)["text"]
        context.ack(response_action="errors", errors={str(hr.errors_on): text})
    elif kind is Kind.ACTION:
        open_or_push(context.client, req.body, notice_view(services.renderer, REFUSAL))
    elif context.respond is not None:  # commands and message shortcuts come with a response_url
        context.respond(response_type="ephemeral", **notice(services.renderer, REFUSAL))
    else:  # a global shortcut: a trigger to open a view with
        open_or_push(context.client, req.body, notice_view(services.renderer, REFUSAL))

"""Slack in: one table of routes per Slack kind, given to Bolt by `register_listeners` in one loop. Before
any listener runs, one middleware puts what handlers share in the request's context (`services`, and under
OAuth `uninstalls`) and the guards refuse malformed or replayed requests; HR routes pass through the one
HR-lead check, and one error handler answers whatever a handler could not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from slackapp.flows.installations import Uninstalls
from slackapp.listeners import (
    actions,
    check_in,
    commands,
    errors,
    events,
    guards,
    installs,
    reminders,
    shortcuts,
    views,
)
from slackapp.listeners.hr import hr_only
from slackapp.listeners.routes import Kind, Route
from slackapp.rendering.help import COMMAND
from slackapp.services import Services

# Bolt tries listeners in the order they were registered, each try costing it about 40 us of argument
# inspection: the routes whose answer a person waits for most (a practice saved) come first.
TABLES: tuple[tuple[Kind, tuple[Route, ...]], ...] = (
    (Kind.COMMAND, commands.ROUTES),
    (Kind.VIEW, views.ROUTES),
    (Kind.ACTION, actions.ROUTES),
    (Kind.ACTION, reminders.ROUTES),
    (Kind.ACTION, check_in.ROUTES),
    (Kind.EVENT, events.ROUTES),
    (Kind.SHORTCUT, shortcuts.ROUTES),
)


def register_listeners(
    app: App,
    services: Services,
    *,
    installations: SQLAlchemyInstallationStore | None = None,
    uninstall_grace: timedelta = timedelta(),
) -> None:
    shared: dict[str, Any] = {"services": services}
    if installations is not None:
        shared["uninstalls"] = Uninstalls(installations=installations, grace=uninstall_grace)

    def share(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context.update(shared)
        return next()

    app.middleware(share)
    guards.register(app)
    install_routes = installs.ROUTES if installations is not None else installs.SINGLE_WORKSPACE_ROUTES
    for kind, routes in (*TABLES, (Kind.EVENT, install_routes)):
        for route in routes:
            listener = route.handler if route.hr is None else hr_only(kind, route)
            _listen(app, kind, route)(listener)
    errors.register(app, services.renderer)


def _listen(app: App, kind: Kind, route: Route) -> Callable[[Callable[..., Any]], Any]:
    """Bolt's decorator for a route of this kind."""
    if kind is Kind.COMMAND:
        return app.command(COMMAND, matchers=[commands.said(route.key)])
    register = {
        Kind.ACTION: app.action,
        Kind.VIEW: app.view,
        Kind.EVENT: app.event,
        Kind.SHORTCUT: app.shortcut,
    }
    return register[kind](route.key)

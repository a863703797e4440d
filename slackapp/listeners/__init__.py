"""Slack in: one module per kind of request, each with register(app, services)."""

from __future__ import annotations

from datetime import timedelta

from slack_bolt import App
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from slackapp.listeners import actions, commands, errors, events, guards, installs, shortcuts, views
from slackapp.services import Services


def register_listeners(
    app: App,
    services: Services,
    *,
    installations: SQLAlchemyInstallationStore | None = None,
    uninstall_grace: timedelta = timedelta(),
) -> None:
    guards.register(app, services)
    commands.register(app, services)
    shortcuts.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
    if installations is not None:
        installs.register(app, services, installations, uninstall_grace=uninstall_grace)
    else:
        installs.register_single_workspace(app)
    errors.register(app)

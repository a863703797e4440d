"""Slack in: one module per kind of request, each with register(app, services)."""

from __future__ import annotations

from slack_bolt import App

from slackapp.listeners import actions, commands, errors, events, shortcuts, views
from slackapp.services import Services


def register_listeners(app: App, services: Services) -> None:
    commands.register(app, services)
    shortcuts.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
    errors.register(app)

"""Installing Kindly through Slack's OAuth flow, as a browser does, and what the installation store holds."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from slackapp.store.crypto import load_master_keys
from slackapp.store.models import DataKey, Member, PendingWipe, Reflection, Schedule
from slackapp.store.sealed_installations import TokenSealer
from tests.conftest import Kindly
from tests.support.slack_requests import Person

# As Slack sends them once the tokens are gone: no `authorizations`, so nothing says "org-wide".
UNINSTALLED = {"type": "app_uninstalled", "event_ts": "1614847360.124850"}
BOT_REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT0001"]}, "event_ts": "1.2"}


def install(kindly: Kindly, into: str) -> str:
    """Go through Slack's OAuth flow: install page, state cookie, redirect back with a code.

    FakeSlack's code names what is installed into: `T…` a workspace, `E…` a whole Enterprise Grid org
    (org-wide), `E…/T…` one workspace of an org.
    """
    with urllib.request.urlopen(f"{kindly.base_url}/slack/install") as page:  # noqa: S310
        html = page.read().decode()
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]  # Secure: a browser sends it back over TLS
    state = re.search(r"state=([A-Za-z0-9_-]+)", html)
    assert state, "the install page links to Slack's authorize URL with a state"
    url = f"{kindly.base_url}/slack/oauth_redirect?code={into}:granted&state={state.group(1)}"
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request) as done:  # noqa: S310
        page_text: str = done.read().decode()
        return page_text


def installations(kindly: Kindly) -> set[str]:
    """Installed bots, by the id their data is scoped by: the workspace's, or the org's if org-wide."""
    with kindly.runtime.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT COALESCE(team_id, enterprise_id) FROM slack_bots")
        return {row[0] for row in rows}


def uninstall(
    kindly: Kindly, who: Person, events: Sequence[dict[str, Any]] = (BOT_REVOKED, UNINSTALLED)
) -> None:
    """Remove Kindly from `who`'s installation as Slack reports it (both events, by default), and let the
    listeners finish (this ends Bolt's listeners; the OAuth flow and the dispatcher still run)."""
    for event in events:
        assert kindly.slack.event(event, who=who, authorized=False).status == 200
    kindly.settle()


def token_sealer(kindly: Kindly) -> TokenSealer:
    """What opens the sealed tokens: the app's master keys."""
    return TokenSealer(load_master_keys(kindly.runtime.settings, may_create=False))


def stored_tokens(kindly: Kindly, *, opened: bool = True) -> set[str]:
    """Every bot or user token of any installation: opened with the master keys, or as stored."""
    with kindly.runtime.engine.connect() as connection:
        bots = connection.exec_driver_sql("SELECT bot_token FROM slack_bots").all()
        installs = connection.exec_driver_sql("SELECT bot_token, user_token FROM slack_installations").all()
    stored = {token for row in [*bots, *installs] for token in row if token}
    if not opened:
        return stored
    sealer = token_sealer(kindly)
    return {str(sealer.open(token)) for token in stored}


def pending_wipes(kindly: Kindly) -> dict[str, datetime]:
    """Scopes whose data waits out the uninstall grace period, and when it goes."""
    with kindly.runtime.services.sessions.begin() as session:
        return {wipe.team_id: wipe.wipe_after for wipe in session.scalars(select(PendingWipe))}


PERSONAL_DATA = (DataKey, Member, Reflection, Schedule)


def scopes_holding(kindly: Kindly) -> dict[str, set[str]]:
    """The data scopes (team ids) that have rows, per table of personal data."""
    with kindly.runtime.services.sessions.begin() as session:
        return {model.__tablename__: set(session.scalars(select(model.team_id))) for model in PERSONAL_DATA}


def in_every_table(*scopes: str) -> dict[str, set[str]]:
    return {model.__tablename__: set(scopes) for model in PERSONAL_DATA}


def posted_to_at(kindly: Kindly, at: datetime) -> list[str]:
    """One dispatcher tick as of `at`: whom anything was posted to (reminders and team prompts alike)."""
    before = len(kindly.fake.calls("chat.postMessage"))
    kindly.dispatch(at)
    return sorted(call.params["channel"] for call in kindly.fake.calls("chat.postMessage")[before:])

"""A scope's data when its installation goes: deleted at once, or held through a grace period for a reinstall.

While held, nothing is sent to the scope (its reminders, team prompts and digest are stopped); a reinstall
within the period brings them back, and housekeeping deletes the data of scopes whose period has ended.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.orm import Session

from slackapp.flows.workspace_settings import next_digest
from slackapp.scheduling.reminders import next_due
from slackapp.services import Services
from slackapp.store.db import engine_of, flush_deleted_pages
from slackapp.store.installations import InstallationKey, has_bot, installation_named, is_stored
from slackapp.store.schedules import schedules_stopped_for, stop_schedules
from slackapp.store.uninstalls import cancel_pending_wipe, record_pending_wipe, take_due_wipe, wipes_due
from slackapp.store.workspace_data import delete_workspace_data
from slackapp.store.workspaces import get_workspace, stop_digest

log = logging.getLogger(__name__)

# A schedule's stopped reason while its scope is uninstalled; a reinstall clears this reason, no other.
UNINSTALLED = "uninstalled"


@dataclass(frozen=True)
class Reinstated:
    was_pending: bool  # the scope's data was waiting to be wiped
    resumed: int  # schedules running again


@dataclass(frozen=True)
class Uninstalls:
    """What an uninstall touches under OAuth: the stored installations, and how long the data is held."""

    installations: SQLAlchemyInstallationStore
    grace: timedelta  # zero: the data goes with the tokens


@dataclass(frozen=True)
class NamedInstallation:
    """The ids an `app_uninstalled` or `tokens_revoked` event names (Slack sends them unauthorised)."""

    enterprise_id: str | None
    team_id: str | None
    is_enterprise_install: bool


def uninstall(services: Services, uninstalls: Uninstalls, named: NamedInstallation) -> None:
    """Kindly was removed: its tokens go, and its data now or after the grace period."""
    installation = _stored_key(uninstalls, named)
    if installation is not None:
        _forget_installation(services, uninstalls, installation)


def revoke_tokens(
    services: Services, uninstalls: Uninstalls, named: NamedInstallation, *, users: Iterable[str], bot: bool
) -> None:
    """Slack revoked tokens: the users' go; the bot's going is an uninstall."""
    installation = _stored_key(uninstalls, named)
    if installation is None:
        return
    for user_id in users:
        uninstalls.installations.delete_installation(
            enterprise_id=installation.enterprise_id, team_id=installation.team_id, user_id=user_id
        )
    if bot:
        _forget_installation(services, uninstalls, installation)


def reinstate_installation(services: Services, installation: Installation) -> Reinstated:
    """An installation was stored through the OAuth flow: a reinstall keeps its scope's held data."""
    return reinstate(services, scope=InstallationKey.of(installation).scope)


def _stored_key(uninstalls: Uninstalls, named: NamedInstallation) -> InstallationKey | None:
    return installation_named(
        uninstalls.installations,
        enterprise_id=named.enterprise_id,
        team_id=named.team_id,
        is_enterprise_install=named.is_enterprise_install,
    )


def _forget_installation(services: Services, uninstalls: Uninstalls, installation: InstallationKey) -> None:
    # Slack sends both events for one uninstall: the second finds nothing stored and holds nothing.
    installations = uninstalls.installations
    was_stored = is_stored(installations, installation)
    installations.delete_all(enterprise_id=installation.enterprise_id, team_id=installation.team_id)
    kind = "an org-wide installation" if installation.org_wide else "a workspace"
    if not uninstalls.grace:
        delete_scope_data(services, scope=installation.scope)
        log.info("%s uninstalled Kindly: its tokens and data are deleted", kind)
    elif was_stored:
        wipe_after = hold_for_reinstall(services, scope=installation.scope, grace=uninstalls.grace)
        log.info(
            "%s uninstalled Kindly: its tokens are deleted, its data goes after %s unless it reinstalls",
            kind,
            wipe_after.isoformat(timespec="minutes"),
        )


def delete_scope_data(services: Services, *, scope: str) -> None:
    with services.sessions.begin() as session:
        delete_workspace_data(session, team_id=scope)
    flush_deleted_pages(engine_of(services.sessions))


def hold_for_reinstall(services: Services, *, scope: str, grace: timedelta) -> datetime:
    """Keep the scope's data for `grace`, sending it nothing meanwhile; returns when it will be wiped."""
    wipe_after = services.clock() + grace
    with services.sessions.begin() as session:
        record_pending_wipe(session, team_id=scope, wipe_after=wipe_after)
        stop_schedules(session, team_id=scope, reason=UNINSTALLED)
        stop_digest(session, team_id=scope)
    return wipe_after


def reinstate(services: Services, *, scope: str) -> Reinstated:
    """The scope installed Kindly again: keep its data, and restart what its uninstall stopped."""
    now = services.clock()
    with services.sessions.begin() as session:
        was_pending = cancel_pending_wipe(session, team_id=scope)
        resumed = _resume_schedules(session, scope=scope, now=now)
        workspace = get_workspace(session, team_id=scope)
        if workspace is not None and workspace.next_digest_at is None:
            workspace.next_digest_at = next_digest(workspace, after=now)
    return Reinstated(was_pending=was_pending, resumed=resumed)


def _resume_schedules(session: Session, *, scope: str, now: datetime) -> int:
    schedules = schedules_stopped_for(session, team_id=scope, reason=UNINSTALLED)
    for schedule in schedules:
        schedule.stopped_reason = None
        schedule.next_due_at = next_due(schedule, after=now)
    return len(schedules)


def wipe_uninstalled(services: Services, *, now: datetime) -> int:
    """Delete the data of every scope whose grace period ended by `now`; returns how many were wiped."""
    with services.sessions.begin() as session:
        due = wipes_due(session, now=now)
    wiped = 0
    for scope in due:
        with services.sessions.begin() as session:
            installed_again = has_bot(session, scope=scope)
        if installed_again:  # a reinstall whose own clean-up did not finish: never wipe an installed scope
            reinstate(services, scope=scope)
            continue
        with services.sessions.begin() as session:
            if take_due_wipe(session, team_id=scope, now=now):
                delete_workspace_data(session, team_id=scope)
                wiped += 1
    if wiped:
        flush_deleted_pages(engine_of(services.sessions))
    return wiped

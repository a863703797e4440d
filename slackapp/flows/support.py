"""The support resources a workspace configured, for every reflection surface."""

from __future__ import annotations

from slackapp.rendering.entries import Support
from slackapp.rendering.environment import Renderer
from slackapp.rendering.escaping import is_linkable
from slackapp.rendering.field_errors import form_error
from slackapp.rendering.setting_limits import (
    SUPPORT_TEXT_MAX,
    SUPPORT_TEXT_SHOWN_MAX,
    SUPPORT_URL_MAX,
    shorten_shown,
    shown_length,
)
from slackapp.services import Services
from slackapp.store.models import Workspace
from slackapp.store.workspaces import get_workspace


def workspace_support(services: Services, team_id: str) -> Support | None:
    """The support resources of the workspace, read in a transaction of their own.

    Remembered for a few seconds (`Services.support`): every kind moment shows them, and a read of the
    database before Slack's answer is what makes an answer slow on a busy machine.
    """
    return services.support.get(team_id, lambda team: _stored_support(services, team))


def forget_support(services: Services, team_id: str) -> None:
    """After an HR lead changed the support resources: this process shows the new ones at once."""
    services.support.forget(team_id)


def _stored_support(services: Services, team_id: str) -> Support | None:
    with services.sessions.begin() as session:
        return support_of(get_workspace(session, team_id=team_id))


def support_of(workspace: Workspace | None) -> Support | None:
    """What fits on every surface: a text stored before the form's limits is shortened, a link that could
    not be shown is left out, so one setting can never stop `/kindly` from opening."""
    if workspace is None or not (workspace.support_text or workspace.support_url):
        return None
    text, url = workspace.support_text, workspace.support_url
    return Support(text=shorten_shown(text, SUPPORT_TEXT_SHOWN_MAX), url=url if showable_link(url) else "")


def showable_link(url: str) -> bool:
    return is_linkable(url) and shown_length(url) <= SUPPORT_URL_MAX


def support_problems(renderer: Renderer, *, text: str, url: str) -> dict[str, str]:
    """Field errors for support resources a surface could not show (the form keeps what was typed)."""
    problems = {}
    if len(text) > SUPPORT_TEXT_MAX or shown_length(text) > SUPPORT_TEXT_SHOWN_MAX:
        problems["support_text"] = form_error(
            renderer, "support_text_too_long", limit=SUPPORT_TEXT_MAX, shown=SUPPORT_TEXT_SHOWN_MAX
        )
    if url and not showable_link(url):
        problems["support_url"] = form_error(renderer, "support_url", limit=SUPPORT_URL_MAX)
    return problems

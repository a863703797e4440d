"""The App Home tab."""

from __future__ import annotations

from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.journal import recent_entries
from slackapp.flows.roles import is_hr_lead
from slackapp.flows.shoutouts import item_of
from slackapp.flows.support import workspace_support
from slackapp.rendering.journal import HOME_RECEIVED, HOME_RECENT, HomeContext, home_view
from slackapp.scheduling.reminders import reminder_state
from slackapp.services import Services
from slackapp.store.members import get_member
from slackapp.store.shoutouts import received_by
from slackapp.store.workspaces import get_workspace


def publish_home(services: Services, client: WebClient, actor: Actor) -> None:
    with services.sessions.begin() as session:
        reminders = reminder_state(session, actor, now=services.clock())
        member = get_member(session, team_id=actor.team_id, user_id=actor.user_id)
        workspace = get_workspace(session, team_id=actor.team_id)
        received = [
            item_of(session, services, shoutout, workspace)
            for shoutout in received_by(session, team_id=actor.team_id, user_id=actor.user_id)[:HOME_RECEIVED]
        ]
    home = HomeContext(
        recent=recent_entries(services, actor, limit=HOME_RECENT),
        reminders=reminders,
        received=received,
        receives_shoutouts=member.receives_shoutouts if member else True,
        team_prompts=member.team_prompts if member else True,
        is_hr=is_hr_lead(services, client, actor),
        support=workspace_support(services, actor.team_id),
    )
    client.views_publish(user_id=actor.user_id, view=home_view(services.renderer, home=home))

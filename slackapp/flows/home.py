"""The App Home tab, published from one transaction.

Everything the tab shows is read in a single transaction; Slack is asked for the person's profile
(users.info) only when the store cannot tell their role (they are not a named HR lead) and the caller
has not fetched the profile already.
"""

from __future__ import annotations

from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.journal import recent_entries
from slackapp.flows.roles import SlackProfile, role_given
from slackapp.flows.self_check import trend_of
from slackapp.flows.shoutouts import item_of
from slackapp.flows.support import support_of
from slackapp.rendering.journal import HOME_RECEIVED, HOME_RECENT, HomeContext, home_view
from slackapp.scheduling.reminders import reminder_state
from slackapp.services import Services
from slackapp.store.hr_leads import is_named_hr_lead
from slackapp.store.members import get_member
from slackapp.store.shoutouts import received_by
from slackapp.store.workspaces import get_workspace


def publish_home(
    services: Services, client: WebClient, actor: Actor, *, profile: SlackProfile | None = None
) -> None:
    """Publish the person's Home tab; `profile` is their users.info user, when the caller has it."""
    team_id, user_id = actor.team_id, actor.user_id
    with services.sessions.begin() as session:
        reminders = reminder_state(session, actor, now=services.clock())
        member = get_member(session, team_id=team_id, user_id=user_id)
        workspace = get_workspace(session, team_id=team_id)
        received = [
            item_of(session, services, shoutout, workspace)
            for shoutout in received_by(session, team_id=team_id, user_id=user_id)[:HOME_RECEIVED]
        ]
        recent = recent_entries(session, services, actor, limit=HOME_RECENT)
        named_lead = is_named_hr_lead(session, team_id=team_id, user_id=user_id)
        support = support_of(workspace)
        check_trend = trend_of(session, services, actor) if services.self_check else None
    role = role_given(client, actor, named=named_lead, profile=profile)
    home = HomeContext(
        recent=recent,
        reminders=reminders,
        received=received,
        receives_shoutouts=member.receives_shoutouts if member else True,
        team_prompts=member.team_prompts if member else True,
        is_hr=role is not None and role.covers(None),
        support=support,
        check_trend=check_trend,
    )
    client.views_publish(user_id=user_id, view=home_view(services.renderer, home=home))

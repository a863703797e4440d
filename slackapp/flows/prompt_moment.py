"""A team prompt's "Take a kind moment": the practice of that week's theme, counted for the program.

The button's value names the program and the theme (practices/themes.py), and is only a hint: the program
must be one of the person's own, in their own workspace, and the theme's practice one Kindly has, or the
person meets the arrival, as from /kindly. Buttons sent before prompts named a theme carry the program
alone: they are counted as before, and open the arrival.
"""

from __future__ import annotations

from slack_sdk import WebClient

from slackapp.actor import Actor
from slackapp.flows.kind_moment import open_kind_moment, practice_page_of
from slackapp.flows.programs import prompt_took_moment
from slackapp.flows.self_check import starts_with_check
from slackapp.practices.themes import read_moment_value
from slackapp.services import Services


def open_prompt_moment(
    services: Services, client: WebClient, actor: Actor, *, value: str, trigger_id: str
) -> None:
    """Open the practice the pressed prompt's theme names, or the arrival when that cannot be trusted."""
    request = read_moment_value(value)
    theirs = prompt_took_moment(services, actor, program_value=request.program_value)
    view = None
    if theirs and request.practice and not starts_with_check(services, actor):
        view = practice_page_of(services, actor, key=request.practice)
    if view is None:  # (a person who checks in before and after starts there, then chooses)
        open_kind_moment(services, client, actor, trigger_id=trigger_id)
        return
    client.views_open(trigger_id=trigger_id, view=view)

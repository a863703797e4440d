"""No label reads "(optional) (optional)": Slack itself appends "(optional)" to an optional input's label."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from slackapp.practices.catalogue import PRACTICES
from slackapp.practices.self_check import Change, Phase
from slackapp.practices.strengths import CATALOGUE
from slackapp.practices.themes import THEMES
from slackapp.rendering import Renderer
from slackapp.rendering.entries import Answer
from slackapp.rendering.journal import HomeContext, entry_missing_view, entry_view, home_view, journal_view
from slackapp.rendering.kind_moment import (
    arrival_view,
    closing_view,
    introduction_view,
    keeping_view,
    practice_view,
)
from slackapp.rendering.limits import walk_objects
from slackapp.rendering.programs import (
    Insights,
    ProgramPlan,
    TeamPage,
    insights_view,
    program_started_view,
    program_view,
    support_settings_view,
    team_view,
)
from slackapp.rendering.reminders import remind_saved_view, remind_view
from slackapp.rendering.self_check import change_view, check_view, overview_view
from slackapp.rendering.shoutouts import (
    Destination,
    RemovalChoice,
    SettingsForm,
    notice_view,
    removal_view,
    settings_view,
    shoutout_sent_view,
    shoutout_view,
)
from tests.test_program_rendering import a_program
from tests.test_reminder_rendering import STATES
from tests.test_rendering import entries, summary

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
VIEW_FOLDERS = ("modals", "practices", "home")
SHARED = {"practices/_practice.json.j2"}  # included by each practice, never rendered alone


class RecordingRenderer(Renderer):
    """The real renderer, noting which view templates it rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.rendered: set[str] = set()

    def view(self, name: str, **context: Any) -> dict[str, Any]:
        self.rendered.add(name)
        return super().view(name, **context)


class SupportForm:
    support_text = "EAP: 0800 123"
    support_url = "https://eap.example"
    retention_days = 365
    anonymity_k = 5
    holiday_country = "DE"


def every_view(renderer: Renderer) -> Iterator[dict[str, Any]]:
    """Each view template at least once, with its inputs filled in as they can be."""
    yield from (arrival_view(renderer, can_revisit=revisit) for revisit in (False, True))
    yield arrival_view(renderer, can_revisit=False, introduce=True, selected="depleted")
    yield introduction_view(renderer)
    for practice in PRACTICES.values():
        yield practice_view(renderer, practice, entries=entries(3) if practice.revisits_entry else ())
    yield closing_view(renderer, variant=0, mended=True)
    yield keeping_view(renderer)
    yield journal_view(renderer, entries=entries(3), page=0, total=3)
    yield entry_view(renderer, entry=summary(1), answers=[Answer("Words", "kind ones")], can_mend=True)
    yield entry_missing_view(renderer)
    yield home_view(renderer, home=HomeContext(recent=entries(2), reminders=STATES["on"]))
    for state in STATES.values():
        yield remind_view(renderer, state=state)
        yield remind_saved_view(renderer, state=state)
    destination = Destination("digest", "C0SHOUTS", 4)
    yield shoutout_view(renderer, strengths=CATALOGUE, destination=destination, recipient="U0BOB")
    yield shoutout_sent_view(renderer, destination=destination, recipient="U0BOB")
    form = SettingsForm("C0SHOUTS", "digest", 4, time(15), "Europe/Berlin", "darn", "Craftsmanship")
    yield settings_view(renderer, settings=form)
    removal = [RemovalChoice("id1", "1", "Kindness", "U0BOB")]
    yield removal_view(renderer, items=removal, channel="C0SHOUTS", ts="1.1")
    yield notice_view(renderer, "not_hr")
    yield team_view(
        renderer, team=TeamPage(programs=[a_program("channel", "C0TEAM")], named_leads=["U0HANNA"])
    )
    groups = [{"id": "S1", "handle": "designers"}]
    yield program_view(renderer, themes=THEMES, usergroups=groups, today=date(2026, 12, 3))
    for people in (None, 23):
        plan = ProgramPlan(
            "Weekly", 1, time(10), date(2026, 12, 8), "Europe/Berlin", "channel", "C0T", people
        )
        yield program_started_view(renderer, plan=plan)
    yield support_settings_view(renderer, form=SupportForm())
    yield insights_view(renderer, insights=Insights(name="Weekly", k=5, weeks=[], sparkline=""))
    yield renderer.view("modals/forget_me.json.j2")
    yield renderer.view("modals/forgotten.json.j2")
    yield from (check_view(renderer, phase=phase) for phase in Phase)
    yield overview_view(renderer, trend=[], before_and_after=True, monthly=False, thanks=True)
    yield from (change_view(renderer, change=change) for change in (*Change, None))


def optional_labels(view: dict[str, Any]) -> list[str]:
    """The label of every input that Slack will mark "(optional)" itself."""
    return [
        str(node["label"]["text"])
        for node in walk_objects(view.get("blocks", []))
        if node.get("type") == "input" and node.get("optional") is True
    ]


RENDERER = RecordingRenderer()
VIEWS = list(every_view(RENDERER))


def test_every_view_template_is_rendered_here() -> None:
    found = {
        path.relative_to(TEMPLATES).as_posix()
        for folder in VIEW_FOLDERS
        for path in (TEMPLATES / folder).glob("*.json.j2")
    }
    assert RENDERER.rendered == found - SHARED


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: str(view.get("callback_id") or view["type"]))
def test_no_optional_input_says_optional_itself(view: dict[str, Any]) -> None:
    labels = optional_labels(view)
    assert not [label for label in labels if "optional" in label.lower()], labels


def test_the_check_sees_the_optional_inputs() -> None:
    """The forms with optional inputs are among those checked, so a label there would be caught."""
    checked = {label for view in VIEWS for label in optional_labels(view)}
    assert {
        "Pause until",
        "A few words",
        "Everyone in this channel",
        "Support link",
        "Rather not write?",
    } <= checked

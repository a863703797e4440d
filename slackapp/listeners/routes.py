"""Rows of the listener tables: what Slack sends, the module-level handler it reaches, and who may use it.
Each Slack kind's module (commands, actions, views, events, shortcuts, installs) ends with one table of
routes, and `register_listeners` gives every row to Bolt in one loop. A handler takes what its parameters
name, as Bolt hands it (`ack`, `body`, `context`, `client`, ...), plus `services`, which one middleware
puts in every request's context: no handler closes over anything. A route marked `hr` reaches its
handler only through the one HR-lead check (listeners/hr.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """The Slack kinds Kindly listens to, each with its own table."""

    COMMAND = "command"  # a word after /kindly
    ACTION = "action"  # an action_id
    VIEW = "view"  # a view's callback_id, on submission
    EVENT = "event"  # an Events API event type
    SHORTCUT = "shortcut"  # a global or message shortcut's callback_id


class Over(Enum):
    """What an HR route acts on. An org-wide install's workspace admin leads their own workspace only."""

    SCOPE = "the whole data scope"  # settings, HR leads, moderation
    WORKSPACE = "the acting workspace"  # the team page, a new program
    PROGRAM = "the program the button names"  # pause, resume, delete, insights


@dataclass(frozen=True)
class HrOnly:
    """A route for HR leads of what it acts on; everyone else gets the same kind refusal.

    A view submission shows the refusal as a field error, on the input block `errors_on` (the form and
    its text stay on screen).
    """

    over: Over = Over.SCOPE
    errors_on: str | None = None


@dataclass(frozen=True)
class Route:
    key: str  # the action_id, callback_id, event type or /kindly word the handler serves
    handler: Callable[..., None]
    hr: HrOnly | None = None

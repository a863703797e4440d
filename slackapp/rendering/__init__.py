"""Block Kit out: one Jinja2 environment, builders that render templates and validate the result."""

from slackapp.rendering.environment import Renderer
from slackapp.rendering.limits import BlockKitError

__all__ = ["BlockKitError", "Renderer"]

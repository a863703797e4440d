"""A fake Slack Web API server for end-to-end tests and the local playground."""

from slackapp.fakeslack.records import RecordedCall
from slackapp.fakeslack.server import FakeSlack

__all__ = ["FakeSlack", "RecordedCall"]

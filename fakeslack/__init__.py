"""A fake Slack Web API server for end-to-end tests and the local playground."""

from fakeslack.records import RecordedCall
from fakeslack.server import FakeSlack

__all__ = ["FakeSlack", "RecordedCall"]

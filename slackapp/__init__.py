"""Kindly: a Slack app for workplace self-compassion."""

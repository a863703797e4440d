"""The self-compassion domain: practices and how answers are checked. No Slack, no SQL."""

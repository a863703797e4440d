"""The self-compassion domain: practices, strengths, prompt themes, the rules for shout-outs and insights, and
what a person's reminders look like. No Slack, no SQL.
"""

"""Orchestration for listeners and jobs: a flow owns its transaction, reads the store, renders, calls Slack.

The dispatcher reaches a flow (the digest) only through what the runtime hands it.
"""

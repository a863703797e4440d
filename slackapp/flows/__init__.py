"""Orchestration shared by several listeners: read the store, render, call Slack."""

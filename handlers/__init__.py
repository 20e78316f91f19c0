"""Slack surfaces (Bolt listeners). Thin: parse the payload, call Assistant.ask, render."""

"""Helpers for the browser tests and benchmarks: start the app, build synthetic workspaces
(not part of the installed package; the app never imports them)."""

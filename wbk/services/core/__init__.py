"""Foundations: the workspace, permissions (actor, abilities), audit chain, keys, integrity."""

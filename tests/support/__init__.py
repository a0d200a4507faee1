"""Helpers for tests and benchmarks that drive the real app (not used by the app itself)."""

"""Serving the assistant: the process runner (and, later, channels and staff pages)."""

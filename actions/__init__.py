"""Custom actions: answers composed from the knowledge base, grouped by concern."""

"""Custom Rasa NLU components for Korean and English applicants."""

"""Changes to Rasa 3.6's own behaviour, installed by bot/rasa_server.py before Rasa starts:
per-message work done once (performance.py), an apology when the action server fails (resilience.py)."""

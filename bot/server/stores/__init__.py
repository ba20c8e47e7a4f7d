"""Where the Rasa servers keep conversations (tracker store) and their per-conversation locks
(lock store); named in endpoints.yml and deploy/endpoints.production.yml."""

"""Rasa input channels (named in credentials.yml) and what every channel does around Rasa's
handler: the input screen, "/bot" back from the helpdesk, an apology when Rasa fails."""

"""Rasa's REST channel, aware of the helpdesk handoff ("/bot" resumes a paused conversation)."""
from rasa.core.channels.rest import RestInput as RasaRestInput

from bot.handoff import HandoffAware


class RestInput(HandoffAware, RasaRestInput):
    """Registered in credentials.yml as `bot.rest.RestInput`; POST /webhooks/rest/webhook."""

    def blueprint(self, on_new_message):
        blueprint = super().blueprint(self.handoff_aware(on_new_message))
        self.remember_app(blueprint)
        return blueprint

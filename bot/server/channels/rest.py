"""Rasa's REST channel, aware of the helpdesk handoff ("/bot" resumes a paused conversation).

Its clients choose their sender ids, so it refuses the other channels' namespaces (`telegram-…`,
`web-…`): a REST caller cannot write into a Telegram or widget conversation. It is meant for
development, tests and trusted integrations, not for the open internet (README: "Security"), so
it takes messages only when KCN_REST_CHANNEL allows it (by default not in the production profile);
otherwise its webhook answers 404 and only its status page says it is off.
"""
from typing import Optional, Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.server.channels.guarded_input import GuardedInput
from knowledge import settings

OTHER_CHANNELS = ("telegram-", "web-")


class RestInput(GuardedInput, RasaRestInput):
    """Registered in credentials.yml as `bot.server.channels.rest.RestInput`; POST /webhooks/rest/webhook."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = await super()._extract_sender(req)
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
            raise InvalidUsage("'sender' must be a non-empty string of at most 128 characters")
        if sender.startswith(OTHER_CHANNELS):
            raise InvalidUsage(f"sender ids starting with {' or '.join(OTHER_CHANNELS)} belong to other channels")
        return sender

    def blueprint(self, on_new_message):
        if not settings.rest_channel():
            off = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

            @off.route("/", methods=["GET"])
            async def health(_: Request):
                return response.json({"status": "off", "why": "KCN_REST_CHANNEL is off"})

            return off
        blueprint = super().blueprint(self.guarded(on_new_message))
        self.remember_app(blueprint)
        return blueprint

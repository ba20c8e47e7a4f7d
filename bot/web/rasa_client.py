"""A small client of the Rasa server's HTTP API, with the server's auth token: what the helpdesk
console reads (a conversation's tracker) and writes (an officer's reply, a pause's end), and where
the notification worker (bot/notify/) puts the status news it sends into the conversation."""
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp


class RasaApi:
    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url.rstrip("/"), token
        self.http: Optional[aiohttp.ClientSession] = None

    async def start(self, _app=None) -> None:
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))

    async def stop(self, _app=None) -> None:
        if self.http:
            await self.http.close()

    def _conversation(self, conversation_id: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}"

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        async with self.http.get(self._conversation(conversation_id) + "/tracker", params={"token": self.token}) as r:
            r.raise_for_status()
            return await r.json()

    async def append(self, conversation_id: str, events: List[Dict[str, Any]], deliver: bool = True) -> None:
        """Appends events; bot events are also delivered on the conversation's latest channel, unless
        `deliver` is False (already sent another way: only recorded)."""
        params = {"token": self.token}
        if deliver:
            params.update(output_channel="latest", execute_side_effects="true")
        async with self.http.post(self._conversation(conversation_id) + "/tracker/events", params=params,
                                  json=events) as r:
            r.raise_for_status()

    async def trigger_intent(self, conversation_id: str, intent: str) -> None:
        """Runs an intent as if the applicant had sent it: the bot's replies go to their channel, and
        the turn ends listening, so the next message is handled like any other."""
        async with self.http.post(self._conversation(conversation_id) + "/trigger_intent",
                                  params={"token": self.token, "output_channel": "latest"}, json={"name": intent}) as r:
            r.raise_for_status()

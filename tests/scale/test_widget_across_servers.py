"""A widget applicant connected to server A gets a message sent through server B (the helpdesk case)."""
import asyncio
import uuid

import requests
import socketio

from conftest import TOKEN


async def widget_on(server, session):
    """A socket.io client speaking to the server as the widget does; returns (client, replies queue)."""
    client, replies, confirmed = socketio.AsyncClient(), asyncio.Queue(), asyncio.Event()
    client.on("bot_uttered", replies.put_nowait)
    client.on("session_confirm", lambda _session: confirmed.set())
    await client.connect(server.url, socketio_path="/socket.io", transports=["polling"])  # this aiohttp is too old for engineio's websocket client
    await client.emit("session_request", {"session_id": session})
    await asyncio.wait_for(confirmed.wait(), 30)
    return client, replies


def send_through_api(server, session, text):
    """What the helpdesk console does with an officer's reply (bot/web/helpdesk.py RasaApi.append)."""
    response = requests.post(f"{server.url}/conversations/{session}/tracker/events",
                             params={"token": TOKEN, "output_channel": "latest", "execute_side_effects": "true"},
                             json=[{"event": "bot", "text": text}], timeout=60)
    response.raise_for_status()


def test_a_message_sent_through_one_server_reaches_the_widget_on_the_other(servers):
    a, b = servers
    session = f"web-{uuid.uuid4().hex}"

    async def scenario():
        client, replies = await widget_on(a, session)
        try:
            await client.emit("user_uttered", {"message": "How much funding does a planning project get?",
                                               "session_id": session})
            answer = await asyncio.wait_for(replies.get(), 120)
            assert "KRW 300–600 million" in answer["text"]
            await asyncio.to_thread(send_through_api, b, session, "Hello, this is the helpdesk.")
            return (await asyncio.wait_for(replies.get(), 30))["text"]
        finally:
            await client.disconnect()

    assert asyncio.run(scenario()) == "Hello, this is the helpdesk."

"""bot/server/patches/performance.py: Rasa's per-message work done once, with the same results as Rasa's own code."""
import asyncio

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.server.patches import performance as rasa_performance

VALID_REPLY = {"events": [{"event": "slot", "name": "language", "value": "ko", "timestamp": None}],
               "responses": [{"text": "안녕하세요"}]}
INVALID_REPLY = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}


@pytest.fixture
def installed():
    original_validate = RemoteAction._validate_action_result
    original_resolve = Event.resolve_by_type
    rasa_performance.install()
    yield original_validate, original_resolve
    rasa_performance.uninstall()


def test_uninstall_puts_rasas_code_back(installed):
    original_validate, _ = installed
    assert RemoteAction._validate_action_result is not original_validate
    rasa_performance.uninstall()
    assert RemoteAction._validate_action_result is original_validate
    rasa_performance.install()  # for the fixture's uninstall


def test_action_replies_are_judged_as_rasa_judges_them(installed):
    original_validate, _ = installed
    action = RemoteAction("action_answer_deadline", None)
    assert action._validate_action_result(VALID_REPLY) is True
    assert original_validate(action, VALID_REPLY) is True
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(INVALID_REPLY)
    with pytest.raises(ValidationError) as rasas:
        original_validate(action, INVALID_REPLY)
    assert ours.value.message == rasas.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_every_event_type_resolves_to_rasas_class(installed):
    _, original_resolve = installed
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is original_resolve(cls.type_name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        Event.resolve_by_type("no such event")


def test_an_event_class_imported_later_is_found(installed):
    assert Event.resolve_by_type("user") is UserUttered  # the table is built

    class LateEvent(SlotSet):
        type_name = "kcn_test_late_event"

    assert Event.resolve_by_type("kcn_test_late_event") is LateEvent


def test_requests_to_an_endpoint_share_one_connection(installed):
    peers, answers = [], iter([web.json_response({"events": []}), web.Response(status=500, text="boom"),
                               web.Response(text="not json")])

    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))
        return next(answers)

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            assert await endpoint.request(json={"next_action": "x"}, method="post") == {"events": []}
            with pytest.raises(ClientResponseError) as error:
                await endpoint.request(json={}, method="post")
            assert error.value.status == 500
            assert await endpoint.request(json={}, method="post") is None
            session = rasa_performance._shared_session(endpoint)
            await rasa_performance.close_shared_sessions()
            assert session.closed
        finally:
            await runner.cleanup()

    asyncio.run(scenario())
    assert len(peers) == 3 and len(set(peers)) == 1, peers  # one keep-alive connection for all three


def test_the_model_answers_the_same_without_dask(agent, installed):
    """NLU results and the policies' next action, from the trained model, with Rasa's dask runner and with ours."""
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    loop = asyncio.new_event_loop()
    messages = ["해외실증형 마감일이 언제예요?", "How much funding does a demo project get?", "안녕하세요",
                "I want to check the status of my proposal", "asdf qwer"]

    def outcomes():
        results = []
        for text in messages:
            parsed = loop.run_until_complete(agent.parse_message(text))
            tracker = DialogueStateTracker.from_events("tester", [
                ActionExecuted("action_listen"), UserUttered(text, parsed["intent"], parsed["entities"], parsed)],
                agent.domain.slots)
            prediction = agent.processor._predict_next_with_tracker(tracker)
            results.append((parsed, prediction.max_confidence_index, prediction.probabilities, prediction.policy_name))
        return results

    ours = outcomes()
    assert DaskGraphRunner.run is rasa_performance.run_graph_in_order
    rasa_performance.uninstall()
    try:
        assert outcomes() == ours
    finally:
        rasa_performance.install()
        loop.close()
    assert {agent.domain.action_names_or_texts[index] for _, index, _, _ in ours} >= {"action_answer_deadline", "utter_greet"}

"""bot/server/patches/dialogue_states.py: the policies' states of a conversation, replayed only
for the new events, equal to Rasa's own at every step of every story and rule of the project
(forms, rules, slots), with reverts and restarts, and the same next action from the model."""
import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, UserUttered, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from bot.server.patches import dialogue_states

ROOT = Path(__file__).resolve().parents[4]

ORIGINAL = Domain.states_for_tracker_history
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RULE_ONLY = {"slots": ["requested_slot"], "loops": ["status_check_form", "draft_form", "draft_access_form"]}
ARGUMENTS = [{}, {"omit_unset_slots": True}, {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY}]


@pytest.fixture
def installed():
    dialogue_states.install()
    yield
    dialogue_states.uninstall()


def steps():
    """Every story and rule of data/ and tests/stories, as its events."""
    reader = YAMLStoryReader(DOMAIN)
    for path in sorted([*(ROOT / "data").rglob("*.yml"), *(ROOT / "tests" / "stories").glob("*.yml")]):
        for step in reader.read_from_file(str(path)):
            yield path.name, step.block_name, [e for e in step.events if not isinstance(e, str)]


def test_every_step_of_every_story_and_rule_gives_rasas_states(installed):
    compared = 0
    for file, name, events in steps():
        tracker = DialogueStateTracker("story", DOMAIN.slots)  # one tracker growing, as in a conversation
        for event in events:
            tracker.update(event)
            for arguments in ARGUMENTS:
                assert DOMAIN.states_for_tracker_history(tracker, **arguments) == ORIGINAL(DOMAIN, tracker, **arguments), \
                    (file, name, arguments)
                compared += 1
    assert compared > 2000


def test_reverts_restarts_and_copies_give_rasas_states(installed):
    tracker = DialogueStateTracker("reverts", DOMAIN.slots)
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"),
              ActionExecuted("action_listen"), UserUttered("deadline?", {"name": "ask_deadline"}),
              UserUtteranceReverted(), ActionExecuted("action_listen"), UserUttered("bye", {"name": "goodbye"}),
              ActionExecuted("utter_goodbye"), Restarted(), ActionExecuted("action_listen"),
              UserUttered("how much?", {"name": "ask_amount"}), ActionExecuted("action_answer_amount")]
    for event in events:
        tracker.update(event)
        for arguments in ARGUMENTS:
            assert DOMAIN.states_for_tracker_history(tracker, **arguments) == ORIGINAL(DOMAIN, tracker, **arguments)
            copied = tracker.copy()
            assert DOMAIN.states_for_tracker_history(copied, **arguments) == ORIGINAL(DOMAIN, copied, **arguments)


def test_a_caller_editing_the_states_edits_nothing_kept(installed):
    tracker = DialogueStateTracker("edits", DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    for state in DOMAIN.states_for_tracker_history(tracker):
        for sub_state in state.values():
            sub_state.clear()
    assert DOMAIN.states_for_tracker_history(tracker) == ORIGINAL(DOMAIN, tracker)


def test_the_model_predicts_the_same_next_actions_over_a_long_conversation(agent, installed):
    loop = asyncio.new_event_loop()
    texts = ["안녕하세요", "해외실증형 마감일이 언제예요?", "How much funding does a demo project get?",
             "I want to check the status of my proposal", "cancel", "asdf qwer", "thanks"] * 6
    tracker = DialogueStateTracker.from_events("long", [ActionExecuted("action_listen")], agent.domain.slots)
    try:
        for text in texts:
            parsed = loop.run_until_complete(agent.parse_message(text))
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            ours = agent.processor._predict_next_with_tracker(tracker)
            dialogue_states.uninstall()
            rasas = agent.processor._predict_next_with_tracker(tracker)
            dialogue_states.install()
            assert (ours.max_confidence_index, ours.probabilities, ours.policy_name) == \
                   (rasas.max_confidence_index, rasas.probabilities, rasas.policy_name), text
            action = agent.domain.action_names_or_texts[ours.max_confidence_index]
            tracker.update(ActionExecuted(action))
            tracker.update(ActionExecuted("action_listen"))
    finally:
        loop.close()

"""The policies' view of a conversation, computed once per turn instead of from the start at every prediction.

RulePolicy (twice) and MemoizationPolicy call `Domain.states_for_tracker_history` at every
prediction; it replays the whole conversation event by event and builds a state before each
action. Over a 300-turn conversation that was half of the Rasa server's time (py-spy, `make
bench`'s long conversations), growing with every turn.

The states before an action depend only on the events up to it, so this keeps, per conversation
and set of arguments, the events already replayed (the very objects), the replaying tracker and
copies of the states built so far. A call whose applied events begin with exactly those objects replays only
the new ones; anything else (a revert, a restart, a new session, a tracker rebuilt from the
database) replays from the start, as Rasa does. The loop body is Rasa 3.6.21's, unchanged; the
states handed out are copies, so a caller that edits them (the featurizers remove user text) edits
nothing kept.
"""
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

import rasa.shared.core.constants as core_constants
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted

# Replays kept: three per conversation the tracker store keeps in memory (one per set of arguments
# the policies use); a conversation read again from the database has new event objects anyway.
ARGUMENT_SETS = 3
_ORIGINAL: Dict[str, Any] = {}
_capacity = ARGUMENT_SETS * 500


@dataclass
class _Replay:
    events: List[Any]  # the applied events replayed, in order
    tracker: Any  # the replaying tracker, every one of `events` applied
    states: List[Dict] = field(default_factory=list)  # the state before each ActionExecuted of `events`
    last_ml_action_sub_state: Optional[Dict] = None
    turn_was_hidden: bool = False


_replays: "OrderedDict[tuple, _Replay]" = OrderedDict()


def _step(domain: Domain, replay: _Replay, tr, hide_rule_turn: bool, ignore_rule_only_turns: bool,
          omit_unset_slots: bool, rule_only_data, states: List[Dict]) -> None:
    """Rasa's loop body (Domain.states_for_tracker_history) for one prior tracker."""
    if ignore_rule_only_turns:
        if not replay.turn_was_hidden:
            replay.last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if replay.last_ml_action_sub_state:
            state[core_constants.PREVIOUS_ACTION] = replay.last_ml_action_sub_state
    # Copied: a state's sub-states may be the replaying tracker's own dicts (its latest action).
    states.append(_copied(domain._clean_state(state)))


def states_for_tracker_history(self: Domain, tracker, omit_unset_slots: bool = False,
                               ignore_rule_only_turns: bool = False,
                               rule_only_data: Optional[Dict[Text, Any]] = None) -> List[Dict]:
    applied = tracker.applied_events()
    # Per conversation and per copy of it (a copy's events are other objects), per set of arguments.
    key = (id(self), tracker.sender_id, id(applied[0]) if applied else None, omit_unset_slots,
           ignore_rule_only_turns, repr(rule_only_data))
    replay = _replays.pop(key, None)
    if replay is None or len(applied) < len(replay.events) or any(
            a is not b for a, b in zip(applied, replay.events)):
        replay = _Replay([], tracker.init_copy())
    for event in applied[len(replay.events):]:
        if isinstance(event, ActionExecuted):
            _step(self, replay, replay.tracker, event.hide_rule_turn, ignore_rule_only_turns, omit_unset_slots,
                  rule_only_data, replay.states)
        replay.tracker.update(event)
        replay.events.append(event)
    _replays[key] = replay
    while len(_replays) > _capacity:
        _replays.popitem(last=False)
    # The state now (after the last event): built on a copy of the loop's variables, kept for no one.
    states = [_copied(state) for state in replay.states]
    now = _Replay(replay.events, replay.tracker, last_ml_action_sub_state=replay.last_ml_action_sub_state,
                  turn_was_hidden=replay.turn_was_hidden)
    _step(self, now, replay.tracker, False, ignore_rule_only_turns, omit_unset_slots, rule_only_data, states)
    return states


def _copied(state: Dict) -> Dict:
    """A state's copy deep enough for what callers edit: its sub-states (their values are tuples and strings)."""
    return {name: dict(sub_state) for name, sub_state in state.items()}


def install() -> None:
    global _capacity
    from knowledge import settings

    _capacity = ARGUMENT_SETS * max(1, settings.tracker_cache())
    if not _ORIGINAL:
        _ORIGINAL["states_for_tracker_history"] = Domain.__dict__["states_for_tracker_history"]
        Domain.states_for_tracker_history = states_for_tracker_history


def uninstall() -> None:
    if _ORIGINAL:
        Domain.states_for_tracker_history = _ORIGINAL.pop("states_for_tracker_history")
    _replays.clear()

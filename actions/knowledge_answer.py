"""Base class for actions that answer a question about the call from the knowledge base."""
import datetime
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import clock, faq, service
from knowledge.insights import ANSWERED_FROM_FAQ
from knowledge.revision import one_reading
from knowledge.wording import formatting as fmt
from knowledge.wording import say

TOPIC_SLOT = "last_topic"


def where_calls_are_announced(call: service.Call, lang: str) -> str:
    """The call's own links, where an assistant that knows no later call sends the applicant."""
    return fmt.join([link.url for link in call.links], lang)

@dataclass(frozen=True)
class Question:
    """What the latest message asked about, in which language, on which day."""

    lang: str
    today: datetime.date
    tracks: Tuple[str, ...] = ()
    applicant: Optional[str] = None
    lacking: Tuple[str, ...] = ()
    year: Optional[int] = None
    last_topic: Optional[str] = None

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> "Question":
        def values(entity: str) -> Tuple[str, ...]:
            return tuple(dict.fromkeys(str(v) for v in tracker.get_latest_entity_values(entity)))

        years = [int(y) for y in values("year") if str(y).isdigit()]
        return cls(
            lang=language_of(tracker),
            today=clock.today(),
            tracks=values("track"),
            applicant=next(iter(values("applicant")), None),
            lacking=values("lacking"),
            year=years[0] if years else None,
            last_topic=tracker.get_slot(TOPIC_SLOT),
        )

    def say(self, key: str, **facts) -> str:
        return say(key, self.lang, **facts)

    def date(self, d: datetime.date) -> str:
        return fmt.date(d, self.lang)

    def tracks_of(self, call: service.Call) -> List[service.Track]:
        """The tracks asked about, or every track of the call when none was named."""
        if not self.tracks:
            return list(call.tracks)
        return [t for t in call.tracks if t.code in self.tracks]

    def date_notes(self, call: service.Call) -> List[str]:
        """Today's date, and a pointer to newer calls once the call's year is over."""
        notes = [self.say("today", today=self.date(self.today))]
        if self.today.year > call.year:
            notes.append(self.say("stale_call", year=call.year, links=where_calls_are_announced(call, self.lang)))
        return notes


class KnowledgeAnswer(Action):
    """Answers one topic; subclasses implement `answer` and say nothing but facts from the knowledge base."""

    topic = ""
    by_topic: Dict[str, Type["KnowledgeAnswer"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.topic:
            KnowledgeAnswer.by_topic[cls.topic] = cls

    def name(self) -> str:
        return f"action_answer_{self.topic}"

    def answer(self, call: service.Call, q: Question) -> List[str]:
        raise NotImplementedError

    def respond(self, call: service.Call, q: Question) -> List[str]:
        """The answer, or the list of real tracks when the user named none of them."""
        if q.tracks and not q.tracks_of(call):
            return [q.say("no_such_track", year=call.year, tracks=fmt.join([t.name.get(q.lang) for t in call.tracks], q.lang))]
        return self.answer(call, q)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        q = Question.from_tracker(tracker)
        text = tracker.latest_message.get("text") or ""
        match = None
        with knowledge_access(f"answering {self.topic or self.name()}", dispatcher, q.lang) as access, one_reading():
            if not text.startswith("/"):  # typed words: a staff-added FAQ entry that is nearly this question wins
                match = faq.best_match(text, q.lang, threshold=faq.OVERRIDE)
            if match is None:
                call = service.current_call()
                lines = self.respond(call, q) if call else [q.say("no_published_call")]
        if access.failed:
            return []
        if match:
            dispatcher.utter_message(text=match.answer, **ANSWERED_FROM_FAQ)
            return []
        dispatcher.utter_message(text="\n".join(fmt.capitalized(line) for line in lines))
        return [SlotSet(TOPIC_SLOT, self.topic or q.last_topic)]

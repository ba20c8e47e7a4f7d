"""A bare track name ("what about the demo track?") continues the previous question."""
from actions.knowledge_answer import KnowledgeAnswer
from knowledge.wording import formatting as fmt


class AnswerFollowUp(KnowledgeAnswer):
    """Answers the last topic again for the track now named; without one, asks what to tell."""

    def name(self) -> str:
        return "action_answer_followup"

    def answer(self, call, q):
        previous = KnowledgeAnswer.by_topic.get(q.last_topic or "")
        if previous is not None:
            return previous().respond(call, q)
        return [q.say("track_summary", track=fmt.join_or([t.name.get(q.lang) for t in q.tracks_of(call)], q.lang))]

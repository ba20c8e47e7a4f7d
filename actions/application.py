"""How to apply: where to submit, the pre-consulting, how proposals are reviewed."""
from actions.knowledge_answer import KnowledgeAnswer


class AnswerSubmission(KnowledgeAnswer):
    topic = "submission"

    def answer(self, call, q):
        return [
            q.say("submission", track=t.name.get(q.lang), secretariat=t.secretariat.name.get(q.lang),
                  code=t.secretariat.code, how=t.submission_how.get(q.lang))
            for t in q.tracks_of(call)
        ]


class AnswerPreconsulting(KnowledgeAnswer):
    topic = "preconsulting"

    def answer(self, call, q):
        tracks = q.tracks_of(call)
        with_consulting = [t for t in tracks if t.preconsulting]
        # Unasked, a track without pre-consulting is left out: the question is about the one that has it.
        shown = tracks if q.tracks or not with_consulting else with_consulting
        return [
            q.say("preconsulting", track=t.name.get(q.lang), text=t.preconsulting.get(q.lang)) if t.preconsulting
            else q.say("no_preconsulting", track=t.name.get(q.lang), review=t.review_method.get(q.lang))
            for t in shown
        ]


class AnswerReview(KnowledgeAnswer):
    topic = "review"

    def answer(self, call, q):
        return [q.say("review", track=t.name.get(q.lang), text=t.review_method.get(q.lang)) for t in q.tracks_of(call)]

"""When: deadlines and intake rules, late proposals, selection dates."""
import datetime
from typing import List

from actions.knowledge_answer import KnowledgeAnswer, Question
from knowledge import service
from knowledge.service import Intake
from knowledge.wording import formatting as fmt
from knowledge.wording import say

INTAKE_SENTENCES = {
    Intake.NOT_YET_OPEN: "intake_not_yet_open",
    Intake.OPEN: "intake_open",
    Intake.CLOSED: "intake_closed",
    Intake.OPEN_THIS_YEAR: "intake_open_this_year",
    Intake.AFTER_CUTOFF: "intake_after_cutoff",
    Intake.BEYOND_CALL: "intake_after_cutoff",
}


def _beyond_call(call: service.Call, status: Intake, q: Question) -> List[str]:
    """Under a rule of the latest call that today lies beyond: the call says nothing of today."""
    return ["  " + q.say("intake_beyond_call", year=call.year)] if status is Intake.BEYOND_CALL else []


def intake_lines(call: service.Call, q: Question) -> List[str]:
    lines = []
    for t in q.tracks_of(call):
        name = t.name.get(q.lang)
        opens = q.date(call.opens_on)
        status = service.intake_status(call, t, q.today)
        if t.intake_mode == "rolling":
            cutoff = q.date(t.review_cutoff)
            facts = dict(year=t.review_cutoff.year, next_year=t.review_cutoff.year + 1, cutoff=cutoff)
            lines.append(q.say("deadline_rolling", track=name, opens=opens, **facts))
            days = (t.review_cutoff - q.today).days
        else:
            lines.append(q.say("deadline_fixed", track=name, opens=opens, deadline=q.date(t.deadline)))
            facts = dict(deadline=q.date(t.deadline))
            days = (t.deadline - q.today).days
        lines.append("  " + q.say(INTAKE_SENTENCES[status], opens=opens, days=days, **facts))
        lines += _beyond_call(call, status, q)
    return lines


class AnswerDeadline(KnowledgeAnswer):
    topic = "deadline"

    def answer(self, call, q):
        return intake_lines(call, q) + q.date_notes(call)


class AnswerLateProposal(KnowledgeAnswer):
    topic = "late_proposal"

    def answer(self, call, q):
        lines = []
        for t in q.tracks_of(call):
            name = t.name.get(q.lang)
            if t.intake_mode == "rolling":
                lines.append(q.say("late_rolling", track=name, cutoff=q.date(t.review_cutoff),
                                   year=t.review_cutoff.year, next_year=t.review_cutoff.year + 1))
                lines += _beyond_call(call, service.intake_status(call, t, q.today), q)
            else:
                lines.append(q.say("late_fixed", track=name, deadline=q.date(t.deadline)))
        return lines + q.date_notes(call)


def selection_line(track: service.Track, lang: str, today: datetime.date) -> str:
    """When the track's final selection is planned, or that it has passed."""
    passed = (today.year, today.month) > (track.selection_year, track.selection_month)
    return say("selection_passed" if passed else "selection", lang, track=track.name.get(lang),
               month=fmt.month(track.selection_year, track.selection_month, lang))


class AnswerSelectionDate(KnowledgeAnswer):
    topic = "selection_date"

    def answer(self, call, q):
        return [selection_line(t, q.lang, q.today) for t in q.tracks_of(call)] + q.date_notes(call)

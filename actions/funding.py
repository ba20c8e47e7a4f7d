"""How much: amounts per project and in total, number of projects selected."""
from actions.knowledge_answer import KnowledgeAnswer
from knowledge.wording import formatting as fmt


class AnswerAmount(KnowledgeAnswer):
    topic = "amount"

    def answer(self, call, q):
        lines = [] if q.tracks else [q.say("amount_total", year=call.year, projects=call.max_projects,
                                           total=fmt.krw(call.total_budget_krw, q.lang))]
        for t in q.tracks_of(call):
            lines.append(q.say("amount_track", track=t.name.get(q.lang),
                               range=fmt.krw_range(t.amount_min_krw, t.amount_max_krw, q.lang)))
        return lines


class AnswerProjectCount(KnowledgeAnswer):
    topic = "project_count"

    def answer(self, call, q):
        lines = [] if q.tracks else [q.say("count_total", year=call.year, projects=call.max_projects)]
        for t in q.tracks_of(call):
            line = q.say("count_track", track=t.name.get(q.lang), count=t.projects_selected)
            breakdown = t.selection_breakdown.get(q.lang)
            lines.append(f"{line} ({breakdown})" if breakdown else line)
        return lines

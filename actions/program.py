"""About the program: overview, what is supported, history, contacts and links."""
from actions.knowledge_answer import KnowledgeAnswer
from knowledge import service
from knowledge.wording import formatting as fmt


class AnswerOverview(KnowledgeAnswer):
    topic = "overview"

    def answer(self, call, q):
        program = service.program()
        lines = [program.summary.get(q.lang)] if program else []
        lines.append(call.summary.get(q.lang))
        lines.append(q.say("overview_tracks", tracks=fmt.join([t.name.get(q.lang) for t in call.tracks], q.lang)))
        lines += [note.get(q.lang) for note in call.notes.get("reform", ())]
        return lines


class AnswerSupportScope(KnowledgeAnswer):
    topic = "support_scope"

    def answer(self, call, q):
        lines = []
        for t in q.tracks_of(call):
            lines.append(q.say("support_scope", track=t.name.get(q.lang), what=t.what_is_supported.get(q.lang),
                               form=t.support_form.get(q.lang)))
            if t.solution_fields:
                lines.append(q.say("solution_fields", fields=fmt.join([f.get(q.lang) for f in t.solution_fields], q.lang)))
        return lines


class AnswerHistory(KnowledgeAnswer):
    topic = "history"

    def answer(self, call, q):
        program = service.program()
        if program is None or not program.history:
            return [q.say("no_published_call")]
        first, last = program.history[0].year, program.history[-1].year
        if q.year is not None:
            year = program.year(q.year)
            if year:
                return [q.say("history_year", year=year.year, countries=year.countries, projects=year.projects)]
            if q.year == call.year:
                return [q.say("history_current_call", year=call.year, projects=call.max_projects)]
            return [q.say("history_unknown_year", year=q.year, first=first, last=last)]
        lines = [q.say("history_total", since=program.since_year, through=last,
                       countries=program.countries_to_date, projects=program.projects_to_date)]
        lines += [q.say("history_year_line", year=h.year, countries=h.countries, projects=h.projects) for h in program.history]
        return lines


class AnswerContact(KnowledgeAnswer):
    topic = "contact"

    def answer(self, call, q):
        lines = [q.say("contacts_intro")]
        lines += [q.say("contact_line", unit=c.unit.get(q.lang), person=c.person.get(q.lang), title=c.title.get(q.lang),
                        phone=c.phone) for c in call.contacts]
        lines.append(q.say("links_intro"))
        lines += [q.say("link_line", label=link.label.get(q.lang), url=link.url) for link in call.links]
        return lines

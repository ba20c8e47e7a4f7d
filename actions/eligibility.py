"""Who may apply: per track, and for a given kind of applicant or missing condition."""
from actions.knowledge_answer import KnowledgeAnswer
from knowledge import service
from knowledge.wording import formatting as fmt


class AnswerEligibility(KnowledgeAnswer):
    topic = "eligibility"

    def answer(self, call, q):
        if q.applicant is None and not q.lacking:
            return self.rules(call, q)
        return self.verdicts(call, q)

    @staticmethod
    def rules(call, q):
        lines = []
        for t in q.tracks_of(call):
            lines.append(q.say("who_may_apply", track=t.name.get(q.lang), who=t.who_may_apply.get(q.lang)))
            lines += [q.say("requirement_line", requirement=r.description.get(q.lang)) for r in t.requirements]
        return lines

    @staticmethod
    def verdicts(call, q):
        asked = {t.code for t in q.tracks_of(call)}
        verdicts = service.eligibility(call, applicant=q.applicant, lacking=q.lacking)
        applicant = next((k.name.get(q.lang) for t in call.tracks for k in t.eligible_applicants
                          if k.code == q.applicant), None)
        lines = []
        for v in verdicts:
            if v.track.code not in asked:
                continue
            name = v.track.name.get(q.lang)
            if v.eligible:
                lines.append(q.say("verdict_yes", track=name, applicant=applicant or v.track.who_may_apply.get(q.lang)))
                lines += [q.say("requirement_line", requirement=r.description.get(q.lang)) for r in v.track.requirements]
            elif not v.applicant_fits:
                eligible = fmt.join_or([k.name.get(q.lang) for k in v.track.eligible_applicants], q.lang)
                lines.append(q.say("verdict_wrong_applicant", track=name, eligible=eligible))
            else:
                lines.append(q.say("verdict_unmet", track=name,
                                   requirements=" ".join(r.description.get(q.lang) for r in v.unmet)))
        # Another track is only suggested to a known kind of applicant that fits it.
        alternatives = [v.track.name.get(q.lang) for v in verdicts
                        if q.applicant and v.eligible and v.track.code not in asked]
        if alternatives and not any(v.eligible for v in verdicts if v.track.code in asked):
            lines.append(q.say("verdict_alternative", tracks=fmt.join_or(alternatives, q.lang)))
        return lines

"""How the draft form asks for the track and the kind of applicant: the choices the call offers,
each as a button (the other fields are asked with the domain's utter_ask_* responses)."""
import json
from typing import Text

from rasa_sdk import Action

from actions.drafts.call import current_call, open_tracks
from actions.i18n import language_of
from knowledge.wording import formatting as fmt
from knowledge.wording import say


def _payload(intent: str, **entities) -> str:
    # Button presses are parsed by Rasa without the NLU, so they keep the conversation's language.
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


class ActionAskDraftTrack(Action):
    """Who may apply to each track and whether it takes proposals now, with a button per open track."""

    def name(self) -> Text:
        return "action_ask_draft_track"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = current_call(dispatcher, lang)
        if call is None:
            return []
        kind = tracker.get_slot("draft_applicant_kind")
        lines = [say("draft_track_question", lang)]
        buttons = []
        for track in open_tracks(call):
            lines.append(say("draft_track_line", lang, track=fmt.capitalized(track.name.get(lang)),
                             who=track.who_may_apply.get(lang)))
            if not kind or any(k.code == kind for k in track.eligible_applicants):
                buttons.append({"title": fmt.capitalized(track.name.get(lang)), "payload": _payload("inform_track", track=track.code)})
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionAskDraftApplicantKind(Action):
    """Every kind of applicant some track of the call takes, as buttons."""

    def name(self) -> Text:
        return "action_ask_draft_applicant_kind"

    async def run(self, dispatcher, tracker, domain):
        lang = language_of(tracker)
        call = current_call(dispatcher, lang)
        if call is None:
            return []
        kinds = {k.code: k for t in call.tracks for k in t.eligible_applicants}
        buttons = [{"title": fmt.capitalized(k.name.get(lang)), "payload": _payload("inform_track", applicant=code)}
                   for code, k in kinds.items()]
        dispatcher.utter_message(text=say("draft_kind_question", lang), buttons=buttons)
        return []

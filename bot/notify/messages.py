"""What a notification says: the news or the reminder, then what a status check would say about
the proposal at that point (its status, what that means, the note, the next step)."""
import dataclasses
from dataclasses import dataclass
from html import escape
from typing import List, Optional

from actions.status_check import status_lines
from knowledge import clock, proposals
from knowledge.notifications import Channel, Kind, Pending
from knowledge.wording import formatting as fmt
from knowledge.wording import say


@dataclass(frozen=True)
class Message:
    subject: str
    lines: List[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def compose(pending: Pending) -> Optional[Message]:
    """The message in the notification's language, or None if its proposal is gone. An e-mail to an
    applicant whose language is not known says it in Korean, then in English."""
    proposal, call = proposals.get_with_call(pending.proposal_code)
    if proposal is None:
        return None
    languages = [pending.language] if pending.language else ["ko", "en"]
    parts = [_compose(pending, proposal, call, lang) for lang in languages]
    if any(part is None for part in parts):
        return None
    subject = " / ".join(part.subject for part in parts)
    return Message(subject, [line for i, part in enumerate(parts) for line in ([""] if i else []) + part.lines])


def _compose(pending: Pending, proposal: proposals.Proposal, call, lang: str) -> Optional[Message]:
    if pending.kind == Kind.STATUS:
        if pending.change_index is None or pending.change_index >= len(proposal.history):
            return None
        # The proposal as it was right after this change, even if a later one came before the send.
        at_change = dataclasses.replace(proposal, history=proposal.history[:pending.change_index + 1])
        step = at_change.current
        before = proposal.history[pending.change_index - 1] if pending.change_index else None
        if before is not None and before.status != step.status:
            headline = say("news_status_changed", lang, code=proposal.code, before=before.name.get(lang),
                           status=step.name.get(lang))
        else:
            headline = say("news_note_added", lang, code=proposal.code)
        lines = [headline] + status_lines(at_change, call, lang)
        if pending.channel == Channel.EMAIL:
            lines.append(say("news_mail_why", lang))
        return Message(say("news_mail_subject", lang, code=proposal.code), lines)
    track = call.track(proposal.track_code) if call else None
    if track is None or pending.deadline is None:
        return None
    days = (pending.deadline - clock.today()).days
    facts = dict(track=track.name.get(lang), deadline=fmt.date(pending.deadline, lang), days=days, code=proposal.code)
    if track.deadline is None:
        headline = say("reminder_headline_cutoff", lang, year=pending.deadline.year, **facts)
    else:
        headline = say("reminder_headline_today" if days <= 0 else "reminder_headline", lang, **facts)
    lines = [fmt.capitalized(headline)] + status_lines(proposal, call, lang) + [say("reminder_stop_hint", lang)]
    return Message(say("reminder_mail_subject", lang, code=proposal.code), lines)


def as_html(message: Message, lang: str) -> str:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in message.lines if line)
    return (f'<!DOCTYPE html>\n<html lang="{lang or "ko"}"><head><meta charset="utf-8"></head>'
            f'<body style="font-family: sans-serif; line-height: 1.5">{paragraphs}</body></html>\n')

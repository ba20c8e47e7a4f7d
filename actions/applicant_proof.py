"""The applicant's proof of a proposal: its reference code, then a code mailed to its address on file.

Both the status check (status_check_form) and continuing a saved draft in a new chat
(draft_access_form) ask for it, one slot per step:

1. reference_code: the format and check character, then the proposal is looked up (an unknown
   code counts toward this conversation's lock-out: proposals.look_up). A Telegram chat or widget
   session linked to the proposal by an earlier proof is done here. Otherwise a 6-digit code is
   mailed to the address on file, which is shown masked (p•••@example.org).
2. contact_email: only after many codes went to that address within the hour: the full address
   on file must be typed before another is sent (proposals.verify).
3. proof_code: the 6 digits from the mail ("resend" sends a new code).

The form ends with verified_code set, or, when it cannot go on (lock-out, a mail limit, no mail
server), with proof_refused set and the reason already said. The rules of the codes and limits are
in knowledge/email_proof.py; the draft form confirms a new draft's address with the same helpers.
"""
import datetime
from abc import abstractmethod
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import InterruptOnlyWhenSure, shown
from actions.i18n import language_of
from actions.knowledge_access import knowledge_access
from knowledge import email_proof, proposals, reference_codes
from knowledge.email_proof import Purpose
from knowledge.wording import formatting as fmt
from knowledge.wording import say, words

# The proof's slots, cleared once the form that asked for it has used the answer.
PROOF_SLOTS = ("reference_code", "contact_email", "proof_code", "verified_code", "proof_refused")
PASSED = "-"  # a step the applicant need not take (no full address needed, a linked chat)
MINUTES = int(email_proof.CODE_LIFETIME.total_seconds() // 60)

# What send_code() did; it has said so already.
SENT, REFUSED, MAIL_FAILED, DB_DOWN = "sent", "refused", "mail_failed", "db_down"


def requester_of(tracker: Tracker) -> email_proof.Requester:
    """The conversation, and the client behind it as far as the channel tells: the Telegram user
    (from the metadata our Telegram channel sets; only believed in a telegram-… conversation, which
    REST and widget callers cannot name). The widget and REST give the action server no client
    address, so there the client is the conversation itself."""
    sender = tracker.sender_id
    client = sender
    if sender.startswith("telegram-"):
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        user = (metadata.get("telegram") or {}).get("user_id") if isinstance(metadata, dict) else None
        if user:
            client = f"telegram-user-{user}"
    return email_proof.Requester(sender, client)


def when(until: datetime.datetime, lang: str) -> str:
    return f"{fmt.date(until.date(), lang)} {until:%H:%M}"


def locked_message(until: datetime.datetime, lang: str) -> str:
    return say("check_locked", lang, until=when(until, lang))


def asks_to_resend(text: Optional[str]) -> bool:
    """"resend", "send it again", "다시 보내 주세요"…: a new code is wanted."""
    typed = " ".join(str(text or "").casefold().split())
    return any(word in typed for lang in ("ko", "en") for word in words("resend_words", lang))


def _ended() -> Dict[Text, Any]:
    """Completes the form without a proof (the reason has been said); the next action says nothing more."""
    return {"reference_code": PASSED, "contact_email": PASSED, "proof_code": PASSED, "proof_refused": True}


async def send_code(dispatcher: CollectingDispatcher, tracker: Tracker, purpose: str, address: str,
                    proposal_code: Optional[str] = None, again: bool = False) -> str:
    """Mails a code to `address` and says so (masked unless the applicant just typed it), or says why not."""
    lang = language_of(tracker)
    typed = purpose == Purpose.DRAFT
    outcome = DB_DOWN
    with knowledge_access("applicant proof", dispatcher, lang) as access:
        try:
            sent = await email_proof.send_code(requester_of(tracker), address, purpose, lang, proposal_code)
            shown_address = sent.address if typed else sent.masked
            key = "proof_code_sent_again" if again else "draft_code_sent" if typed else "proof_code_sent"
            dispatcher.utter_message(text=say(key, lang, address=shown_address, minutes=MINUTES))
            outcome = SENT
        except email_proof.Refused as refused:
            outcome = REFUSED
            if refused.limit == "address":
                key = "draft_limit_address" if typed else "proof_limit_address"
                dispatcher.utter_message(text=say(key, lang, address=address if typed else email_proof.mask(address),
                                                  until=when(refused.until, lang)))
            else:
                dispatcher.utter_message(text=say("proof_limit_conversation", lang, until=when(refused.until, lang)))
        except email_proof.MailError:
            outcome = MAIL_FAILED
            if typed:
                dispatcher.utter_message(text=say("draft_mail_failed", lang))
            else:
                lines = [say("proof_mail_failed", lang)] + ([] if again else [say("proof_try_again_later", lang)])
                dispatcher.utter_message(text=" ".join(lines))
    return DB_DOWN if access.failed else outcome


def say_check(dispatcher: CollectingDispatcher, check: email_proof.Check, lang: str) -> None:
    """Why a typed code did not prove anything, and what to do next."""
    if check.outcome == "wrong":
        dispatcher.utter_message(text=say("proof_code_wrong", lang, left=check.left))
    elif check.outcome == "used_up":
        dispatcher.utter_message(text=say("proof_code_used_up", lang))
    elif check.outcome == "expired":
        dispatcher.utter_message(text=say("proof_code_expired", lang, minutes=MINUTES))
    else:
        dispatcher.utter_message(text=say("proof_code_none", lang))


class ApplicantProof(InterruptOnlyWhenSure, FormValidationAction):
    """Validates the proof; a subclass names the form that asks for it and the proof's purpose."""

    purpose = Purpose.STATUS

    # Abstract, so the action server (which registers every concrete Action it finds) skips it.
    @abstractmethod
    def name(self) -> Text:
        ...

    async def extract_reference_code(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        """A code in the message that started the check ("status of KCN-2024-D-2402-B?") is taken at once."""
        if tracker.get_slot("reference_code") or tracker.get_slot("requested_slot") == "reference_code":
            return {}
        code = reference_codes.find_in(tracker.latest_message.get("text"))
        return {"reference_code": code} if code else {}

    async def validate_reference_code(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        lang = language_of(tracker)
        sender = tracker.sender_id
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            until = proposals.locked_until(sender)
        if access.failed:
            return {"reference_code": None}
        if until:
            dispatcher.utter_message(text=locked_message(until, lang))
            return _ended()
        code = reference_codes.normalize(reference_codes.find_in(value) or value)
        if code is None:
            dispatcher.utter_message(text=say("code_malformed", lang, value=shown(value)))
            return {"reference_code": None}
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            found = proposals.look_up(sender, code)
            proposal = found.proposal
            linked = proposal is not None and email_proof.is_linked(sender, code)
            full_address = proposal is not None and not linked and email_proof.needs_full_address(proposal.contact_email)
        if access.failed:
            return {"reference_code": None}
        if found.locked_until:
            dispatcher.utter_message(text=locked_message(found.locked_until, lang))
            return _ended()
        if proposal is None:
            dispatcher.utter_message(text=say("proof_unknown_code", lang, code=code, left=found.left))
            return {"reference_code": None}
        if linked:
            dispatcher.utter_message(text=say("proof_linked", lang, code=code))
            return {"reference_code": code, "contact_email": PASSED, "proof_code": PASSED, "verified_code": code}
        if full_address:
            dispatcher.utter_message(text=say("proof_full_address_needed", lang, code=code,
                                              address=email_proof.mask(proposal.contact_email)))
            return {"reference_code": code}
        outcome = await send_code(dispatcher, tracker, self.purpose, proposal.contact_email, code)
        if outcome == SENT:
            return {"reference_code": code, "contact_email": PASSED}
        return {"reference_code": None} if outcome == DB_DOWN else _ended()

    async def validate_contact_email(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        """Only asked once many codes went to the address: the full address on file, then a new code."""
        if value == PASSED:
            return {"contact_email": value}
        lang = language_of(tracker)
        if proposals.normalize_email(value) is None:
            dispatcher.utter_message(text=say("email_malformed", lang, value=shown(value)))
            return {"contact_email": None}
        code = tracker.get_slot("reference_code") or ""
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            result = proposals.verify(tracker.sender_id, code, value)
        if access.failed:
            return {"contact_email": None}
        if result.locked_until:
            dispatcher.utter_message(text=locked_message(result.locked_until, lang))
            return _ended()
        if result.proposal is None:
            dispatcher.utter_message(text=say("proof_email_wrong", lang, code=code, left=result.left))
            return {"contact_email": None}
        outcome = await send_code(dispatcher, tracker, self.purpose, result.proposal.contact_email, code)
        if outcome == SENT:
            return {"contact_email": result.proposal.contact_email}
        return {"contact_email": None} if outcome == DB_DOWN else _ended()

    async def validate_proof_code(self, value: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        if value == PASSED:
            return {"proof_code": value}
        lang = language_of(tracker)
        code = tracker.get_slot("reference_code") or ""
        if asks_to_resend(value):
            return await self._resend(dispatcher, tracker, code)
        digits = email_proof.read_code(value)
        if digits is None:
            dispatcher.utter_message(text=say("proof_code_malformed", lang, value=shown(value)))
            return {"proof_code": None}
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            check = email_proof.check_code(requester_of(tracker), self.purpose, digits)
            if check.ok and check.proposal_code == code:
                email_proof.link(tracker.sender_id, code, language=lang)
        if access.failed:
            return {"proof_code": None}
        if check.ok and check.proposal_code == code:
            return {"proof_code": "ok", "verified_code": code}
        say_check(dispatcher, check if not check.ok else email_proof.Check("none"), lang)
        return {"proof_code": None}

    async def _resend(self, dispatcher, tracker, code: str) -> Dict[Text, Any]:
        lang = language_of(tracker)
        with knowledge_access("applicant proof", dispatcher, lang) as access:
            proposal = proposals.get(code)
            typed_address = tracker.get_slot("contact_email") not in (None, PASSED)
            full_address = proposal is not None and not typed_address and \
                email_proof.needs_full_address(proposal.contact_email)
        if access.failed or proposal is None:
            return {"proof_code": None}
        if full_address:  # a stranger with only the reference code triggers no more mails
            dispatcher.utter_message(text=say("proof_full_address_needed", lang, code=code,
                                              address=email_proof.mask(proposal.contact_email)))
            return {"proof_code": None, "contact_email": None}
        await send_code(dispatcher, tracker, self.purpose, proposal.contact_email, code, again=True)
        return {"proof_code": None}

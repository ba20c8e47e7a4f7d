"""Proof that the person in a chat reads an e-mail address: a one-time code mailed to it and typed back.

Used wherever an address stands for an applicant (actions/applicant_proof.py, actions/drafts/):

- a new draft's contact e-mail is confirmed before the draft is saved (purpose "draft");
- a status check ("status") or a saved draft continued in a new chat ("resume") sends the code
  to the address on file for the reference code, shown masked (p•••@example.org).

The rules, all per requester, so that no one can lock an applicant out of their own proposal:

- A code has 6 digits, works once, for CODE_LIFETIME (10 minutes), and only in the conversation
  that asked for it, for the purpose it was asked for; a newer code replaces the older one.
  MAX_WRONG_TRIES wrong codes use it up (only the guesser's own code: a new one can be asked).
- Mails are limited per conversation, per client (the Telegram user; for the widget and REST,
  which tell the action server no IP address, the conversation id) and per address
  (LIMITS): besides stopping the bot from flooding a mailbox, the address limit bounds the
  guesses against an address to MAX_WRONG_TRIES per mail sent.
- Past ASK_FULL_ADDRESS_AFTER mails to a proposal's address within an hour, whoever asks next
  must first type that full address (proposals.verify, with the conversation's own lock-out):
  the owner can always do so; a stranger who only knows the reference code can trigger no more
  mails.
- Codes are stored as salted scrypt hashes; rows are deleted after KEEP_PROOFS (proofs) or a day
  (the rest).
- A Telegram chat or widget session that proved a proposal is linked to it (ProofLink) for
  LINK_LIFETIME: its next status check or resumption there needs no new code. REST conversation
  ids are chosen by the caller, so REST conversations are never linked.
"""
import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from html import escape
from typing import Optional

from sqlalchemy import delete, func, select, update

from knowledge import mail, proposals, reference_codes
from knowledge import tables as m
from knowledge.db import session_scope
from knowledge.wording import say

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_WRONG_TRIES = 5
# (mails, within): per conversation, per client, per address and kind of proof (a proposal's
# address on file, or a new draft's typed address).
LIMITS = {
    "conversation": (3, datetime.timedelta(minutes=15)),
    "client": (10, datetime.timedelta(hours=1)),
    "address": (10, datetime.timedelta(hours=1)),
}
ASK_FULL_ADDRESS_AFTER = 3  # mails to a proposal's address within LIMITS["address"]'s hour
LINK_LIFETIME = datetime.timedelta(days=90)
KEEP_PROOFS = LINK_LIFETIME
KEEP_OTHERS = datetime.timedelta(days=1)
LINKABLE = ("telegram-", "web-")  # conversation ids a channel makes (REST callers choose theirs)
# scrypt's cost: about 16 MB and some tens of milliseconds per code, so the hashes of a copied
# database cannot be tried through the 10^6 codes within a code's lifetime on ordinary hardware.
SCRYPT = dict(n=2 ** 14, r=8, p=1, dklen=32)


class Purpose:
    STATUS = "status"
    RESUME = "resume"
    DRAFT = "draft"


ON_FILE = (Purpose.STATUS, Purpose.RESUME)  # the code goes to a proposal's address on file


@dataclass(frozen=True)
class Requester:
    """Who asks: the conversation, and the client behind it as far as the channel tells."""

    conversation_id: str
    client: str


class Refused(Exception):
    """Too many mails asked for: `limit` is "conversation", "client" or "address"; try again at `until` (UTC)."""

    def __init__(self, limit: str, until: datetime.datetime):
        super().__init__(f"{limit} limit reached until {until:%H:%M} UTC")
        self.limit, self.until = limit, until


MailError = mail.MailError


@dataclass(frozen=True)
class Sent:
    address: str
    masked: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class Check:
    """The outcome of a typed code: ok, wrong (`left` tries remain), used_up, expired, used or none."""

    outcome: str
    left: int = 0
    address: Optional[str] = None
    proposal_code: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def mask(address: str) -> str:
    """p•••@example.org: enough for the owner to recognize, too little to learn the address."""
    local, _, domain = (address or "").partition("@")
    return f"{local[:1]}•••@{domain}"


def read_code(text: Optional[str]) -> Optional[str]:
    """The 6 digits of a typed code ("123456", "123 456", "123-456"), or None."""
    digits = "".join(ch for ch in (text or "") if not ch.isspace() and ch != "-")
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else None


def _hash(code: str, salt: str) -> str:
    return hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt), **SCRYPT).hex()


def _now(at: Optional[datetime.datetime]) -> datetime.datetime:
    return at or proposals.now()


def _kind(purpose: str):
    return ON_FILE if purpose in ON_FILE else (purpose,)


def _check_limits(session, requester: Requester, address: str, purpose: str, at: datetime.datetime) -> None:
    rows = m.EmailProofCode
    for limit, condition in (("conversation", rows.conversation_id == requester.conversation_id),
                             ("client", rows.client == requester.client),
                             ("address", (rows.address == address) & rows.purpose.in_(_kind(purpose)))):
        most, within = LIMITS[limit]
        times = session.execute(
            select(rows.created_at).where(condition, rows.created_at > at - within).order_by(rows.created_at)
        ).scalars().all()
        if len(times) >= most:
            raise Refused(limit, times[-most] + within)


def needs_full_address(address: str, at: Optional[datetime.datetime] = None) -> bool:
    """Whether so many codes went to a proposal's address lately that the next requester must type it."""
    at = _now(at)
    rows = m.EmailProofCode
    with session_scope() as session:
        sent = session.execute(
            select(func.count()).select_from(rows).where(
                rows.address == proposals.normalize_email(address), rows.purpose.in_(ON_FILE),
                rows.created_at > at - LIMITS["address"][1])
        ).scalar_one()
    return sent >= ASK_FULL_ADDRESS_AFTER


async def send_code(requester: Requester, address: str, purpose: str, lang: str, proposal_code: Optional[str] = None,
                    at: Optional[datetime.datetime] = None) -> Sent:
    """Mails a new code for `purpose` to `address` (for status/resume: the proposal's address on file).

    Refused if a limit is reached, MailError if the mail could not be sent (then nothing is kept),
    SQLAlchemyError if the database is unreachable.
    """
    at = _now(at)
    address = proposals.normalize_email(address)
    if address is None:
        raise ValueError("not an e-mail address")
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    with session_scope() as session:
        _forget_old(session, at)
        _check_limits(session, requester, address, purpose, at)
        proposal_id = None
        if proposal_code:
            proposal_id = session.execute(
                select(m.Proposal.id).where(m.Proposal.code == reference_codes.normalize(proposal_code))
            ).scalar_one()
        row = m.EmailProofCode(conversation_id=requester.conversation_id, client=requester.client, address=address,
                               purpose=purpose, proposal_id=proposal_id, code_hash=_hash(code, salt), salt=salt,
                               created_at=at, expires_at=at + CODE_LIFETIME, wrong_tries=0, proven=False)
        session.add(row)
        session.flush()
        row_id = row.id
    try:
        where = await mail.send(code_mail(address, code, purpose, lang, proposal_code))
    except MailError:
        with session_scope() as session:
            session.execute(delete(m.EmailProofCode).where(m.EmailProofCode.id == row_id))
        raise
    with session_scope() as session:  # only the newest code of a conversation and purpose works
        session.execute(
            update(m.EmailProofCode)
            .where(m.EmailProofCode.conversation_id == requester.conversation_id, m.EmailProofCode.purpose == purpose,
                   m.EmailProofCode.id != row_id, m.EmailProofCode.used_at.is_(None))
            .values(used_at=at))
    logger.info("proof code for %s (%s) sent to %s via %s", requester.conversation_id, purpose, mask(address), where)
    return Sent(address, mask(address), at + CODE_LIFETIME)


def check_code(requester: Requester, purpose: str, typed: str, at: Optional[datetime.datetime] = None) -> Check:
    """Checks a typed code against this conversation's newest code for `purpose`, and uses it up if right."""
    at = _now(at)
    with session_scope() as session:
        row = session.execute(
            select(m.EmailProofCode)
            .where(m.EmailProofCode.conversation_id == requester.conversation_id, m.EmailProofCode.purpose == purpose)
            .order_by(m.EmailProofCode.id.desc()).limit(1)
        ).scalar_one_or_none()
        if row is None:
            return Check("none")
        if row.used_at is not None:
            if row.proven:
                return Check("used")
            return Check("used_up") if row.wrong_tries >= MAX_WRONG_TRIES else Check("none")
        if at >= row.expires_at:
            return Check("expired")
        digits = read_code(typed) or ""
        if digits and hmac.compare_digest(_hash(digits, row.salt), row.code_hash):
            row.used_at, row.proven = at, True
            code = session.get(m.Proposal, row.proposal_id).code if row.proposal_id else None
            if code:  # a success ends the conversation's run of failed look-ups (proposals.locked_until)
                session.add(m.StatusCheckAttempt(conversation_id=requester.conversation_id, code=code, at=at,
                                                 succeeded=True))
            return Check("ok", address=row.address, proposal_code=code)
        row.wrong_tries += 1
        if row.wrong_tries >= MAX_WRONG_TRIES:
            row.used_at = at
            return Check("used_up")
        return Check("wrong", left=MAX_WRONG_TRIES - row.wrong_tries)


def forget(conversation_id: str, at: Optional[datetime.datetime] = None) -> None:
    """Makes the conversation's waiting codes unusable (the applicant stopped)."""
    with session_scope() as session:
        session.execute(
            update(m.EmailProofCode)
            .where(m.EmailProofCode.conversation_id == conversation_id, m.EmailProofCode.used_at.is_(None))
            .values(used_at=_now(at)))


def proven(conversation_id: str, address: str, at: Optional[datetime.datetime] = None) -> bool:
    """Whether this conversation proved, by a code, that it reads `address` (within LINK_LIFETIME)."""
    at = _now(at)
    rows = m.EmailProofCode
    with session_scope() as session:
        return session.execute(
            select(rows.id).where(rows.conversation_id == conversation_id, rows.proven.is_(True),
                                  rows.address == proposals.normalize_email(address),
                                  rows.created_at > at - KEEP_PROOFS).limit(1)
        ).first() is not None


def linkable(conversation_id: str) -> bool:
    return conversation_id.startswith(LINKABLE)


def link(conversation_id: str, proposal_code: str, at: Optional[datetime.datetime] = None,
         language: Optional[str] = None) -> bool:
    """Links a Telegram chat or widget session to a proposal it just proved, in the applicant's
    language (for the status news sent there: knowledge/notifications.py); False for other channels."""
    if not linkable(conversation_id):
        return False
    at = _now(at)
    with session_scope() as session:
        proposal_id = session.execute(
            select(m.Proposal.id).where(m.Proposal.code == reference_codes.normalize(proposal_code))
        ).scalar_one_or_none()
        if proposal_id is None:
            return False
        row = session.execute(
            select(m.ProofLink).where(m.ProofLink.proposal_id == proposal_id,
                                      m.ProofLink.conversation_id == conversation_id)
        ).scalar_one_or_none()
        if row is None:
            session.add(m.ProofLink(proposal_id=proposal_id, conversation_id=conversation_id, created_at=at,
                                    expires_at=at + LINK_LIFETIME, language=language))
        else:
            row.expires_at = at + LINK_LIFETIME
            row.language = language or row.language
    return True


def is_linked(conversation_id: str, proposal_code: str, at: Optional[datetime.datetime] = None) -> bool:
    """Whether this chat proved the proposal before (and is a channel whose ids callers cannot choose)."""
    if not linkable(conversation_id):
        return False
    with session_scope() as session:
        return session.execute(
            select(m.ProofLink.id).join(m.Proposal, m.Proposal.id == m.ProofLink.proposal_id)
            .where(m.ProofLink.conversation_id == conversation_id,
                   m.Proposal.code == reference_codes.normalize(proposal_code),
                   m.ProofLink.expires_at > _now(at)).limit(1)
        ).first() is not None


def _forget_old(session, at: datetime.datetime) -> None:
    rows = m.EmailProofCode
    session.execute(delete(rows).where(rows.created_at < at - KEEP_PROOFS))
    session.execute(delete(rows).where(rows.proven.is_(False), rows.created_at < at - KEEP_OTHERS))
    session.execute(delete(m.ProofLink).where(m.ProofLink.expires_at < at))


# --- The mail ----------------------------------------------------------------------------------

def code_mail(address: str, code: str, purpose: str, lang: str, proposal_code: Optional[str] = None) -> mail.Mail:
    """The code's mail in the applicant's language: what it is for, the code, how long it works, and
    what to do if it was not asked for."""
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    intro = say(f"mail_code_intro_{purpose}", lang, code=proposal_code or "")
    paragraphs = [intro, say("mail_code_line", lang), say("mail_code_validity", lang, minutes=minutes),
                  say("mail_code_ignore", lang), say("mail_code_signature", lang)]
    text = "\n\n".join(paragraphs[:2]) + f"\n\n    {code}\n\n" + "\n\n".join(paragraphs[2:]) + "\n"
    html = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"></head>'
            f'<body style="font-family: sans-serif; line-height: 1.5">'
            f"<p>{escape(intro)}</p><p>{escape(paragraphs[1])}</p>"
            f'<p style="font-size: 28px; font-weight: bold; letter-spacing: 6px">{code}</p>'
            f"<p>{escape(paragraphs[2])}</p><p>{escape(paragraphs[3])}</p>"
            f'<p style="color: #666">{escape(paragraphs[4])}</p></body></html>\n')
    return mail.Mail(to=address, subject=say("mail_code_subject", lang), text=text, html=html, language=lang)

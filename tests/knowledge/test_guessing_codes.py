"""Guessing reference codes (issue 15, hole 2): every code of a year and track used to be one of 10,000,
so trying each once against a known e-mail address, from a new conversation every few tries, found a
proposal; and drafts opened without limit could use up a track's codes."""
import datetime
import math

import pytest
from sqlalchemy.exc import IntegrityError

from knowledge import tables as m
from knowledge import proposals
from knowledge import reference_codes as rc
from knowledge.db import session_scope

T0 = datetime.datetime(2024, 3, 1, 9, 0)


def test_guessing_has_negligible_success_by_construction():
    """An attacker who knows the address and makes a million guesses a second for ten years, against an
    address with 100 proposals in the same year and track, finds one with probability below 10**-6:
    each well-formed guess is one of 32**15 equally likely codes."""
    codes_per_year_and_track = len(rc.CROCKFORD) ** rc.RANDOM_SYMBOLS
    assert codes_per_year_and_track == 2 ** 75 and math.log2(codes_per_year_and_track) >= 64
    guesses = 10 ** 6 * 3600 * 24 * 365 * 10
    assert guesses * 100 / codes_per_year_and_track < 1e-6
    # The first format: all 10,000 codes of a year and track are tried in 10,000 guesses.
    assert 10_000 * 100 / 10_000 >= 1


def test_a_guessing_run_against_a_known_address_finds_nothing_and_uses_nothing_up(knowledge_db):
    """200 well-formed codes (right check symbol), a new conversation every 4 tries so no lock-out
    stops it: no proposal is found, the owner is not locked out, and new drafts still get new codes."""
    address = "target@example.org"
    owned = [proposals.create_draft(2024, track, address, at=T0) for track in ("planning", "demonstration")]
    found = []
    for attempt in range(200):
        guess = rc.new_code(2024, "planning" if attempt % 2 else "demonstration")
        result = proposals.verify(f"guesser-{attempt // 4}", guess, address, at=T0 + datetime.timedelta(seconds=attempt))
        if result.proposal is not None:
            found.append(guess)
    assert found == []
    for draft in owned:
        assert proposals.verify("owner", draft.code, address, at=T0 + datetime.timedelta(hours=1)).proposal.code == draft.code
    fresh = {proposals.create_draft(2024, "planning", f"applicant{i}@example.org", at=T0).code for i in range(20)}
    assert len(fresh) == 20 and not fresh & {d.code for d in owned} and all(rc.is_new_format(c) for c in fresh)


def test_new_drafts_get_new_format_codes_and_old_codes_still_work(knowledge_db):
    assert proposals.load_demo() == 3
    draft = proposals.create_draft(2024, "demonstration", "lee@example.com", at=T0)
    assert rc.is_new_format(draft.code) and proposals.get(draft.code.lower().replace("-", " ")).code == draft.code
    assert proposals.get("kcn 2024 d 2402 b").code == "KCN-2024-D-2402-B"
    assert proposals.verify("owner", "kcn-2024-d-2402-b", "demo.company@example.org", at=T0).proposal.code == "KCN-2024-D-2402-B"


def test_codes_are_unique_in_the_database(knowledge_db):
    draft = proposals.create_draft(2024, "planning", "a@example.org", at=T0)
    with pytest.raises(IntegrityError):
        with session_scope() as session:
            session.add(m.Proposal(code=draft.code, call_year=2024, track_code="planning", contact_email="b@example.org"))


def test_a_code_drawn_twice_is_drawn_again(knowledge_db, monkeypatch):
    taken = proposals.create_draft(2024, "planning", "a@example.org", at=T0).code
    draws = iter([taken, taken])
    real_new_code = rc.new_code
    monkeypatch.setattr(rc, "new_code", lambda year, track: next(draws, None) or real_new_code(year, track))
    draft = proposals.create_draft(2024, "planning", "b@example.org", at=T0)
    assert draft.code != taken and rc.is_new_format(draft.code)

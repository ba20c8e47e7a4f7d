"""Limits on drafts: at most KCN_DRAFTS_PER_EMAIL open drafts per contact address and
KCN_DRAFTS_PER_CONVERSATION per conversation, opened within KCN_DRAFT_LIMIT_HOURS (issue 15)."""
import datetime
import sqlite3

import pytest

from knowledge import proposals, seed, settings

T0 = datetime.datetime(2024, 3, 1, 9, 0)
HOUR = datetime.timedelta(hours=1)


def test_the_defaults():
    assert (settings.drafts_per_email(), settings.drafts_per_conversation()) == (5, 3)
    assert settings.draft_limit_period() == datetime.timedelta(hours=24)


@pytest.mark.parametrize("name, bad", [("KCN_DRAFTS_PER_EMAIL", "0"), ("KCN_DRAFTS_PER_CONVERSATION", "many"),
                                       ("KCN_DRAFT_LIMIT_HOURS", "-1")])
def test_a_malformed_limit_is_refused_naming_the_variable(name, bad, monkeypatch):
    monkeypatch.setenv(name, bad)
    with pytest.raises(settings.SettingError, match=rf"^{name}='{bad}' is not valid: expected "):
        settings.value(name)


def test_drafts_beyond_the_limit_per_address_are_refused(knowledge_db):
    for i in range(5):
        proposals.create_draft(2024, "planning", "lee@example.com", conversation_id=f"chat-{i}", at=T0 + i * HOUR)
    with pytest.raises(proposals.DraftLimitReached) as refused:
        proposals.create_draft(2024, "demonstration", " LEE@example.com ", conversation_id="chat-new", at=T0 + 5 * HOUR)
    assert (refused.value.per, refused.value.limit, refused.value.period) == ("email", 5, 24 * HOUR)
    assert isinstance(refused.value, proposals.ProposalError)
    assert len(proposals.drafts_of("lee@example.com")) == 5, "nothing was created"
    # Another address is not affected; the pre-check says the same without creating anything.
    assert proposals.draft_limit("lee@example.com", "chat-new", at=T0 + 5 * HOUR).per == "email"
    assert proposals.draft_limit("kim@example.com", "chat-new", at=T0 + 5 * HOUR) is None
    proposals.create_draft(2024, "planning", "kim@example.com", conversation_id="chat-new", at=T0 + 5 * HOUR)


def test_drafts_beyond_the_limit_per_conversation_are_refused(knowledge_db, monkeypatch):
    monkeypatch.setenv("KCN_DRAFTS_PER_CONVERSATION", "2")
    for i in range(2):
        proposals.create_draft(2024, "planning", f"a{i}@example.org", conversation_id="chat-1", at=T0)
    with pytest.raises(proposals.DraftLimitReached) as refused:
        proposals.create_draft(2024, "planning", "a9@example.org", conversation_id="chat-1", at=T0)
    assert (refused.value.per, refused.value.limit) == ("conversation", 2)
    proposals.create_draft(2024, "planning", "a9@example.org", conversation_id="chat-2", at=T0)
    # Staff and tools (no conversation) are only limited per address.
    for i in range(4):
        proposals.create_draft(2024, "planning", f"b{i}@example.org", at=T0)


def test_only_open_drafts_of_the_period_count(knowledge_db, monkeypatch):
    monkeypatch.setenv("KCN_DRAFTS_PER_EMAIL", "2")
    monkeypatch.setenv("KCN_DRAFT_LIMIT_HOURS", "12")
    first = proposals.create_draft(2024, "planning", "lee@example.com", at=T0)
    proposals.create_draft(2024, "planning", "lee@example.com", at=T0 + HOUR)
    assert proposals.draft_limit("lee@example.com", at=T0 + 2 * HOUR).per == "email"
    proposals.set_status(first.code, "submitted")  # submitted by the secretariat: no longer open
    proposals.create_draft(2024, "planning", "lee@example.com", at=T0 + 2 * HOUR)
    assert proposals.draft_limit("lee@example.com", at=T0 + 3 * HOUR) is not None
    # 12 hours after the second, it no longer counts.
    assert proposals.draft_limit("lee@example.com", at=T0 + 13 * HOUR + datetime.timedelta(minutes=1)) is None


def test_an_older_database_gets_the_conversation_column(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seed.init_db()
    with sqlite3.connect(path) as db:
        db.execute("DROP INDEX ix_proposal_conversation_id")
        db.execute("ALTER TABLE proposal DROP COLUMN conversation_id")
    seed.init_db()
    with sqlite3.connect(path) as db:
        assert "ix_proposal_conversation_id" in {row[1] for row in db.execute("PRAGMA index_list(proposal)")}
    proposals.create_draft(2024, "planning", "a@example.org", conversation_id="chat-1", at=T0)
    assert proposals.draft_limit("b@example.org", "chat-1", at=T0) is None

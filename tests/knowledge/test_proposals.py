"""Proposals: drafts, status changes, the proof of ownership and its lock-out."""
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import proposals

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime.datetime(2024, 3, 1, 9, 0)


@pytest.fixture
def demo(knowledge_db):
    assert proposals.load_demo() == 3
    assert proposals.load_demo() == 0  # idempotent
    return knowledge_db


def test_a_draft_is_created_with_a_code_and_saved_field_by_field(knowledge_db):
    draft = proposals.create_draft(2024, "demonstration", "  Kim@Example.ORG ", at=T0)
    assert draft.current.status == "draft" and draft.contact_email == "kim@example.org"
    proposals.update_draft(draft.code, korean_company="  Sample   Co. ")
    proposals.update_draft(draft.code, commercialized_in_korea=True)
    saved = proposals.get(draft.code)
    assert (saved.korean_company, saved.commercialized_in_korea) == ("Sample Co.", True)


def test_bad_draft_values_are_refused_with_the_reason(knowledge_db):
    with pytest.raises(proposals.ProposalError, match="not an e-mail address"):
        proposals.create_draft(2024, "planning", "not-an-email")
    draft = proposals.create_draft(2024, "planning", "a@example.org")
    with pytest.raises(proposals.ProposalError, match="longer than 300 characters"):
        proposals.update_draft(draft.code, title="x" * 301)
    proposals.set_status(draft.code, "submitted")
    with pytest.raises(proposals.ProposalError, match="no longer a draft"):
        proposals.update_draft(draft.code, title="late change")


def test_status_history_keeps_every_change_with_its_note(demo):
    changed = proposals.set_status("kcn 2024 p 2401 j", "under_review", note="Feasibility verified", by="kind-staff")
    assert [s.status for s in changed.history] == ["draft", "submitted", "pre_consulting", "under_review"]
    assert changed.current.note == "Feasibility verified"
    assert changed.current.name.get("ko") == "평가 중"
    with pytest.raises(proposals.ProposalError, match="unknown status 'approved'"):
        proposals.set_status("KCN-2024-P-2401-J", "approved")


def test_code_and_email_prove_ownership(demo):
    result = proposals.verify("conv-1", "kcn-2024-d-2402-b", "DEMO.company@example.org ", at=T0)
    assert result.proposal.code == "KCN-2024-D-2402-B" and result.proposal.current.status == "under_review"


def test_unknown_code_and_wrong_email_look_the_same(demo):
    unknown = proposals.verify("conv-2", "KCN-2024-D-9999-" + "A", "demo.company@example.org", at=T0)
    wrong = proposals.verify("conv-2", "KCN-2024-D-2402-B", "someone@example.org", at=T0)
    assert (unknown.proposal, unknown.locked_until) == (wrong.proposal, wrong.locked_until) == (None, None)
    assert (unknown.left, wrong.left) == (4, 3)


def test_five_failures_lock_the_conversation_for_15_minutes(demo):
    for i in range(4):
        assert proposals.verify("conv-3", "KCN-2024-D-2402-B", "bad@example.org", at=T0 + datetime.timedelta(minutes=i)).locked_until is None
    fifth = proposals.verify("conv-3", "KCN-2024-D-2402-B", "bad@example.org", at=T0 + datetime.timedelta(minutes=4))
    assert fifth.locked_until == T0 + datetime.timedelta(minutes=19)
    # Even the right e-mail is refused while locked, and another conversation is not affected.
    during = proposals.verify("conv-3", "KCN-2024-D-2402-B", "demo.company@example.org", at=T0 + datetime.timedelta(minutes=10))
    assert during.proposal is None and during.locked_until == fifth.locked_until
    assert proposals.verify("conv-4", "KCN-2024-D-2402-B", "demo.company@example.org", at=T0 + datetime.timedelta(minutes=10)).proposal
    after = proposals.verify("conv-3", "KCN-2024-D-2402-B", "demo.company@example.org", at=T0 + datetime.timedelta(minutes=20))
    assert after.proposal is not None


def test_looking_up_unknown_codes_counts_toward_the_lock_out_and_a_known_one_resets_nothing(demo):
    minute = datetime.timedelta(minutes=1)
    assert proposals.look_up("conv-5", "kcn 2024 d 2402 b", at=T0).proposal.code == "KCN-2024-D-2402-B"
    for i in range(4):
        missing = proposals.look_up("conv-5", "KCN-2024-D-9999-" + "A", at=T0 + i * minute)
        assert missing.proposal is None and missing.left == 4 - i
        proposals.look_up("conv-5", "KCN-2024-D-2402-B", at=T0 + i * minute)  # one's own code between guesses
    fifth = proposals.look_up("conv-5", "KCN-2024-D-9999-" + "A", at=T0 + 4 * minute)
    assert fifth.locked_until == T0 + 19 * minute
    assert proposals.look_up("conv-5", "KCN-2024-D-2402-B", at=T0 + 5 * minute).proposal is None


def test_many_conversations_failing_on_one_code_lock_no_one_else_out(demo):
    """Ten wrong e-mails used to lock a known code for everyone, again and again (issue 15)."""
    minute = datetime.timedelta(minutes=1)
    for i in range(30):
        assert proposals.verify(f"probe-{i}", "KCN-2024-D-2402-B", f"guess{i}@example.org", at=T0 + i * minute / 10).locked_until is None
    owner = proposals.verify("owner", "KCN-2024-D-2402-B", "demo.company@example.org", at=T0 + 3 * minute)
    assert owner.proposal is not None and owner.locked_until is None
    assert proposals.look_up("another", "KCN-2024-D-2402-B", at=T0 + 3 * minute).proposal is not None


def test_staff_command_line_lists_and_changes_statuses(knowledge_db):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=ROOT, capture_output=True, text=True,
                              env={"DATABASE_URL": knowledge_db, "PATH": "/usr/bin:/bin"})

    assert "Added 3 sample proposals" in cli("proposals", "load-demo").stdout
    listing = cli("proposals", "list").stdout
    assert "KCN-2024-D-2403-L" in listing and "selected" in listing and "[demo]" in listing
    changed = cli("proposals", "set-status", "kcn2024p2401j", "under_review", "--note", "Verified")
    assert changed.returncode == 0 and "KCN-2024-P-2401-J is now under_review" in changed.stdout
    refused = cli("proposals", "set-status", "KCN-2024-P-2401-J", "approved")
    assert refused.returncode == 2 and "unknown status 'approved'" in refused.stderr


def test_drafts_of_an_email_are_only_its_drafts(knowledge_db):
    first = proposals.create_draft(2024, "planning", "Owner@example.org")
    second = proposals.create_draft(2024, "demonstration", "owner@example.org")
    proposals.create_draft(2024, "planning", "someone@example.org")
    proposals.set_status(second.code, "submitted")
    assert [p.code for p in proposals.drafts_of("OWNER@example.org")] == [first.code]


def test_an_older_database_gets_new_optional_columns_on_init(tmp_path, monkeypatch):
    import sqlite3

    from knowledge import seed

    path = tmp_path / "old.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    seed.init_db()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE proposal DROP COLUMN applicant_kind")
    seed.init_db()
    draft = proposals.create_draft(2024, "planning", "a@example.org", applicant_kind="foreign_government")
    assert proposals.get(draft.code).applicant_kind == "foreign_government"

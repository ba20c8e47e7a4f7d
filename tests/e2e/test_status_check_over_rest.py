"""Status checks over the REST channel against the real servers (the demo proposals are loaded)."""
import uuid


def sender():
    return f"status-{uuid.uuid4().hex[:8]}"


def test_an_english_status_check_from_question_to_answer(assistant):
    user = sender()
    assert "reference code" in assistant.ask(user, "Where is my proposal?")
    assert "contact e-mail" in assistant.ask(user, "kcn 2024 d 2402 b")
    reply = assistant.ask(user, "Demo.Company@example.org")
    assert "KCN-2024-D-2402-B" in reply and "under review since 25 March 2024" in reply
    assert "final selection" in reply and "April 2024" in reply


def test_a_korean_check_with_the_code_in_the_first_message(assistant):
    user = sender()
    assert "이메일" in assistant.ask(user, "KCN-2024-P-2401-J 제 제안서 진행 상황 알려주세요")
    reply = assistant.ask(user, "planning.demo@example.org")
    assert "'사전 컨설팅 중' 상태입니다" in reply


def test_wrong_emails_are_refused_then_locked_out(assistant):
    user = sender()
    assistant.ask(user, "check my application status")
    for attempt in range(4):
        assert "contact e-mail" in assistant.ask(user, "KCN-2024-D-2402-B")
        assert f"({4 - attempt} tries left)" in assistant.ask(user, "guess@example.org")
    assistant.ask(user, "KCN-2024-D-2402-B")
    assert "paused until" in assistant.ask(user, "guess@example.org")
    # Locked: even the right answer is refused, and nothing about the proposal is shown.
    assistant.ask(user, "check my application status")
    reply = assistant.ask(user, "KCN-2024-D-2402-B")
    assert "paused until" in reply and "under review" not in reply


def test_cancelling_halfway_returns_to_questions(assistant):
    user = sender()
    assistant.ask(user, "제 제안서 상태 조회하고 싶어요")
    assert "취소했습니다" in assistant.ask(user, "취소")
    assert "2024년 3월 19일" in assistant.ask(user, "해외실증형 마감일이 언제예요?")


def test_guessing_one_code_from_new_conversations_locks_the_code(assistant):
    from knowledge import proposals, reference_codes

    code = reference_codes.new_code(2024, "demonstration")  # well-formed, belongs to no one
    for attempt in range(proposals.MAX_FAILED_CHECKS_PER_CODE):
        user = sender()
        assistant.ask(user, "check my application status")
        assistant.ask(user, code)
        reply = assistant.ask(user, f"guess{attempt}@example.org")
    assert "paused until" in reply
    # A new conversation is refused as soon as it names the code.
    user = sender()
    assistant.ask(user, "제 제안서 상태 조회하고 싶어요")
    assert "상태 조회를 할 수 없습니다" in assistant.ask(user, code)

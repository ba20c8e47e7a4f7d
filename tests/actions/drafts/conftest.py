"""The draft the form would have saved, for the tests of the draft actions."""
import pytest

from knowledge import proposals


@pytest.fixture
def draft(knowledge_db, today):
    """A demonstration draft as the form creates it once the e-mail is known."""
    return proposals.create_draft(2024, "demonstration", "lee@example.com", applicant_kind="korean_company")

"""bot/rasa_server.py: Rasa's command line gets the API token intact, whatever its first character."""
import pytest
from rasa.__main__ import create_argument_parser

from bot.rasa_server import rasa_argv


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--two-dashes", "plainToken_123"])
def test_rasa_reads_the_token_as_given(token):
    args = create_argument_parser().parse_args(rasa_argv(["run", "--model", "models/kcn.tar.gz", "--enable-api"], token)[1:])
    assert args.auth_token == token
    assert args.enable_api is True

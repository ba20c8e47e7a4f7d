"""Korean-aware tokenizer: kiwipiepy morphemes for Hangul, plain words for everything else.

Rasa's WhitespaceTokenizer drops Hangul (its emoji filter covers the syllable block), and
Korean glues particles and endings to words ("해외실증형은"), so we split into morphemes.
Each token keeps the surface text and its offsets; its lemma is the morpheme's dictionary
form, which the CountVectorsFeaturizer uses ("했어요" and "해요" share "하").

Today's reference codes (KCN-2024-D-7K3M-Q9XF-2HTW-5N8J) are given to the classifier in the shape
of the first format it learnt codes in (KCN-2024-D-2402-B: five tokens): split into morphemes they
were a dozen random fragments ("7", "k", "xf", …) read as words, and "status of <code>?" was often
taken for another question. Their tokens become KCN, the year, the track letter, "0000" and "0" at
the code's own offsets (the text, which the forms read, is unchanged). The training examples hold
first-format codes only, which are tokenized as before, so training is unchanged.
"""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.reference_codes import CODE_IN_TEXT, is_new_format
from nlu.components import BuiltFromConfig

# Kiwi tags for punctuation and brackets: not words, so not tokens.
_PUNCTUATION_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SO"}

_kiwi = None
_kiwi_lock = threading.Lock()


def kiwi():
    """One shared analyser per process: loading its model takes about a second."""
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


# What a first-format code ends in (KCN-2024-D-2402-B): four digits, then a check letter (a digit
# there read as a number and left "이거 선정됐나요?" with a code of today below the fallback threshold).
FIRST_FORMAT_TAIL = ("0000", "K")


def tokens_of(text: str) -> List[Token]:
    """Morpheme tokens, with today's reference codes in the first format's shape (module docstring)."""
    tokens = morpheme_tokens(text)
    for match in CODE_IN_TEXT.finditer(text):
        if not is_new_format(match.group()):
            continue
        start, end = match.span()
        at = [start + i for i, char in enumerate(match.group()) if char.isalnum()]  # KCN, year, track, 16 symbols
        if len(at) != 24 or any(t.start < start < t.end or t.start < end < t.end for t in tokens):
            continue  # a token reaching across the code's edge: left as it is
        kcn, year, letter = text[at[0]:at[2] + 1], text[at[3]:at[6] + 1], text[at[7]]
        digits, check = FIRST_FORMAT_TAIL
        shaped = [(kcn, at[0], at[2] + 1), (year, at[3], at[6] + 1), (letter, at[7], at[7] + 1),
                  (digits, at[8], at[22] + 1), (check, at[23], at[23] + 1)]
        tokens = ([t for t in tokens if t.end <= start]
                  + [Token(word, first, end=last, lemma=word.lower()) for word, first, last in shaped]
                  + [t for t in tokens if t.start >= end])
    return tokens


def morpheme_tokens(text: str) -> List[Token]:
    """Tokens with strictly increasing, non-overlapping spans.

    Kiwi can return several morphemes for one stretch of text (contractions such as
    "인가" = 이 + ㄴ가, or "했" = 하 + 었): those are merged into one token.
    """
    tokens: List[Token] = []
    for m in kiwi().tokenize(text):
        tag = str(m.tag)
        if tag in _PUNCTUATION_TAGS:
            continue
        if m.len == 0:
            continue  # an elided copula (얼마야 = 얼마 + 이 + 야): nothing in the text to point at
        start, end = m.start, m.start + m.len
        if tokens and start < tokens[-1].end:
            last = tokens[-1]
            last.end = max(last.end, end)
            last.text = text[last.start : last.end]
            last.lemma = last.lemma + m.form
            continue
        tokens.append(Token(text[start:end], start, end=end, lemma=m.form.lower()))
    if not tokens and text.strip():
        # Nothing but symbols or emoji: keep the message as one token so features exist.
        stripped = text.strip()
        start = text.index(stripped)
        tokens.append(Token(stripped, start, end=start + len(stripped)))
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(BuiltFromConfig, Tokenizer):
    """Rasa tokenizer component built on kiwipiepy (model shipped with the package)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def warm_up(cls) -> None:
        kiwi()

    @staticmethod
    def required_packages() -> List[Text]:
        return ["kiwipiepy"]

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text: Optional[str] = message.get(attribute)
        return self._apply_token_pattern(tokens_of(text or ""))

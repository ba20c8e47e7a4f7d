"""Marks each message's language as a `language` entity: "ko" if it has Hangul, else "en"; and,
after the intent classifiers, turns a message written in a language the assistant does not speak
into "not understood" (UnsupportedLanguageGate).

Code-switched messages with any Hangul count as Korean. A message with no letters at all
(digits, emoji, punctuation), or nothing but an e-mail address, a web address or a reference
code of either format, however it is spaced (answers to a form's questions), gets no entity, so the
`language` slot keeps its value.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from knowledge.reference_codes import CODE_IN_TEXT, shaped_like_code
from knowledge.wording import EMAIL_IN_TEXT, UNSUPPORTED_LANGUAGE_KEY, has_hangul, load_language_models, unsupported_language
from nlu.components import BuiltFromConfig

_LATIN = re.compile(r"[A-Za-z]")
# Typed values that carry no language: e-mail and web addresses, proposal reference codes.
_NO_LANGUAGE = re.compile(rf"{EMAIL_IN_TEXT.pattern}|https?://\S+|www\.\S+|{CODE_IN_TEXT.pattern}", re.IGNORECASE)


def detect_language(text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    if has_hangul(text):
        return "ko"
    if shaped_like_code(text):  # "kcn 2024 d 7k3mq 9xf2h ...": spaced anyhow, still only a code
        return None
    if _LATIN.search(_NO_LANGUAGE.sub(" ", text)):
        return "en"
    return None


class _MessageMarker(BuiltFromConfig, GraphComponent):
    """Reads each message and marks it; has no settings."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(_MessageMarker, EntityExtractorMixin):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            language = detect_language(text)
            if language is None:
                continue
            entity = {"entity": "language", "value": language, "start": 0, "end": len(text), "confidence_entity": 1.0}
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name([entity]), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnsupportedLanguageGate(_MessageMarker):
    """A question in Spanish, French, Vietnamese… is not answered from what DIET guessed of it (an
    English overview "as if understood"): its intent becomes nlu_fallback, and the parse result
    names the language so the reply can say which languages the assistant answers in."""

    @classmethod
    def warm_up(cls) -> None:
        load_language_models()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = unsupported_language(_NO_LANGUAGE.sub(" ", text))
            if language is None:
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(fallback))
            message.set(UNSUPPORTED_LANGUAGE_KEY, language, add_to_output=True)
        return messages

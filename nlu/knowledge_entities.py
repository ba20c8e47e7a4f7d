"""Entity extraction from the knowledge base's aliases, with a spaCy EntityRuler.

The secretariat's alias lists (tracks, kinds of applicant, missing conditions) become token
patterns over the same morphemes the KiwiTokenizer produces, so "해외실증형은" matches the
alias "해외실증형" and "Demo track?" matches "demo track". Years ("2023", "23년") are
patterns too. The aliases are read from the knowledge base at training time and stored in
the model; a changed alias list changes the component's fingerprint, so `rasa train` retrains it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any, Dict, List, Optional, Text

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.tokens import Doc

from nlu.korean_tokenizer import morpheme_tokens

logger = logging.getLogger(__name__)

PATTERNS_FILE = "entity_patterns.json"
YEAR_PATTERNS = [
    {"label": "year", "pattern": [{"TEXT": {"REGEX": r"^(19|20)\d\d$"}}]},
    # '23년, 23년: two digits followed by the counter 년 (only 2020s, to avoid "10년간").
    {"label": "year", "pattern": [{"TEXT": {"REGEX": r"^2\d$"}}, {"TEXT": {"REGEX": r"^년"}}]},
]


def _spellings(alias: str) -> List[List[str]]:
    """The token sequences an alias may appear as.

    Kiwi segments a word differently alone and in a sentence ("국제기구" alone is 국제 + 기구,
    in "국제기구도 신청" it is one morpheme), so each alias is matched as its morphemes, as its
    space-separated words, and as one word.
    """
    variants = [
        [t.text.lower() for t in morpheme_tokens(alias)],
        alias.lower().split(),
        ["".join(alias.lower().split())],
    ]
    unique = []
    for words in variants:
        if words and words not in unique:
            unique.append(words)
    return unique


def alias_patterns(aliases) -> List[Dict[str, Any]]:
    """spaCy EntityRuler patterns for knowledge-base aliases (service.Alias objects)."""
    return [
        {"label": a.entity, "id": a.value, "pattern": [{"LOWER": w} for w in words]}
        for a in aliases
        for words in _spellings(a.alias)
    ]


def _knowledge_aliases():
    from knowledge import service

    return service.aliases()


def year_value(text: str) -> Optional[str]:
    digits = re.search(r"\d+", text)
    if not digits:
        return None
    year = int(digits.group())
    return str(year + 2000 if year < 100 else year)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        try:
            payload = json.dumps(alias_patterns(_knowledge_aliases()), sort_keys=True, ensure_ascii=False)
        except Exception:  # no database yet: train() will say so
            return None
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def __init__(self, model_storage: ModelStorage, resource: Resource, patterns: Optional[List[Dict]] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._build(patterns or [])

    def _build(self, patterns: List[Dict[str, Any]]) -> None:
        self.patterns = patterns
        # A blank multi-language pipeline: we hand it our own tokens, so no language model is needed.
        self._nlp = spacy.blank("xx")
        self._ruler = self._nlp.add_pipe("entity_ruler", config={"validate": True})
        self._ruler.add_patterns(YEAR_PATTERNS + patterns)

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "KnowledgeEntityExtractor":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._build(alias_patterns(_knowledge_aliases()))
        if not self.patterns:
            logger.warning("The knowledge base has no entity aliases: tracks and applicants will not be recognised.")
        with self._model_storage.write_to(self._resource) as path:
            (path / PATTERNS_FILE).write_text(json.dumps(self.patterns, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "KnowledgeEntityExtractor":
        try:
            with model_storage.read_from(resource) as path:
                patterns = json.loads((path / PATTERNS_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("No stored entity patterns; only years will be recognised.")
            patterns = []
        return cls(model_storage, resource, patterns)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
            if not tokens:
                continue
            found = self.add_extractor_name(self.extract(tokens))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def extract(self, tokens: List[Token]) -> List[Dict[str, Any]]:
        if not tokens:
            return []
        spaces = [next_.start > tok.end for tok, next_ in zip(tokens, tokens[1:])] + [False]
        doc = self._ruler(Doc(self._nlp.vocab, words=[t.text for t in tokens], spaces=spaces))
        entities = []
        for ent in doc.ents:
            value = year_value(ent.text) if ent.label_ == "year" else ent.ent_id_
            if not value:
                continue
            start, end = tokens[ent.start].start, tokens[ent.end - 1].end
            entities.append({"entity": ent.label_, "value": value, "start": start, "end": end, "confidence_entity": 1.0})
        return entities

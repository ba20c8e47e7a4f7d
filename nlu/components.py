"""What the assistant's own NLU components share."""
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class BuiltFromConfig:
    """Rasa's `create` for a component that keeps nothing in the model storage. `warm_up` runs first, so
    what the component needs (kiwi's dictionary, lingua's models) is loaded while the server starts,
    not while the first user's message waits. Put it before Rasa's base class."""

    @classmethod
    def warm_up(cls) -> None:
        """Loads nothing unless a component says so."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ):
        cls.warm_up()
        return cls(config)

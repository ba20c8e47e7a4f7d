"""What every table is built on: one declarative base, and texts stored in Korean and English.

A text field `x` is stored as two columns, `x_ko` and `x_en`; `obj.text("x", lang)` reads one.
"""
from sqlalchemy import Column, String, Text
from sqlalchemy.orm import declarative_base

from knowledge.wording import LANGUAGES

Base = declarative_base()


def bilingual(length=None, nullable=False):
    """Two columns, Korean and English, for one text field (see Bilingual.__init_subclass__)."""
    return ("bilingual", length, nullable)


class Bilingual:
    """Expands `field = bilingual()` into `field_ko` and `field_en` columns."""

    TEXT_FIELDS: tuple = ()

    def __init_subclass__(cls, **kwargs):
        fields = []
        for name, value in list(vars(cls).items()):
            if isinstance(value, tuple) and value[:1] == ("bilingual",):
                _, length, nullable = value
                for lang in LANGUAGES:
                    column_type = String(length) if length else Text()
                    setattr(cls, f"{name}_{lang}", Column(column_type, nullable=nullable))
                delattr(cls, name)
                fields.append(name)
        cls.TEXT_FIELDS = tuple(getattr(cls, "TEXT_FIELDS", ())) + tuple(fields)
        super().__init_subclass__(**kwargs)

    def text(self, field: str, lang: str) -> str:
        return getattr(self, f"{field}_{lang}") or ""

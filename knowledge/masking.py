"""What the staff pages built from applicants' messages (the unanswered-questions inbox, its
training examples) keep of a message: its words, never who wrote it or how to reach them.

E-mail addresses, reference codes (well-formed or not) and phone numbers are replaced by a
placeholder before anything is stored, so a stored text cannot leak them, whoever reads it.
"""
import re

from knowledge.reference_codes import CODE_IN_TEXT
from knowledge.wording import EMAIL_IN_TEXT

EMAIL, CODE, PHONE = "‹e-mail›", "‹code›", "‹phone›"
# Anything that starts like a code (KCN, then a year): a mistyped code names an application too.
_CODE_LIKE = re.compile(r"\bKCN[\s\-_.]*\d{2,4}[\s\-_.]*[0-9A-Z\-_.]*", re.IGNORECASE)
# Nine or more digits, with the separators phone numbers are written with: 010-1234-5678,
# +82 2 1234 5678, (02) 123-4567. Dates (2024-03-19: 8 digits) and amounts (1,000,000,000: commas) stay.
_PHONE = re.compile(r"(?<![\w.,])\+?\(?\d(?:[\s\-().]{0,2}\d){8,14}(?![\w,])")


def mask(text: str) -> str:
    text = EMAIL_IN_TEXT.sub(EMAIL, text or "")
    text = CODE_IN_TEXT.sub(CODE, text)
    text = _CODE_LIKE.sub(CODE, text)
    return _PHONE.sub(PHONE, text)

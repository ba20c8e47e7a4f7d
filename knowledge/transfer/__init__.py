"""The whole knowledge base as one readable YAML file, and back: `from knowledge import transfer`.

  places.py  how a fact of the file is named ("calls[0].tracks[1].deadline"), and flatten()
  export.py  export_data() and dump(): the database as a file
  checks.py  validate(): every problem of a file, each with its place; Problem, ImportRejected
  rows.py    load(): a valid file's contents as rows (an import and the seed both use it)
  apply.py   import_data(): all or nothing, every changed fact recorded; history()
  edits.py   set_values(), add_faq(), remove_faq(), add_canned_reply(), remove_canned_reply(), copy_call(), revert(): small edits, as imports;
             unconfirmed(): the copied facts not yet confirmed

Use the names below; which module holds them is this package's business.
"""
from knowledge.transfer.apply import RULE_TABLES, history, import_data
from knowledge.transfer.checks import ALIAS_ENTITIES, INTAKE_MODES, TRACK_CODES, ImportRejected, Problem, problem, validate
from knowledge.transfer.edits import (add_canned_reply, add_entry, add_faq, copy_call, remove_canned_reply,
                                      remove_entry, remove_faq, revert, set_values, unconfirmed)
from knowledge.transfer.export import dump, export_data
from knowledge.transfer.places import flatten

__all__ = [
    "export_data", "dump", "flatten",
    "validate", "Problem", "problem", "ImportRejected", "TRACK_CODES", "INTAKE_MODES", "ALIAS_ENTITIES",
    "import_data", "history", "RULE_TABLES",
    "set_values", "add_faq", "remove_faq", "add_canned_reply", "remove_canned_reply", "add_entry", "remove_entry", "copy_call", "revert", "unconfirmed",
]

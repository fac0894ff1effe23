"""Sachstand's data layer: the model, the data file, history, sync, and getting motions in and reports out.

This package never imports Textual. The dashboard and the command line use the names exported
here and, for the features that load heavy libraries, the modules in :data:`PUBLIC_MODULES`;
nothing else below the package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# The same names as _EXPORTS below, declared for mypy and editors (tests/unit/test_exports.py holds the two equal).
if TYPE_CHECKING:
    from store.config import SETTINGS as SETTINGS
    from store.config import Config as Config
    from store.config import load_config as load_config
    from store.config import open_store as open_store
    from store.config import spoken_language as spoken_language
    from store.errors import Ambiguous as Ambiguous
    from store.errors import BadInput as BadInput
    from store.errors import ConfigError as ConfigError
    from store.errors import LockTimeout as LockTimeout
    from store.errors import NotFound as NotFound
    from store.errors import OParlError as OParlError
    from store.errors import SachstandError as SachstandError
    from store.errors import StoreFileError as StoreFileError
    from store.errors import SyncError as SyncError
    from store.errors import Unavailable as Unavailable
    from store.errors import UndoError as UndoError
    from store.errors import WriteError as WriteError
    from store.example import EXAMPLE_ID as EXAMPLE_ID
    from store.example import demo_motions as demo_motions
    from store.example import example_letter as example_letter
    from store.example import example_motion as example_motion
    from store.exchange import EXPORT_KINDS as EXPORT_KINDS
    from store.exchange.files import to_json as to_json
    from store.fields import ITEM_FIELDS as ITEM_FIELDS
    from store.fields import ITEM_FORM as ITEM_FORM
    from store.fields import MOTION_FIELDS as MOTION_FIELDS
    from store.fields import MOTION_FORM as MOTION_FORM
    from store.fields import Field as Field
    from store.fields import Kind as Kind
    from store.fields import field_label as field_label
    from store.file.bulk import collector_paused_then_frozen as collector_paused_then_frozen
    from store.file.bulk import collector_resumed as collector_resumed
    from store.file.index import MotionSummary as MotionSummary
    from store.file.index import newest_first_key as newest_first_key
    from store.file.prefold import Prefold as Prefold
    from store.file.prefold import prefolded as prefolded
    from store.folding import FOLD_BATCH as FOLD_BATCH
    from store.folding import Haystacks as Haystacks
    from store.folding import haystacks as haystacks
    from store.folding import query_words as query_words
    from store.history import FieldChange as FieldChange
    from store.history import HistoryEntry as HistoryEntry
    from store.i18n import LANGUAGES as LANGUAGES
    from store.i18n import Msg as Msg
    from store.i18n import Notice as Notice
    from store.i18n import add_catalog as add_catalog
    from store.i18n import plural as plural
    from store.i18n import translate as translate
    from store.model import Item as Item
    from store.model import Motion as Motion
    from store.model import new_items as new_items
    from store.model import new_motion_id as new_motion_id
    from store.modelcache import kept_apart as kept_apart
    from store.modelcache import models_kept as models_kept
    from store.modelrows import items_made as items_made
    from store.overview import SOON_DAYS as SOON_DAYS
    from store.overview import CommitteeFigures as CommitteeFigures
    from store.overview import DepartmentFigures as DepartmentFigures
    from store.overview import Overview as Overview
    from store.overview import OverviewSource as OverviewSource
    from store.overview import RecentChange as RecentChange
    from store.overview import compute_overview as compute_overview
    from store.queries import departments as departments
    from store.queries import meeting_motions as meeting_motions
    from store.queries import meetings as meetings
    from store.queries import open_items_by_department as open_items_by_department
    from store.store import KEEP as KEEP
    from store.store import ImportResult as ImportResult
    from store.store import Store as Store
    from store.sync.access import Who as Who
    from store.sync.access import field_refusal as field_refusal
    from store.sync.access import refusal_reason as refusal_reason
    from store.sync.progress import SyncProgress as SyncProgress
    from store.sync.remote import Remote as Remote
    from store.sync.remote import remote_from as remote_from
    from store.sync.state import Conflict as Conflict
    from store.sync.state import Refusal as Refusal
    from store.sync.state import SyncState as SyncState
    from store.values import ItemStatus as ItemStatus
    from store.values import MotionStatus as MotionStatus
    from store.values import Statuses as Statuses
    from store.values import day_text as day_text
    from store.values import is_utf8 as is_utf8
    from store.values import label as label
    from store.values import moment_text as moment_text
    from store.values import parse_date as parse_date
    from store.values import parse_item_status as parse_item_status
    from store.values import parse_motion_status as parse_motion_status
    from store.values import typed_date as typed_date

# Each exported name, by the module it lives in, imported on first use (PEP 562): a command loads only
# what it touches (`sachstand set` the model and the data file, not the overview, the exports or the sync's
# rules), and tui's modules can import the names they need at their top without loading all of store.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "store.config": ("SETTINGS", "Config", "load_config", "open_store", "spoken_language"),
    "store.errors": (
        "Ambiguous",
        "BadInput",
        "ConfigError",
        "LockTimeout",
        "NotFound",
        "OParlError",
        "SachstandError",
        "StoreFileError",
        "SyncError",
        "Unavailable",
        "UndoError",
        "WriteError",
    ),
    "store.example": ("EXAMPLE_ID", "demo_motions", "example_letter", "example_motion"),
    "store.exchange": ("EXPORT_KINDS",),
    "store.exchange.files": ("to_json",),
    "store.fields": ("ITEM_FIELDS", "ITEM_FORM", "MOTION_FIELDS", "MOTION_FORM", "Field", "Kind", "field_label"),
    "store.file.bulk": ("collector_paused_then_frozen", "collector_resumed"),
    "store.file.index": ("MotionSummary", "newest_first_key"),
    "store.file.prefold": ("Prefold", "prefolded"),
    "store.folding": ("FOLD_BATCH", "Haystacks", "haystacks", "query_words"),
    "store.history": ("FieldChange", "HistoryEntry"),
    "store.i18n": ("LANGUAGES", "Msg", "Notice", "add_catalog", "plural", "translate"),
    "store.model": ("Item", "Motion", "new_items", "new_motion_id"),
    "store.modelcache": ("kept_apart", "models_kept"),
    "store.modelrows": ("items_made",),
    "store.overview": (
        "SOON_DAYS",
        "CommitteeFigures",
        "DepartmentFigures",
        "Overview",
        "OverviewSource",
        "RecentChange",
        "compute_overview",
    ),
    "store.queries": ("departments", "meeting_motions", "meetings", "open_items_by_department"),
    "store.store": ("KEEP", "ImportResult", "Store"),
    "store.sync.access": ("Who", "field_refusal", "refusal_reason"),
    "store.sync.progress": ("SyncProgress",),
    "store.sync.remote": ("Remote", "remote_from"),
    "store.sync.state": ("Conflict", "Refusal", "SyncState"),
    "store.values": (
        "ItemStatus",
        "MotionStatus",
        "Statuses",
        "day_text",
        "is_utf8",
        "label",
        "moment_text",
        "parse_date",
        "parse_item_status",
        "parse_motion_status",
        "typed_date",
    ),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    """An exported name, imported from its module the first time it is asked for, then kept here."""
    module = _MODULE_OF.get(name)
    if module is None:  # so also `from store import changes` learns that it must import the submodule
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# The modules below the package that tui may import besides the names above: each is a whole feature that
# only some commands use, imported by tui where that command runs, so nobody pays for it at the dashboard's
# start (tests/e2e/test_contracts.py holds tui to this list).
PUBLIC_MODULES = (
    "store.sync.client",  # `sachstand sync` and the dashboard's sync; loads httpx
    "store.sync.apart",  # the dashboard's first sync, in a process of its own
    "store.sync.server",  # `sachstand serve`; loads starlette (and uvicorn, started by the command line)
    "store.sync.tokens",  # `sachstand token` and `serve`: the server's access tokens
    "store.sync.postgres",  # `serve`, `token` and `body` with --database; loads psycopg
    "store.exchange.workflows",  # importing letters, files and OParl, exporting; OParl loads httpx
    "store.exchange.generate",  # `sachstand generate`: synthetic motions for trying Sachstand at scale
    "store.mail.remind",  # `sachstand remind` and the dashboard's: loads smtplib and the e-mail package
    "store.mail.answers",  # the departments' answer lists, read back by `sachstand import`
)

"""Sachstand's data layer: the model, the data file, history and (later) sync.

This package never imports Textual. The dashboard and the command line use the
names exported here and nothing deeper.
"""

from store.config import Config, load_config
from store.errors import (
    Ambiguous,
    BadInput,
    ConfigError,
    LockTimeout,
    NotFound,
    OParlError,
    SachstandError,
    StoreFileError,
    SyncError,
    UndoError,
)
from store.example import EXAMPLE_ID, example_letter, example_motion
from store.fields import ITEM_FIELDS, MOTION_FIELDS, MOTION_FORM, Field, Kind, field_label
from store.file.index import MotionSummary
from store.history import FieldChange, HistoryEntry
from store.i18n import translate
from store.model import Item, Motion, new_items, new_motion_id
from store.store import KEEP, Conflict, ImportResult, Store, SyncState, open_store
from store.values import (
    ItemStatus,
    MotionStatus,
    day_text,
    label,
    moment_text,
    parse_date,
    parse_item_status,
    parse_motion_status,
)

__all__ = [
    "EXAMPLE_ID",
    "ITEM_FIELDS",
    "KEEP",
    "MOTION_FIELDS",
    "MOTION_FORM",
    "Ambiguous",
    "BadInput",
    "Config",
    "ConfigError",
    "Conflict",
    "Field",
    "FieldChange",
    "HistoryEntry",
    "ImportResult",
    "Item",
    "ItemStatus",
    "Kind",
    "LockTimeout",
    "Motion",
    "MotionStatus",
    "MotionSummary",
    "NotFound",
    "OParlError",
    "SachstandError",
    "Store",
    "StoreFileError",
    "SyncError",
    "SyncState",
    "UndoError",
    "day_text",
    "example_letter",
    "example_motion",
    "field_label",
    "label",
    "load_config",
    "moment_text",
    "new_items",
    "new_motion_id",
    "open_store",
    "parse_date",
    "parse_item_status",
    "parse_motion_status",
    "translate",
]

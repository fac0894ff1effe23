"""Sachstand's data layer: the model, the data file, history, sync, and getting motions in and reports out.

This package never imports Textual. The dashboard and the command line use the names exported
here and, for the features that load heavy libraries, the modules in :data:`PUBLIC_MODULES`;
nothing else below the package.
"""

from store.config import SETTINGS, Config, load_config, spoken_language
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
    Unavailable,
    UndoError,
    WriteError,
)
from store.example import EXAMPLE_ID, demo_motions, example_letter, example_motion
from store.exchange import EXPORT_KINDS
from store.exchange.files import to_json
from store.fields import ITEM_FIELDS, ITEM_FORM, MOTION_FIELDS, MOTION_FORM, Field, Kind, field_label
from store.file.index import MotionSummary, newest_first_key
from store.history import FieldChange, HistoryEntry
from store.i18n import LANGUAGES, Msg, Notice, add_catalog, plural, translate
from store.model import Item, Motion, new_items, new_motion_id
from store.overview import (
    SOON_DAYS,
    CommitteeFigures,
    DepartmentFigures,
    Overview,
    OverviewSource,
    RecentChange,
    compute_overview,
)
from store.queries import departments, meeting_motions, meetings, open_items_by_department
from store.store import KEEP, ImportResult, Store, open_store
from store.sync.access import Who, field_refusal, refusal_reason
from store.sync.remote import Remote, remote_from
from store.sync.state import Conflict, Refusal, SyncState
from store.values import (
    ItemStatus,
    MotionStatus,
    Statuses,
    day_text,
    is_utf8,
    label,
    moment_text,
    parse_date,
    parse_item_status,
    parse_motion_status,
    typed_date,
)

__all__ = [
    "EXAMPLE_ID",
    "EXPORT_KINDS",
    "ITEM_FIELDS",
    "ITEM_FORM",
    "KEEP",
    "LANGUAGES",
    "MOTION_FIELDS",
    "MOTION_FORM",
    "SETTINGS",
    "SOON_DAYS",
    "Ambiguous",
    "BadInput",
    "CommitteeFigures",
    "Config",
    "ConfigError",
    "Conflict",
    "DepartmentFigures",
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
    "Msg",
    "NotFound",
    "Notice",
    "OParlError",
    "Overview",
    "OverviewSource",
    "RecentChange",
    "Refusal",
    "Remote",
    "SachstandError",
    "Statuses",
    "Store",
    "StoreFileError",
    "SyncError",
    "SyncState",
    "Unavailable",
    "UndoError",
    "Who",
    "WriteError",
    "add_catalog",
    "compute_overview",
    "day_text",
    "demo_motions",
    "departments",
    "example_letter",
    "example_motion",
    "field_label",
    "field_refusal",
    "is_utf8",
    "label",
    "load_config",
    "meeting_motions",
    "meetings",
    "moment_text",
    "new_items",
    "new_motion_id",
    "newest_first_key",
    "open_items_by_department",
    "open_store",
    "parse_date",
    "parse_item_status",
    "parse_motion_status",
    "plural",
    "refusal_reason",
    "remote_from",
    "spoken_language",
    "to_json",
    "translate",
    "typed_date",
]

# The modules below the package that tui may import besides the names above: each is a whole feature that
# only some commands use, imported by tui where that command runs, so nobody pays for it at the dashboard's
# start (tests/e2e/test_contracts.py holds tui to this list).
PUBLIC_MODULES = (
    "store.sync.client",  # `sachstand sync` and the dashboard's sync; loads httpx
    "store.sync.server",  # `sachstand serve`; loads starlette (and uvicorn, started by the command line)
    "store.sync.tokens",  # `sachstand token` and `serve`: the server's access tokens
    "store.sync.postgres",  # `serve`, `token` and `body` with --database; loads psycopg
    "store.exchange.workflows",  # importing letters, files and OParl, exporting; OParl loads httpx
    "store.exchange.generate",  # `sachstand generate`: synthetic motions for trying Sachstand at scale
    "store.mail.remind",  # `sachstand remind` and the dashboard's: loads smtplib and the e-mail package
    "store.mail.answers",  # the departments' answer lists, read back by `sachstand import`
)

"""Settings: a TOML file in the platform's config folder, environment overrides, defaults.

Precedence, strongest first: the command line (passed in by the caller), the
environment (``SACHSTAND_*``), the config file, the defaults below.
Each setting is declared once, in :data:`SETTINGS`: its default, its variable, its check.
"""

from __future__ import annotations

import getpass
import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from store.errors import BadInput, ConfigError
from store.exchange.report.lights import DEFAULT_REPORT, check_report
from store.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, add_catalog, language_from_locale, normalise_language
from store.values import check_line, is_utf8

if TYPE_CHECKING:
    from store.store import Store

APP = "sachstand"
DATA_FILE = "sachstand.json"
MIN_SYNC_INTERVAL = 10  # seconds (in the message below too): automatic syncs more often would only load the server
MAX_SYNC_INTERVAL = 86400  # a day
MAX_LOCK_TIMEOUT = 3600  # an hour: no one waits longer for another writer
MAX_REMIND_DAYS = 366  # a reminder a year ahead is the longest that makes sense
SMTP_TIMEOUT = 30.0  # seconds
MAX_SMTP_TIMEOUT = 600


class Setting(NamedTuple):  # not a dataclass: making one costs every command 0.5 ms
    """One setting of the config file, perhaps also of the environment."""

    name: str
    expected: Msg  # what it must be, for the message when it is not
    # The value as used, from the file's or the converted variable's; None when it is wrong (a
    # check may also raise a message of its own).
    check: Callable[[Any, str], Any]
    default: Any = None  # None: none, or (db, lang, user) found at load time
    variable: str = ""  # the environment variable that overrides it
    convert: type = str  # the variable's text to the file's type


def _text(value: Any, where: str = "") -> str | None:
    """A non-blank text, without the blanks around it. Text: not bytes that were not UTF-8 in the
    environment (Python hands them over as lone surrogates, which no file or terminal takes)."""
    return value.strip() if isinstance(value, str) and value.strip() and is_utf8(value) else None


def _path(value: Any, where: str) -> str | None:
    """A file's name: any bytes the file system takes (so not UTF-8 perhaps), but never a NUL."""
    return value.strip() if isinstance(value, str) and value.strip() and "\0" not in value else None


def _number(low: float, high: float, *, above: bool) -> Callable[[Any, str], float | None]:
    """A finite number of seconds at least ``low`` (more than it, with ``above``), at most ``high``."""

    def check(value: Any, where: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        if value > high:  # a wait beyond any use, and beyond what the clocks and timers of the OS take
            raise ConfigError(
                "{where}: expected at most {limit} seconds, got {value}.", where=where, limit=high, value=value
            )
        return float(value) if (value > low if above else value >= low) else None

    return check


def _backups(value: Any, where: str) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 20 else None


def _remote(value: Any, where: str) -> str | None:
    url = _text(value)
    return url.rstrip("/") if url and url.lower().startswith(("http://", "https://")) else None


def check_token(value: Any, where: str) -> str:
    """A token as an HTTP header carries it: printable ASCII without spaces (``sachstand token add`` makes such)."""
    token = _text(value)
    if not token or not (token.isascii() and token.isprintable()) or " " in token:
        # never echoing what was given: it may be someone's token with one character wrong
        raise ConfigError("{where}: expected a token: ASCII letters, digits and punctuation, no spaces.", where=where)
    return token


def _keys(value: Any, where: str) -> dict[str, str] | None:
    if not isinstance(value, dict) or not all(_text(keys) for keys in value.values()):
        return None
    return {binding: keys.replace(" ", "") for binding, keys in value.items()}


def _paper_types(value: Any, where: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or not all(_text(kind) for kind in value):
        return None
    return tuple(kind.strip() for kind in value)


def _days(value: Any, where: str) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_REMIND_DAYS else None


SMTP_PASSWORD = "SACHSTAND_SMTP_PASSWORD"  # the SMTP password: only from the environment, never in a file
SECURITIES = ("starttls", "ssl", "none")
_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}  # each security's usual port, when none is given
_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")  # one plain address, as a mail server takes it in RCPT TO


class Smtp(NamedTuple):  # NamedTuples, this and Config: making frozen dataclasses cost every command 2 to 4 ms
    """The mail server ``sachstand remind`` sends through (the password comes from SMTP_PASSWORD)."""

    host: str
    sender: str  # the [smtp] table's "from"
    port: int = 587
    security: str = "starttls"
    user: str = ""
    timeout: float = SMTP_TIMEOUT  # seconds for each step with the server: a server that hangs fails, not cron


def _smtp(value: Any, where: str) -> Smtp:
    if not isinstance(value, dict):
        raise ConfigError("{where}: expected a table with host and from.", where=where)
    unknown = sorted(set(value) - {"host", "port", "security", "user", "from", "timeout"})
    if unknown:
        raise ConfigError(
            "{where}: unknown key {key}; known: host, port, security, user, from, timeout.",
            where=where,
            key=repr(unknown[0]),
        )
    if not _text(value.get("host")) or not _address(value.get("from")):
        raise ConfigError("{where}: host and from (an address) are required.", where=where)
    security = value.get("security", "starttls")
    if security not in SECURITIES:
        raise ConfigError(
            "{where}: unknown security {value}; allowed: {allowed}.",
            where=f"{where}.security",
            value=repr(security),
            allowed=", ".join(SECURITIES),
        )
    port = value.get("port", _SMTP_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _wrong_value(f"{where}.port", Msg("a port from 1 to 65535"), port)
    user = value.get("user", "")
    if not isinstance(user, str):
        raise _wrong_value(f"{where}.user", Msg("a name"), user)
    timeout = _number(0, MAX_SMTP_TIMEOUT, above=True)(value.get("timeout", SMTP_TIMEOUT), f"{where}.timeout")
    if timeout is None:
        raise _wrong_value(f"{where}.timeout", Msg("seconds, more than 0"), value.get("timeout"))
    return Smtp(value["host"].strip(), value["from"].strip(), port, security, user.strip(), timeout)


def _address(value: Any) -> str | None:
    text = _text(value)
    return text if text and _ADDRESS.fullmatch(text) else None


def _departments(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError('{where}: expected a table of department = "address".', where=where)
    for department, address in value.items():
        if not _address(address):
            raise _wrong_value(f"{where}.{department}", Msg("an e-mail address"), address)
    return {" ".join(department.split()): address.strip() for department, address in value.items()}


def _language(value: Any, where: str) -> str:
    language = normalise_language(value) if isinstance(value, str) else None
    if language is None:
        raise ConfigError(
            "{where}: unknown language {value}; allowed: {allowed}.",
            where=where,
            value=repr(value),
            allowed=", ".join(LANGUAGES),
        )
    return language


def _user(value: Any, where: str) -> str:
    if not isinstance(value, str) or not is_utf8(value):
        raise _wrong("user", value, where)
    try:  # the name goes into every history entry, shown to everyone sharing the file
        return check_line(value.strip(), where, required=True)
    except BadInput as error:
        raise ConfigError(error.msgid, **error.params) from None


SETTINGS: Mapping[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting("db", Msg("a file path"), _path, variable="SACHSTAND_DB"),
        Setting("lang", Msg("de or en"), _language, variable="SACHSTAND_LANG"),
        Setting("user", Msg("a name"), _user, variable="SACHSTAND_USER"),
        Setting("backups", Msg("a whole number from 0 to 20"), _backups, 3, "SACHSTAND_BACKUPS", int),
        Setting(
            "lock_timeout",
            Msg("seconds, more than 0"),
            _number(0, MAX_LOCK_TIMEOUT, above=True),
            10.0,
            "SACHSTAND_LOCK_TIMEOUT",
            float,
        ),
        # binding id -> keys, for the dashboard
        Setting("keys", Msg('a table of binding id = "key"'), _keys, MappingProxyType({})),
        Setting("oparl_types", Msg("a list of paper types"), _paper_types, ("Antrag",)),  # the papers that are motions
        # the council's report: its title names the body; [report] traffic_lights (store/exchange/report/lights.py)
        Setting("body_name", Msg("a name"), _text, "", "SACHSTAND_BODY_NAME"),
        Setting("report", Msg("a table [report] with traffic_lights"), check_report, DEFAULT_REPORT),
        Setting("remote", Msg("a URL (http:// or https://)"), _remote, variable="SACHSTAND_REMOTE"),  # the sync server
        Setting(
            "token", Msg("a token"), check_token, variable="SACHSTAND_TOKEN"
        ),  # never printed, never in the data file
        Setting("ca", Msg("a file path"), _path, variable="SACHSTAND_CA"),  # to verify the sync server with
        Setting(
            "sync_interval",
            Msg("seconds, at least 10"),
            _number(MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL, above=False),
            None,  # None: while live sync is offline, it tries again every 30 s (tui/live.py)
            "SACHSTAND_SYNC_INTERVAL",
            float,
        ),
        # `sachstand remind`: items due within so many days are reminded (overdue ones always)
        Setting("remind_days", Msg("a whole number of days from 0 to 366"), _days, 14, "SACHSTAND_REMIND_DAYS", int),
        Setting("smtp", Msg("a table"), _smtp),  # the mail server reminders go through
        # department -> the address its reminders go to
        Setting("departments", Msg("a table"), _departments, MappingProxyType({})),
    )
}


class Config(NamedTuple):
    db: Path
    lang: str
    user: str
    backups: int = SETTINGS["backups"].default
    lock_timeout: float = SETTINGS["lock_timeout"].default
    config_file: Path | None = None
    db_is_default: bool = True
    keys: Mapping[str, str] = SETTINGS["keys"].default  # binding id -> keys
    oparl_types: tuple[str, ...] = SETTINGS["oparl_types"].default
    body_name: str = SETTINGS["body_name"].default  # e.g. "Kreis Heinsberg", the report's first line
    report: Mapping[str, Any] = SETTINGS["report"].default  # traffic_lights
    remote: str | None = SETTINGS["remote"].default  # the sync server's URL, e.g. https://sync.example.org/api/v1
    token: str | None = SETTINGS["token"].default  # the sync token: never printed (__repr__), never in the data file
    # a CA bundle to verify the sync server's certificate with (default: the system's)
    ca: str | None = SETTINGS["ca"].default
    sync_interval: float | None = SETTINGS["sync_interval"].default  # seconds between syncs while live sync is offline
    remind_days: int = SETTINGS["remind_days"].default
    smtp: Smtp | None = SETTINGS["smtp"].default
    departments: Mapping[str, str] = SETTINGS["departments"].default

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self) if name != "token")
        return f"Config({shown})"


def default_config_file(environ: Mapping[str, str]) -> Path:
    explicit = environ.get("SACHSTAND_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs  # 4 ms to load (its tempfile, shutil, random): only when the platform's folder is asked

    return platformdirs.user_config_path(APP) / "config.toml"


def default_data_file() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP) / DATA_FILE


def load_config(environ: Mapping[str, str] | None = None, *, db: str | None = None, lang: str | None = None) -> Config:
    env = os.environ if environ is None else environ
    config_file = default_config_file(env)
    values: dict[str, Any] = {}
    for key, value in _read_file(config_file).items():
        values[key] = _check(key, value, f"{config_file}: {key}")
    for key, setting in SETTINGS.items():
        if setting.variable and env.get(setting.variable):
            values[key] = _check(key, _convert(setting, env[setting.variable]), setting.variable)
    if db:
        values["db"] = db
    if lang:
        values["lang"] = _check("lang", lang, "--lang")
    found = {key: values.get(key, setting.default) for key, setting in SETTINGS.items() if key not in _AT_LOAD}
    return Config(
        db=Path(values["db"]).expanduser() if "db" in values else default_data_file(),
        lang=values.get("lang") or spoken_language(None, env),
        user=values.get("user") or _os_user(),
        config_file=config_file,
        db_is_default="db" not in values,
        **found,
    )


def open_store(config: Config) -> Store:
    """The store ``config`` names; makes the default data folder on first use."""
    from store.store import Store  # the data file's code: not loaded by the commands that only read the config

    if config.db_is_default:
        config.db.parent.mkdir(parents=True, exist_ok=True)
    return Store(config.db, user=config.user, backups=config.backups, lock_timeout=config.lock_timeout)


def spoken_language(chosen: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak when the config file says none, or before it is read (and if reading it
    fails): the one chosen (``--lang``), else the environment's, else the locale's, else German. A value
    that names no language we speak counts as none: this must never fail."""
    env = os.environ if environ is None else environ
    for value in (chosen, env.get(SETTINGS["lang"].variable or "")):
        if value and (code := normalise_language(value)):
            return code
    return language_from_locale(env) or DEFAULT_LANGUAGE


_AT_LOAD = frozenset({"db", "lang", "user"})  # their defaults depend on the platform, the locale, the login


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError("{path}: cannot read the file: {detail}.", path=path, detail=error.strerror) from None
    import tomllib  # only when there is a file: most commands run without one, and it costs 2 ms to load

    try:
        data = tomllib.loads(content.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("{path}: not valid TOML: {detail}.", path=path, detail=str(error)) from None
    except UnicodeDecodeError as error:  # TOML is UTF-8
        raise ConfigError(
            "{path}: not valid TOML: {detail}.", path=path, detail=f"not UTF-8 at byte {error.start + 1}"
        ) from None
    unknown = [key for key in data if key not in SETTINGS]
    if unknown:
        raise ConfigError(
            "{where}: unknown setting {key}; known: {known}.",
            where=str(path),
            key=repr(unknown[0]),
            known=", ".join(SETTINGS),
        )
    return data


def _convert(setting: Setting, text: str) -> Any:
    try:
        return setting.convert(text)
    except ValueError:
        raise _wrong(setting.name, text, setting.variable) from None


def _check(key: str, value: Any, where: str) -> Any:
    checked = SETTINGS[key].check(value, where)
    if checked is None:
        raise _wrong(key, value, where)
    return checked


def _wrong(key: str, value: Any, where: str) -> ConfigError:
    # a byte that was not UTF-8 in the environment shown as the byte typed ('\xff'), not as Python holds it
    shown = re.sub(r"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])", r"\1\\x\2", repr(value))  # not after a \ typed
    return ConfigError(
        "{where}: expected {expected}, got {value}.", where=where, expected=SETTINGS[key].expected, value=shown
    )


def _wrong_value(where: str, expected: Msg, value: Any) -> ConfigError:
    return ConfigError("{where}: expected {expected}, got {value}.", where=where, expected=expected, value=repr(value))


def _os_user() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"
    return name if name.isprintable() and name.strip() else "unknown"


add_catalog(
    "de",
    {
        "{where}: expected a token: ASCII letters, digits and punctuation, no spaces.": "{where}: Token erwartet: ASCII-Buchstaben, -Ziffern und -Satzzeichen, ohne Leerzeichen.",
        "a table [report] with traffic_lights": "eine Tabelle [report] mit traffic_lights",
        "{where}: expected at most {limit} seconds, got {value}.": "{where}: höchstens {limit} Sekunden erwartet, erhalten: {value}.",
        "{where}: expected a table with host and from.": "{where}: Tabelle mit host und from erwartet.",
        "{where}: unknown key {key}; known: host, port, security, user, from, timeout.": "{where}: unbekannter Schlüssel {key}; bekannt: host, port, security, user, from, timeout.",
        "{where}: host and from (an address) are required.": "{where}: host und from (eine Adresse) sind nötig.",
        "{where}: unknown security {value}; allowed: {allowed}.": "{where}: unbekannte Sicherheit {value}; erlaubt: {allowed}.",
        '{where}: expected a table of department = "address".': '{where}: Tabelle Amt = "Adresse" erwartet.',
        "a port from 1 to 65535": "ein Port von 1 bis 65535",
        "an e-mail address": "eine E-Mail-Adresse",
        "a table": "eine Tabelle",
        "a whole number of days from 0 to 366": "eine ganze Zahl von Tagen von 0 bis 366",
    },
)

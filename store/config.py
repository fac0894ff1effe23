"""Settings: a TOML file in the platform's config folder, environment overrides, defaults.

Precedence, strongest first: the command line (passed in by the caller), the
environment (``SACHSTAND_*``), the config file, the defaults below.
"""

from __future__ import annotations

import getpass
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from store.errors import BadInput, ConfigError
from store.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, language_from_locale, normalise_language
from store.model import check_line

APP = "sachstand"
DATA_FILE = "sachstand.json"
MIN_SYNC_INTERVAL = 10  # seconds (in the message below too): automatic syncs more often would only load the server


@dataclass(frozen=True, slots=True)
class Config:
    db: Path
    lang: str
    user: str
    backups: int = 3
    lock_timeout: float = 10.0
    config_file: Path | None = None
    db_is_default: bool = True
    keys: Mapping[str, str] = field(default_factory=dict)  # binding id -> keys, for the dashboard
    oparl_types: tuple[str, ...] = ("Antrag",)  # the OParl paper types that are motions here
    remote: str | None = None  # the sync server's URL, e.g. https://sync.example.org/api/v1
    token: str | None = field(default=None, repr=False)  # the sync token: never printed, never in the data file
    ca: str | None = None  # a CA bundle to verify the sync server's certificate with (default: the system's)
    sync_interval: float | None = None  # seconds between the dashboard's automatic syncs; None: only on request


def default_config_file(environ: Mapping[str, str]) -> Path:
    explicit = environ.get("SACHSTAND_CONFIG")
    return Path(explicit) if explicit else platformdirs.user_config_path(APP) / "config.toml"


def default_data_file() -> Path:
    return platformdirs.user_data_path(APP) / DATA_FILE


# setting -> (environment variable, what it must be, converter from text)
_SETTINGS: dict[str, tuple[str, Msg, type]] = {
    "db": ("SACHSTAND_DB", Msg("a file path"), str),
    "lang": ("SACHSTAND_LANG", Msg("de or en"), str),
    "user": ("SACHSTAND_USER", Msg("a name"), str),
    "backups": ("SACHSTAND_BACKUPS", Msg("a whole number from 0 to 20"), int),
    "lock_timeout": ("SACHSTAND_LOCK_TIMEOUT", Msg("seconds, more than 0"), float),
    "keys": ("", Msg('a table of binding id = "key"'), dict),
    "oparl_types": ("", Msg("a list of paper types"), list),
    "remote": ("SACHSTAND_REMOTE", Msg("a URL (http:// or https://)"), str),
    "token": ("SACHSTAND_TOKEN", Msg("a token"), str),
    "ca": ("SACHSTAND_CA", Msg("a file path"), str),
    "sync_interval": ("SACHSTAND_SYNC_INTERVAL", Msg("seconds, at least 10"), float),
}


def load_config(environ: Mapping[str, str] | None = None, *, db: str | None = None, lang: str | None = None) -> Config:
    env = os.environ if environ is None else environ
    config_file = default_config_file(env)
    values: dict[str, Any] = {}
    for key, value in _read_file(config_file).items():
        values[key] = _check(key, value, f"{config_file}: {key}")
    for key, (variable, _expected, convert) in _SETTINGS.items():
        if variable and env.get(variable):
            values[key] = _check(key, _convert(convert, env[variable], key, variable), variable)
    if db:
        values["db"] = db
    if lang:
        values["lang"] = _check("lang", lang, "--lang")
    language = values.get("lang") or language_from_locale(env) or DEFAULT_LANGUAGE
    return Config(
        db=Path(values["db"]).expanduser() if "db" in values else default_data_file(),
        lang=language,
        user=values.get("user") or _os_user(),
        backups=values.get("backups", 3),
        lock_timeout=values.get("lock_timeout", 10.0),
        config_file=config_file,
        db_is_default="db" not in values,
        keys=values.get("keys", {}),
        oparl_types=values.get("oparl_types", ("Antrag",)),
        remote=values.get("remote"),
        token=values.get("token"),
        ca=values.get("ca"),
        sync_interval=values.get("sync_interval"),
    )


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError("{path}: cannot read the file: {detail}.", path=path, detail=error.strerror) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("{path}: not valid TOML: {detail}.", path=path, detail=str(error)) from None
    unknown = [key for key in data if key not in _SETTINGS]
    if unknown:
        raise ConfigError(
            "{where}: unknown setting {key}; known: {known}.",
            where=str(path),
            key=repr(unknown[0]),
            known=", ".join(_SETTINGS),
        )
    return data


def _convert(convert: type, text: str, key: str, where: str) -> Any:
    try:
        return convert(text)
    except ValueError:
        raise _wrong(key, text, where) from None


def _check(key: str, value: Any, where: str) -> Any:
    if key == "lang":
        language = normalise_language(value) if isinstance(value, str) else None
        if language is None:
            raise ConfigError(
                "{where}: unknown language {value}; allowed: {allowed}.",
                where=where,
                value=repr(value),
                allowed=", ".join(LANGUAGES),
            )
        return language
    if key == "db":
        if not isinstance(value, str) or not value.strip():
            raise _wrong(key, value, where)
        return value.strip()
    if key == "user":
        if not isinstance(value, str):
            raise _wrong(key, value, where)
        try:  # the name goes into every history entry, shown to everyone sharing the file
            return check_line(value.strip(), where, required=True)
        except BadInput as error:
            raise ConfigError(error.msgid, **error.params) from None
    if key == "remote":
        if not isinstance(value, str) or not value.strip().lower().startswith(("http://", "https://")):
            raise _wrong(key, value, where)
        return value.strip().rstrip("/")
    if key == "token":
        if not isinstance(value, str) or not value.strip() or not value.strip().isprintable():
            raise ConfigError(
                "{where}: expected {expected}.", where=where, expected=Msg("a token")
            )  # never echo a token
        return value.strip()
    if key == "ca":
        if not isinstance(value, str) or not value.strip():
            raise _wrong(key, value, where)
        return value.strip()
    if key == "keys":
        if not isinstance(value, dict) or not all(isinstance(keys, str) and keys.strip() for keys in value.values()):
            raise _wrong(key, value, where)
        return {binding: keys.replace(" ", "") for binding, keys in value.items()}
    if key == "oparl_types":
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(kind, str) and kind.strip() for kind in value)
        ):
            raise _wrong(key, value, where)
        return tuple(kind.strip() for kind in value)
    if key == "sync_interval":
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < MIN_SYNC_INTERVAL
        ):
            raise _wrong(key, value, where)
        return float(value)
    if key == "backups":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
            raise _wrong(key, value, where)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _wrong(key, value, where)
    return float(value)


def _wrong(key: str, value: Any, where: str) -> ConfigError:
    return ConfigError(
        "{where}: expected {expected}, got {value}.", where=where, expected=_SETTINGS[key][1], value=repr(value)
    )


def _os_user() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"
    return name if name.isprintable() and name.strip() else "unknown"

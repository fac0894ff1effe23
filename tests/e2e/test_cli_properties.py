"""Properties of the command line under any input (issue 18: "never a traceback").

Hypothesis generates argument lists for every command of the registry (its real option names mixed
with random text, bytes that are not UTF-8 as Python hands them over, numbers, empty strings, paths
that cannot be written), config files (TOML with the real keys and random values, and random bytes)
and values for every ``SACHSTAND_*`` variable. Whatever comes:

- no exception escapes ``tui.cli.main`` and no traceback is printed;
- the exit code is one the README documents (0, 1, 2; 3 only from ``sync``);
- on any non-zero exit the data file and its journal are byte for byte what they were.

``main`` runs in-process, with a stdout that encodes UTF-8 strictly as a real one does. Nothing
reaches the network or blocks: ``sync`` and ``oparl`` are pointed at a port on 127.0.0.1 that
refuses connections, ``serve`` at a port that is in use, so that it ends with its message; paths
are relative to a scratch folder. Bounded: at most 200 examples a property, derandomized so a
failure in CI is the same failure on a laptop (the falsifying example is printed).
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store import EXAMPLE_ID, SETTINGS, Motion, Store, example_motion, new_items
from tui.cli import main
from tui.cli.base import Arg, Command, OneOf
from tui.cli.run import REGISTRY

from helpers.stored import stored_files

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
REFERENCE = "DS 10/0123"
VARIABLES = (*(s.variable for s in SETTINGS.values() if s.variable), "SACHSTAND_CONFIG")


# --- the world each example runs in --------------------------------------------------------------------


@dataclass(repr=False)
class World:
    data: Path  # the data file (in its own folder)
    pristine: bytes  # what it holds before each example
    work: Path  # the current folder: relative paths land here
    config: Path  # SACHSTAND_CONFIG
    refused: str  # a URL on 127.0.0.1 whose port refuses connections
    busy: int  # a port on 127.0.0.1 that is in use

    def __repr__(self) -> str:  # in a falsifying example: where, not the data file's bytes
        return f"World({self.data.parent.parent}, refused={self.refused}, busy={self.busy})"

    def fresh(self) -> None:
        """Before an example: the data file as it was, its companions gone, an empty work folder and no config."""
        for folder in (self.data.parent, self.work):  # emptied, not replaced: the work folder is the current one
            for entry in folder.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        self.data.write_bytes(self.pristine)
        self.config.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("cli-properties")
    data = root / "data" / "sachstand.json"
    data.parent.mkdir()
    with Store(data, user="anna") as store:
        store.add_motion(example_motion())
        store.add_motion(
            Motion(
                id="abcd1111-0000-4000-8000-000000000001",
                title="Radwege",
                reference=REFERENCE,
                items=new_items(["Bestand", "Plan"]),
            )
        )
    pristine = data.read_bytes()
    with (
        pytest.MonkeyPatch.context() as patch,
        socket.socket() as refusing,  # bound, never listening: connections to it are refused
        socket.socket() as busy,
    ):
        refusing.bind(("127.0.0.1", 0))
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        for name in (*VARIABLES, "LC_ALL", "LC_MESSAGES", "LANGUAGE", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            patch.delenv(name, raising=False)
        patch.setenv("SACHSTAND_USER", "anna")
        patch.setenv("LANG", "C.UTF-8")
        work = root / "work"
        work.mkdir()
        patch.chdir(work)
        config = root / "config.toml"
        patch.setenv("SACHSTAND_CONFIG", str(config))
        yield World(
            data, pristine, work, config, f"http://127.0.0.1:{refusing.getsockname()[1]}/api/v1", busy.getsockname()[1]
        )


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(argv: Sequence[str]) -> Result:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.StringIO()  # a real stderr escapes what it cannot encode; every text must get here whole
    code = main(list(argv), stdout=stdout, stderr=stderr)
    return Result(code, raw.getvalue().decode("utf-8"), stderr.getvalue())


def holds(world: World, argv: Sequence[str]) -> Result:
    """Run ``argv`` and check the invariants."""
    stores = {world.data, *_named_stores(argv)}
    before = {path: _stored(path) for path in stores}
    result = run(argv)
    said = result.err.strip().splitlines()[-1:] or ["-"]
    label = f"{argv[2] if len(argv) > 2 else ''} exit {result.code}: {said[0][:50]}"
    event(label.encode("utf-8", "backslashreplace").decode())  # --hypothesis-show-statistics shows what was reached
    assert "Traceback" not in result.err, ascii(result.err)
    allowed = {0, 1, 2, 3} if "sync" in argv else {0, 1, 2}
    assert result.code in allowed, (result.code, ascii(result.err))
    if result.code != 0:
        assert {path: _stored(path) for path in stores} == before, ascii(result.err)
    return result


def _named_stores(argv: Sequence[str]) -> Iterator[Path]:
    for index, word in enumerate(argv[:-1]):
        if word == "--db" and argv[index + 1] and "\0" not in argv[index + 1]:
            yield Path(argv[index + 1])


def _stored(path: Path) -> dict[str, bytes] | None:
    """The data file and its journal; None where there is no file to read (a folder, a name too long)."""
    try:
        return stored_files(path)
    except (OSError, ValueError):
        return None


# --- what is typed ---------------------------------------------------------------------------------------


def _safe(text: str) -> bool:
    """Relative to the work folder: no absolute path, no home, no way up."""
    return not text.startswith(("/", "~")) and ".." not in text


TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12).filter(_safe)
# What argv holds for bytes that are not UTF-8: lone surrogates U+DC80..U+DCFF, amid ASCII.
NOT_UTF8 = st.lists(
    st.one_of(st.integers(0x80, 0xFF).map(lambda b: chr(0xDC00 + b)), st.sampled_from("abc.-_ ")),
    min_size=1,
    max_size=6,
).map("".join)
NUMBERS = st.one_of(
    st.integers(-3, 30).map(str),
    st.sampled_from(["99999999999999999999", str(2**63), str(-(2**63)), "1e3", "0x10", "-0", "nan", "inf", "1.5"]),
)
WORDS = st.sampled_from(
    [
        "",
        " ",
        EXAMPLE_ID,
        EXAMPLE_ID[:8],
        "abcd",
        REFERENCE,
        "motion",
        "done",
        "erledigt",
        "in_progress",
        "2024-02-30",
        "2024-01-01",
        "2024-W01-1",
        "md",
        "csv",
        "json",
        "de",
        "en",
        "-",
        "--",
    ]
)


def _paths(world_data: Path) -> st.SearchStrategy[str]:
    data = str(world_data)
    return st.sampled_from(
        [
            data,
            data + ".journal",
            str(world_data.parent),
            "/nonexistent/dir/x",
            "/proc/x",
            "/proc/version",
            ".",
            "out.md",
            "tokens.json",
            "sub/x.json",
        ]
    )


_NO_VALUE = {"store_true", "store_false", "store_const", "count"}


def _members(args: Sequence[Arg | OneOf]) -> Iterator[Arg]:
    for arg in args:
        yield from arg.args if isinstance(arg, OneOf) else (arg,)


def _commands(commands: Sequence[Command], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Each runnable command with its words (``token add``)."""
    for command in commands:
        words = (*prefix, command.name)
        if command.subcommands:
            yield from _commands(command.subcommands, words)
        else:
            yield words, command


COMMANDS = [*_commands(REGISTRY), ((), Command("", "", None))]  # the last: no command, the dashboard
NAMES = sorted({word for words, _ in COMMANDS for word in words})
GLOBAL = ["--db", "--lang", "--version", "--help", "-h"]


def _forced(world: World, words: tuple[str, ...]) -> list[str]:
    """What keeps a command off the network and from blocking: the last of an option wins in argparse."""
    if words == ("sync",):
        return ["--remote", world.refused]
    if words == ("oparl",):
        return [world.refused]  # a second URL among the random words is a usage error: still no network
    if words == ("serve",):
        return ["--host", "127.0.0.1", "--port", str(world.busy)]
    return []


def argument_lists(world: World) -> st.SearchStrategy[list[str]]:
    """Mostly lists shaped as the command takes them (its positionals, some of its options, each with a
    value where it takes one) so that most reach the handler; else a soup of its words and anything."""
    value = st.one_of(TEXT, NOT_UTF8, NUMBERS, WORDS, _paths(world.data), st.sampled_from(NAMES))

    @st.composite
    def build(draw: st.DrawFn) -> list[str]:
        words, command = draw(st.sampled_from(COMMANDS))
        members = list(_members(command.args))
        if draw(st.integers(0, 3)):
            typed: list[str] = []
            for arg in members:
                positional = not arg.flags[0].startswith("-")
                if not positional and not draw(st.booleans()):
                    continue
                typed += [] if positional else [draw(st.sampled_from(arg.flags))]
                if arg.options.get("action") not in _NO_VALUE:
                    typed += draw(st.lists(value, min_size=1, max_size=2 if arg.options.get("nargs") == "+" else 1))
            if draw(st.booleans()):
                typed += [draw(st.sampled_from(GLOBAL[:2])), draw(value)]
        else:
            flags = [flag for arg in members for flag in arg.flags if flag.startswith("-")] + GLOBAL
            soup = st.one_of(
                st.tuples(st.sampled_from(flags), value), st.tuples(st.sampled_from(flags)), st.tuples(value)
            )
            typed = [word for part in draw(st.lists(soup, max_size=7)) for word in part]
        # the world's data file, unless a --db among the words names another (argparse: the last one wins)
        return ["--db", str(world.data), *words, *typed, *_forced(world, words)]

    return build()


def test_the_generated_commands_reach_every_command_of_the_registry() -> None:
    assert {words for words, _ in COMMANDS} >= {("add",), ("set",), ("sync",), ("serve",), ("token", "add"), ()}
    assert len(COMMANDS) == 27, [words for words, _ in COMMANDS]  # a new command is generated for without a word


@PROPERTY
@given(data=st.data())
def test_any_arguments_are_said_never_raised(world: World, data: st.DataObject) -> None:
    world.fresh()
    holds(world, data.draw(argument_lists(world)))


# --- the config file ------------------------------------------------------------------------------------


def _toml(value: Any) -> str:
    """``value`` as a TOML value (a string with escapes TOML may refuse: then it is invalid TOML, as typed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return ("-inf" if value < 0 else "inf") if math.isinf(value) else "nan" if math.isnan(value) else repr(value)
    if isinstance(value, (int, date, datetime)):
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


SCALARS = st.one_of(
    TEXT,
    WORDS,
    NUMBERS,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["http://127.0.0.1:9", "https://x", "a\u0000b", "/nonexistent/ca.pem", "item.status.done"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.one_of(TEXT, WORDS), inner, max_size=3)),
    max_leaves=6,
)
# Values each setting takes.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "db": st.sampled_from(["x.json", "sub/x.json", "."]),
    "lang": st.sampled_from(["de", "en", "de_DE.UTF-8"]),
    "user": st.sampled_from(["Anna Schmitz", "anna"]),
    "backups": st.integers(0, 20),
    "lock_timeout": st.sampled_from([0.5, 10, 3600]),
    "keys": st.sampled_from([{}, {"item.status.done": "x"}, {"app.quit": "ctrl+q"}]),
    "oparl_types": st.sampled_from([["Antrag"], ["Antrag", "Anfrage"]]),
    "remote": st.sampled_from(["http://127.0.0.1:9/api/v1", "https://sync.example.org/api/v1"]),
    "token": st.sampled_from(["abc", "x" * 43]),
    "ca": st.sampled_from(["ca.pem", "/etc/ssl/certs/ca-certificates.crt"]),
    "sync_interval": st.sampled_from([10, 300.5, 86400]),
    "body_name": st.sampled_from(["Kreis Heinsberg", "Stadt Köln"]),
    "report": st.sampled_from([{}, {"traffic_lights": {"offen": "gelb"}}, {"traffic_lights": {"deferred": "red"}}]),
    "remind_days": st.sampled_from([0, 14, 366]),
    "smtp": st.sampled_from(
        [{"host": "127.0.0.1", "port": 9, "from": "a@b.example", "security": "none", "timeout": 1}]
    ),
    "departments": st.sampled_from([{}, {"Amt 40": "schulamt@kreis.example"}]),
}
assert set(PLAUSIBLE) == set(SETTINGS), "a new setting: add the values it takes"
CONFIG_FILES = st.one_of(
    st.binary(max_size=80),
    st.fixed_dictionaries(
        {},
        # a right value three times as often as any value: so that a wrong one is often alone
        optional={key: st.one_of(*[PLAUSIBLE.get(key, VALUES)] * 3, VALUES) for key in [*SETTINGS, "farbe"]},
    ).map(
        lambda found: "\n".join(f"{key} = {_toml(value)}" for key, value in found.items()).encode("utf-8", "replace")
    ),
)


def _config_commands(world: World) -> st.SearchStrategy[list[str]]:
    return st.sampled_from(
        [
            ["list"],
            ["set", EXAMPLE_ID, "1", "done"],
            ["undo"],
            ["add", "--title", "Radwege", "--item", "Plan"],
            ["sync", "--remote", world.refused],
            ["oparl", world.refused],
            [],  # the dashboard: its keys and its remote are read before it asks for a terminal
        ]
    )


@PROPERTY
@given(data=st.data())
def test_any_config_file_is_said_never_raised(world: World, data: st.DataObject) -> None:
    world.fresh()
    world.config.write_bytes(data.draw(CONFIG_FILES))
    holds(world, ["--db", str(world.data), *data.draw(_config_commands(world))])


# --- the environment ------------------------------------------------------------------------------------

ENV_VALUES = st.one_of(
    TEXT,
    NOT_UTF8,
    NUMBERS,
    WORDS,
    st.sampled_from(["1e300", "-1", "0", "21", "10", "3600.5", "http://127.0.0.1:9", "tökén", "a b", "out.md"]),
)


@PROPERTY
@given(data=st.data())
def test_any_environment_is_said_never_raised(world: World, data: st.DataObject) -> None:
    world.fresh()
    chosen = data.draw(st.dictionaries(st.sampled_from(VARIABLES), ENV_VALUES, min_size=1, max_size=4))
    command = data.draw(_config_commands(world))
    saved = {name: os.environ.get(name) for name in chosen}
    try:
        for name, value in chosen.items():
            os.environ[name] = value
        holds(world, ["--db", str(world.data), *command])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

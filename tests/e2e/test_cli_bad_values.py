"""Bad values on the command line, in the config file and in the environment (issue 18, defect 13):
each is said as a message naming what and where, with exit 2 (bad input) or 1 (the environment), the
stored data byte for byte unchanged, and never a traceback. The class is held by the properties in
test_cli_properties.py; these are the cases that were found first, each said exactly.

Every command runs through ``tui.cli.main`` in-process, with a stdout that encodes UTF-8 strictly, as a
real one does: a message that could not be printed would fail here as it fails on a terminal.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from store import EXAMPLE_ID
from tui.cli import main

from helpers.stored import stored_files

ENV = ("SACHSTAND_DB", "SACHSTAND_LANG", "SACHSTAND_REMOTE", "SACHSTAND_TOKEN", "SACHSTAND_CA", "LC_ALL", "LANGUAGE")


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run(*argv: str, stdout: io.TextIOBase | None = None) -> Run:
    raw = io.BytesIO()
    out = stdout or io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    err = io.StringIO()
    code = main(["--lang", "en", *argv], stdout=out, stderr=err)  # type: ignore[arg-type]
    if stdout is None:
        out.flush()
    assert "Traceback" not in err.getvalue()
    return Run(code, raw.getvalue().decode("utf-8"), err.getvalue())


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding the example motion; no config, user anna."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SACHSTAND_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("SACHSTAND_USER", "anna")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data.json"
    assert run("--db", str(path), "example").code == 0
    return path


def refused(db: Path, code: int, *argv: str, says: str) -> Run:
    before = stored_files(db)
    result = run("--db", str(db), *argv)
    assert result.code == code, result.err
    assert says in result.err, result.err
    assert stored_files(db) == before
    return result


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, says",
    [
        (["add", "--title", "\udcff", "--item", "x"], "argument --title: not valid UTF-8 text: '\\xff'"),
        (
            ["add", "--title", "Radwege", "--item", "a\udcff\udcfe"],
            "argument --item: not valid UTF-8 text: 'a\\xff\\xfe'",
        ),
        (["set", EXAMPLE_ID, "1", "done", "--note", "\udce4"], "argument --note: not valid UTF-8 text"),
        (["set", "\udcff", "1", "done"], "argument MOTION: not valid UTF-8 text"),
        (["token", "add", "\udcff", "--tokens", "t.json"], "argument NAME: not valid UTF-8 text"),
        (["\udcff"], "argument COMMAND: invalid choice: '\\udcff'"),
    ],
)
def test_text_that_is_not_utf8_is_refused_naming_the_argument(db: Path, argv: list[str], says: str) -> None:
    refused(db, 2, *argv, says=says)
    assert not Path("t.json").exists()


def test_a_file_name_that_is_not_utf8_is_a_file_name_and_is_shown_escaped(db: Path) -> None:
    other = db.with_name("\udcff.json")  # bytes the file system takes; Python hands them over as surrogates
    assert run("--db", str(other), "add", "--title", "Radwege", "--item", "Plan").code == 0
    assert run("--db", str(other), "list").code == 0
    written = run("--db", str(db), "export", "-o", "\udcff.md")
    assert written.code == 0 and "\\xff.md" in written.err
    result = run("--db", str(db), "import", "\udcfe.txt", "--yes")
    assert result.code == 2 and "\\xfe.txt" in result.err


@pytest.mark.parametrize("port", ["99999", "-1", "0", "65536"])
def test_serve_refuses_a_port_out_of_range(db: Path, port: str) -> None:
    refused(db, 2, "serve", "--tokens", "t.json", "--port", port, says="expected a port from 1 to 65535")


def test_serve_on_a_busy_port_exits_1_and_touches_no_data(tmp_path: Path, db: Path) -> None:
    server_db = tmp_path / "server.json"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("--db", str(server_db), "serve", "--tokens", "t.json", "--port", str(port))
    assert result.code == 1 and f"port {port} on 127.0.0.1 is in use" in result.err
    assert not server_db.exists()


@pytest.mark.parametrize("host", ["a..b", "x" * 64 + ".example"])  # names no resolver is asked about
def test_serve_on_an_unknown_host_exits_1(tmp_path: Path, db: Path, host: str) -> None:
    result = run("--db", str(tmp_path / "server.json"), "serve", "--tokens", "t.json", "--host", host)
    assert result.code == 1 and f"unknown host {host!r}" in result.err
    assert not (tmp_path / "server.json").exists()


def test_serve_names_certificate_files_that_are_missing_or_are_no_certificates(tmp_path: Path, db: Path) -> None:
    server = ["--db", str(tmp_path / "server.json"), "serve", "--tokens", "t.json"]
    result = run(*server, "--certfile", "x.pem", "--keyfile", "y.pem")
    assert result.code == 2 and "--certfile: cannot read x.pem: No such file or directory" in result.err
    Path("x.pem").write_text("no certificate")
    result = run(*server, "--certfile", "x.pem", "--keyfile", "y.pem")
    assert result.code == 2 and "--keyfile: cannot read y.pem" in result.err
    result = run(*server, "--certfile", "x.pem", "--keyfile", "x.pem")
    assert result.code == 2 and "--certfile/--keyfile: not a certificate and its private key in PEM" in result.err
    assert not (tmp_path / "server.json").exists()


# --- sync: the token and the CA bundle, from the command line, the environment and the config ------------

CLOSED = "https://127.0.0.1:9/api/v1"  # never reached: every case is refused before a connection


@pytest.mark.parametrize("token", ["tökén", "two words", "tab\there"])
def test_a_token_an_http_header_cannot_carry_is_refused_and_not_echoed(
    db: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    result = refused(db, 2, "sync", "--remote", CLOSED, "--token", token, says="token: expected a token")
    assert "ASCII letters, digits and punctuation, no spaces" in result.err
    monkeypatch.setenv("SACHSTAND_TOKEN", token)
    result = refused(db, 2, "sync", "--remote", CLOSED, says="SACHSTAND_TOKEN: expected a token")
    assert token not in result.err


def test_a_ca_bundle_that_is_missing_a_folder_or_no_certificate_is_named(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = ("sync", "--remote", CLOSED, "--token", "abc")
    refused(db, 2, *sync, "--ca", "/nonexistent", says="/nonexistent: cannot read the CA certificates")
    refused(db, 2, *sync, "--ca", str(tmp_path), says=f"{tmp_path}: cannot read the CA certificates: Is a directory")
    refused(db, 2, *sync, "--ca", str(db), says=f"{db}: no CA certificate in it (expected PEM")
    monkeypatch.setenv("SACHSTAND_CA", "/nonexistent")
    refused(db, 2, *sync, says="/nonexistent: cannot read the CA certificates")
    monkeypatch.delenv("SACHSTAND_CA")
    (tmp_path / "config.toml").write_text(f'remote = "{CLOSED}"\ntoken = "abc"\nca = "{tmp_path / "none.pem"}"\n')
    refused(db, 2, "sync", says="none.pem: cannot read the CA certificates")


# --- the config file and the environment ------------------------------------------------------------


@pytest.mark.parametrize(
    "content, says",
    [
        (b'user = "\xff"\n', "not valid TOML: not UTF-8 at byte 9"),
        (b'db = "a\\u0000b"\n', "db: expected a file path"),
        (b'ca = "a\\u0000b"\n', "ca: expected a file path"),
        (b"lock_timeout = 1e300\n", "lock_timeout: expected at most 3600 seconds"),
        (b"sync_interval = 100000\n", "sync_interval: expected at most 86400 seconds"),
    ],
)
def test_a_config_file_not_utf8_or_out_of_range(tmp_path: Path, db: Path, content: bytes, says: str) -> None:
    (tmp_path / "config.toml").write_bytes(content)
    refused(db, 2, "set", EXAMPLE_ID, "1", "done", says=says)


@pytest.mark.parametrize(
    "variable, value, says",
    [
        ("SACHSTAND_USER", "\udcff", "SACHSTAND_USER: expected a name, got '\\xff'."),
        ("SACHSTAND_REMOTE", "http://\udcff", "SACHSTAND_REMOTE: expected a URL"),
        ("SACHSTAND_LOCK_TIMEOUT", "1e300", "SACHSTAND_LOCK_TIMEOUT: expected at most 3600 seconds"),
        ("SACHSTAND_SYNC_INTERVAL", "1e9", "SACHSTAND_SYNC_INTERVAL: expected at most 86400 seconds"),
        ("SACHSTAND_BACKUPS", "\udcff", "SACHSTAND_BACKUPS: expected a whole number from 0 to 20"),
        ("SACHSTAND_LANG", "\udcff", "SACHSTAND_LANG: unknown language"),
    ],
)
def test_an_environment_variable_not_utf8_or_out_of_range(
    db: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    refused(db, 2, "set", EXAMPLE_ID, "1", "done", says=says)


# --- output that cannot be written ---------------------------------------------------------------------


class _Full(io.TextIOBase):
    """A stdout on a full disk."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("argv", [["export"], ["list"], ["show", EXAMPLE_ID, "--json"]])
def test_output_to_a_full_disk_exits_1_with_a_message(db: Path, argv: list[str]) -> None:
    result = run("--db", str(db), *argv, stdout=_Full())
    assert result.code == 1 and "Cannot write the output: No space left on device." in result.err


def test_a_real_process_writing_to_a_full_device(db: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--lang", "en", "--db", str(db), "example"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.decode().endswith("\nsachstand: error: Cannot write the output: No space left on device.\n")


@pytest.mark.parametrize(
    "target, says",
    [
        ("/nonexistent/dir/x.md", "cannot write the file"),
        ("/proc/x.md", "cannot write the file"),
        (".", "not a regular file (a folder or a device)"),
    ],
)
def test_export_to_a_place_that_cannot_be_written(db: Path, target: str, says: str) -> None:
    refused(db, 2, "export", "-o", target, says=says)


@pytest.mark.parametrize("count", ["0", "100001", "99999999999999999999"])
def test_generate_refuses_a_count_it_could_not_finish(tmp_path: Path, db: Path, count: str) -> None:
    empty = tmp_path / "empty.json"
    result = run("--db", str(empty), "generate", "--motions", count)
    assert result.code == 2 and f"--motions: expected 1 … 100000, got {count}." in result.err
    assert not empty.exists()


@pytest.mark.parametrize("companion", [".lock", ".journal"])
def test_a_lock_file_or_journal_that_is_a_folder_exits_1_without_a_traceback(db: Path, companion: str) -> None:
    """Said by the store, naming the file, what it could not do with it and why."""
    folder = db.with_name(db.name + companion)
    folder.unlink(missing_ok=True)
    folder.mkdir()
    before = db.read_bytes()
    result = run("--db", str(db), "set", EXAMPLE_ID, "1", "done")
    assert result.code == 1 and "Is a directory" in result.err, result.err
    assert f"{folder}: cannot " in result.err and "Traceback" not in result.err
    assert db.read_bytes() == before and folder.is_dir()

"""The dashboard from the command line: `sachstand` alone opens it on the user's store, `demo` on a scratch one."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from store import BadInput, ConfigError, Store, example_motion
from tui.cli.base import EXIT_OK, Context, command


def cmd_dashboard(ctx: Context) -> int:
    return _run_dashboard(ctx, ctx.store)


def cmd_demo(ctx: Context) -> int:
    folder = Path(tempfile.mkdtemp(prefix="sachstand-demo-"))
    try:
        with Store(folder / "demo.json", user=ctx.config.user) as demo:
            demo.add_motion(example_motion())
            return _run_dashboard(ctx, demo)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_dashboard(ctx: Context, store: Store) -> int:
    from tui.app import SachstandApp, binding_ids  # Textual loads only for the dashboard

    config, out = ctx.config, ctx.out
    unknown = sorted(set(config.keys) - binding_ids())
    if unknown:
        raise ConfigError(
            "{where}: unknown key binding {name}; known: {known}.",
            where=f"{config.config_file}: [keys]",
            name=repr(unknown[0]),
            known=", ".join(sorted(binding_ids())),
        )
    remote = None
    if config.remote:
        from store.sync.client import remote_from

        remote = remote_from(config.remote, config.token, config.ca, config.config_file)
    if not (out.stdout.isatty() and sys.stdin.isatty()):
        raise BadInput("The dashboard needs a terminal; for scripts use the commands (sachstand --help).")
    app = SachstandApp(
        store,
        out.lang,
        keymap=config.keys,
        oparl_types=config.oparl_types,
        remote=remote,
        sync_interval=config.sync_interval,
    )
    app.run()
    if app.failure is not None:
        raise app.failure  # an unreadable store: said the same way as by every other command
    return EXIT_OK


COMMANDS = (
    command("demo", "open the dashboard on a temporary store holding the example motion", cmd_demo, needs_store=False),
)

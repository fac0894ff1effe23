"""The dashboard from the command line: `sachstand` alone opens it on the user's store, `demo` on a scratch one."""

from __future__ import annotations

import gc
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from store import BadInput, Config, ConfigError, Store, add_catalog, collector_resumed
from tui.cli.base import EXIT_OK, Context, command

if TYPE_CHECKING:
    from tui.app import SachstandApp


def cmd_dashboard(ctx: Context) -> int:
    return _run_dashboard(ctx, ctx.store)


def cmd_demo(ctx: Context) -> int:
    import tempfile  # with random, 1 to 2 ms; at another command's start only platformdirs loads it (config folder)

    from tui.showcase import build_demo

    folder = Path(tempfile.mkdtemp(prefix="sachstand-demo-"))
    try:
        build_demo(folder / "demo.json", ctx.config.user, date.today())
        with Store(folder / "demo.json", user=ctx.config.user) as demo:
            return _run_dashboard(ctx, demo)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_dashboard(ctx: Context, store: Store) -> int:
    # The cycle collector waits for the first frame (the app turns it on then): Textual's import and start
    # make many objects, and collections among them and every module loaded took 30 to 100 ms before it.
    gc.disable()
    try:
        app = dashboard_app(ctx.config, store, ctx.out.lang)
        if not (ctx.out.stdout.isatty() and sys.stdin.isatty()):
            raise BadInput("The dashboard needs a terminal; for scripts use the commands (sachstand --help).")
        app.run()
    finally:
        collector_resumed()  # once a sync's worker that outlived the app ends its pause, if one does
    if app.failure is not None:
        raise app.failure  # an unreadable store: said the same way as by every other command
    return EXIT_OK


def dashboard_app(config: Config, store: Store, lang: str) -> SachstandApp:
    """The dashboard on ``store`` as the config sets it up, not yet running; says so if a key or the server is wrong."""
    from tui.app import SachstandApp, binding_ids  # Textual loads only for the dashboard

    unknown = sorted(set(config.keys) - binding_ids()) if config.keys else []  # binding_ids loads every view
    if unknown:
        raise ConfigError(
            "{where}: unknown key binding {name}; known: {known}.",
            where=f"{config.config_file}: [keys]",
            name=repr(unknown[0]),
            known=", ".join(sorted(binding_ids())),
        )
    remote = None
    if config.remote:  # store/sync/remote.py loads only where a sync server is set
        from store import remote_from

        remote = remote_from(config.remote, config.token, config.ca, config.config_file)
    return SachstandApp(
        store,
        lang,
        keymap=config.keys,
        oparl_types=config.oparl_types,
        remote=remote,
        sync_interval=config.sync_interval,
        body_name=config.body_name,
        traffic_lights=config.report["traffic_lights"],
    )


COMMANDS = (
    command(
        "demo",
        "open the dashboard on a temporary store with the example and other made-up motions",
        cmd_demo,
        needs_store=False,
        in_client=True,
    ),
)

add_catalog(
    "de",
    {
        "open the dashboard on a temporary store with the example and other made-up motions": "das Dashboard mit "
        "einem temporären Bestand öffnen: der Beispielantrag und weitere erfundene Anträge",
    },
)

"""The resident command process: ``sachstand`` commands answered by a process that has already loaded them.

Python's start with the libraries the store is written with costs a command more than its own work, and
more than half of Taskwarrior's whole ``task N modify``. So the installed command first tries a per-user
Unix socket (:mod:`~tui.cli.resident.client`, which loads almost nothing); a resident process that has
already imported the command line (:mod:`~tui.cli.resident.server`) forks a child per request, and the
child takes the client's terminal or pipes, argv, working folder, environment and umask and runs the same
``main(argv)`` a fresh process would (:mod:`~tui.cli.resident.child`). The dashboard too, on a terminal the
client holds in front: its first frame then comes sooner than a bare Textual app's started from the shell.
Without one, the command runs in its own process as always and starts one in the background
(:mod:`~tui.cli.resident.control`), which ends after an idle time. The modules here load only what their
side needs: the client's path is a few builtins.
"""

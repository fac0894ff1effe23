"""Sachstand's presentation layer: the command line and (next) the Textual dashboard.

It never touches TinyDB, files or HTTP directly: everything goes through :mod:`store`.
"""

from tui import texts_de as _texts_de  # noqa: F401  (registers the German texts for everything below)

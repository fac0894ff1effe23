"""Sachstand's presentation layer: the command line and (next) the Textual dashboard.

It never touches TinyDB, files or HTTP directly: everything goes through :mod:`store`.
"""

"""Sachstand's presentation layer: the command line and the Textual dashboard.

It never touches TinyDB, files or HTTP directly: everything goes through :mod:`store`. Importing it loads
nothing: the installed command asks the resident process before it loads anything of its own (the German
texts are registered by the modules that use them).
"""

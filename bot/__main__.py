"""Command line: `python -m bot --help`."""

from bot.cli import main

main()

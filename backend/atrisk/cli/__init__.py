"""The `atrisk` command: serve, migrate, backup, restore, export-schema, and companies,
users and tokens."""

from __future__ import annotations

import argparse
import logging.config
import sys
from collections.abc import Sequence

from atrisk.cli import accounts, database, serve
from atrisk.logs import logging_config
from atrisk.settings import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atrisk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for area in (serve, database, accounts):
        area.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 2
    logging.config.dictConfig(logging_config(settings))
    result: int = args.handler(settings, args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())

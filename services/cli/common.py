"""What every command module shares: the Vietnamese argparse, the warehouse, reading a file, the error log."""

from __future__ import annotations

import argparse
import functools
import sys
import tomllib
from pathlib import Path


class Parser(argparse.ArgumentParser):
    """argparse with its headings and help option in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # argparse's own wording is English; say it plainly
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {message}\nXem hướng dẫn: {self.prog} --help\n")


def log_error(command: str, exc: BaseException):
    """Record an unexpected error in DOTHIXANH_HOME/logs/events.jsonl; return where it went."""
    from warehouse.events import events_path
    from warehouse.events import log_error as log

    log(None, f"cli:{command}", exc)
    return events_path()


def login_name() -> str | None:
    """Who ran the command, so every upload records an account even without --user."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def open_warehouse():
    """The warehouse of DOTHIXANH_HOME (set by --home before any command runs)."""
    from warehouse.store import Warehouse

    return Warehouse()


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"Không mở được tệp «{path}»: {exc.strerror}.") from None


@functools.cache
def _help() -> dict:
    with (Path(__file__).with_name("help.toml")).open("rb") as f:
        return tomllib.load(f)


def text(command: str, key: str) -> str:
    """The Vietnamese help of a command (`help`, `description`) or of one of its options (services/cli/help.toml)."""
    return _help()[command][key]


def add_command(sub, command: str, **kwargs):
    """The parser of `command` (its full name, e.g. "feeds add"), its help and description from help.toml."""
    name = command.rsplit(" ", 1)[-1]
    return sub.add_parser(
        name, help=text(command, "help"), description=text(command, "description"), **kwargs
    )


def ward_warehouse(init_hint: str = "'dothixanh init'"):
    """The warehouse, or None after saying (on stderr) that there is none yet and how to make one."""
    warehouse = open_warehouse()
    if warehouse.exists():
        return warehouse
    print(f"Chưa có kho dữ liệu trong {warehouse.home}. Hãy chạy {init_hint} trước.", file=sys.stderr)
    return None

"""What every command module shares: the Vietnamese argparse, the warehouse, reading a file, the error log."""

from __future__ import annotations

import argparse
import errno
import functools
import re
import sys
import tomllib
from pathlib import Path

# argparse's own messages (Python 3.11), said in Vietnamese; the names and values they quote are kept.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.+)", "thiếu tham số bắt buộc: {0}"),
    (r"unrecognized arguments: (.+)", "không hiểu tham số: {0}"),
    (r"one of the arguments (.+) is required", "cần một trong các tham số: {0}"),
    (r"ambiguous option: (\S+) could match (.+)", "tùy chọn «{0}» chưa rõ: có thể là {1}"),
    (
        r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)",
        "tham số {0}: giá trị {1} không có; chọn một trong: {2}",
    ),
    (r"argument (.+?): invalid (\w+) value: (.+)", "tham số {0}: giá trị {2} không hợp lệ (cần {1})"),
    (r"argument (.+?): expected one argument", "tham số {0}: cần một giá trị"),
    (r"argument (.+?): expected at least one argument", "tham số {0}: cần ít nhất một giá trị"),
    (r"argument (.+?): expected (.+) arguments?", "tham số {0}: cần {1} giá trị"),
    (r"argument (.+?): not allowed with argument (.+)", "tham số {0} không dùng cùng {1}"),
    (r"argument (.+?): ignored explicit argument (.+)", "tham số {0}: không nhận giá trị {1}"),
]
_TYPE_WORDS = {"int": "một số nguyên", "float": "một số", "Path": "một đường dẫn"}


def vietnamese_argparse_message(message: str) -> str:
    """argparse's English error message in Vietnamese (unknown ones are kept as they are)."""
    for pattern, template in _ARGPARSE_MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            parts = [_TYPE_WORDS.get(part, part) for part in found.groups()]
            return template.format(*parts)
    return message


class _VietnameseUsage:
    """A formatter mixin: «cách dùng:» for argparse's «usage:»."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with its headings, help option and error messages in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False
        formatter = kwargs.get("formatter_class", argparse.HelpFormatter)
        kwargs["formatter_class"] = type(formatter.__name__, (_VietnameseUsage, formatter), {})
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {vietnamese_argparse_message(message)}\nXem hướng dẫn: {self.prog} --help\n")


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


# Why a file could not be opened, in words (the system's own message is English).
_OPEN_ERRORS = {
    errno.ENOENT: "không có tệp này (kiểm tra lại tên và thư mục)",
    errno.EACCES: "không có quyền đọc tệp này",
    errno.EPERM: "không có quyền đọc tệp này",
    errno.EISDIR: "đây là một thư mục, không phải một tệp",
}


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        why = _OPEN_ERRORS.get(exc.errno, f"lỗi hệ thống {exc.errno or ''}".strip())
        raise SystemExit(f"Không mở được tệp «{path}»: {why}.") from None


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


def read_password(from_stdin: bool) -> str:
    """A new password: one line of stdin with --password-stdin, else typed twice (not echoed)."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise SystemExit("Hai lần nhập mật khẩu không khớp.")
    return first

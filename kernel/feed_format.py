"""Reading and checking a feed declaration (TOML) into a Contract; every error in Vietnamese.

The format is documented in docs/feeds-format.md. `read_declaration` refuses a declaration with
`DeclarationError`, whose `errors` name the file, the key and the value, for example
«feeds/x.toml: cột «ngay» có kiểu «ngayy» không hợp lệ; kiểu hợp lệ: text, date, …».
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from kernel import feed_model as m

FORMAT_VERSION = 1
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PERIODS = ("month",)
SENDER_RULES = ("units_list",)
FEED_TYPES = (m.TEXT, m.DATE, m.INTEGER, m.DECIMAL, m.ENUM)
REFERENCE_TYPES = (*FEED_TYPES, m.FEED_LIST)
# Columns every core table already has (lineage, history): a declared column may not take them.
RESERVED_COLUMNS = ("upload_id", "source_line", "superseded_by", "superseded_at")

TOP_KEYS = {
    "format": "số phiên bản định dạng (1)",
    "name": "tên chuẩn",
    "label_vi": "tên tiếng Việt",
    "label_en": "tên tiếng Anh",
    "description": "mô tả tiếng Việt",
    "description_en": "mô tả tiếng Anh",
    "plan_section": "mục của kế hoạch",
    "version": "phiên bản",
    "position": "thứ tự hiển thị",
    "reference": "danh sách tham chiếu",
    "aliases": "tên gọi khác",
    "key": "khóa bản ghi",
    "date_column": "cột ngày",
    "period": "kỳ",
    "earliest_date": "ngày sớm nhất",
    "future_dates": "cho phép ngày tương lai",
    "senders": "đơn vị được gửi",
    "columns": "các cột",
    "rules": "các quy tắc",
}
COLUMN_KEYS = (
    "name",
    "label_vi",
    "label_en",
    "type",
    "required",
    "description",
    "minimum",
    "aliases",
    "example",
    "choices",
)
CHOICE_KEYS = ("code", "label_vi", "label_en")
RULE_KEYS = ("kind", "column", "other", "when_column", "when_value")
SENDER_KEYS = ("rule", "unit_codes")
# Which fields each rule kind needs (besides kind and column).
RULE_NEEDS = {
    m.REQUIRED_WHEN: ("when_column", "when_value"),
    m.ZERO_UNLESS: ("when_column", "when_value"),
    m.NOT_BEFORE: ("other",),
    m.NOT_MORE_THAN: ("other",),
    m.NOT_MORE_THAN_GROUP_HOUSEHOLDS: (),
    m.KNOWN_GROUP: (),
    m.UPLOADING_UNIT: (),
    m.AT_LEAST_COLUMN: ("other",),
}
NUMERIC = (m.INTEGER, m.DECIMAL)


class DeclarationError(Exception):
    """A declaration that cannot be used; `errors` are Vietnamese sentences naming key and value."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def shown_name(path: Path) -> str:
    """How a declaration file is named in messages: its folder and file, e.g. feeds/x.toml."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def read_declaration(path: Path, *, source: str = m.WARD) -> m.Contract:
    """The contract a declaration file declares; DeclarationError with every problem found."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeclarationError([f"{shown_name(path)}: không đọc được tệp ({exc.strerror or exc})."]) from None
    return parse_declaration(data, shown_name(path), source=source)


def parse_declaration(data: bytes | str, where: str, *, source: str = m.WARD) -> m.Contract:
    """The contract declared by TOML text; `where` names it in messages."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DeclarationError([f"{where}: tệp không phải văn bản UTF-8."]) from None
    try:
        doc = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise DeclarationError([f"{where}: {_toml_error(str(exc))}"]) from None
    checker = _Checker(where, source)
    try:
        contract = checker.contract(doc)
    except (TypeError, ValueError, AttributeError, KeyError):  # a shape no check foresaw: said, not raised
        raise DeclarationError(
            [
                *checker.errors,
                f"{where}: khai báo có cấu trúc không đúng định dạng (xem docs/feeds-format.md).",
            ]
        ) from None
    if checker.errors:
        raise DeclarationError(checker.errors)
    return contract


def _toml_error(text: str) -> str:
    at = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if at:
        return f"sai cú pháp TOML ở dòng {at.group(1)}, cột {at.group(2)}."
    at = re.search(r"\(at end of document\)", text)
    if at:
        return "sai cú pháp TOML ở cuối tệp."
    return "sai cú pháp TOML."


def _listing(values) -> str:
    return ", ".join(str(v) for v in values)


class _Checker:
    """Walks one parsed declaration, building the contract and collecting every error."""

    def __init__(self, where: str, source: str):
        self.where = where
        self.source = source
        self.errors: list[str] = []

    def error(self, text: str) -> None:
        self.errors.append(f"{self.where}: {text}")

    # -- typed getters: each names the key (and the value) it refuses -------------------------
    def text(self, table: dict, key: str, what: str, *, required: bool = True, default: str = "") -> str:
        if key not in table:
            if required:
                self.error(f"{what} thiếu khóa «{key}».")
            return default
        value = table[key]
        if not isinstance(value, str):
            self.error(f"{what}: khóa «{key}» phải là một chuỗi văn bản, đang là «{value}».")
            return default
        if required and not value.strip():
            self.error(f"{what}: khóa «{key}» đang để trống.")
        return value

    def flag(self, table: dict, key: str, what: str, default: bool = False) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.error(f"{what}: khóa «{key}» phải là true hoặc false, đang là «{value}».")
            return default
        return value

    def whole(self, table: dict, key: str, what: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{what}: khóa «{key}» phải là một số nguyên, đang là «{value}».")
            return default
        return value

    def strings(self, table: dict, key: str, what: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f'{what}: khóa «{key}» phải là danh sách chuỗi, ví dụ ["a", "b"], đang là «{value}».')
            return ()
        return tuple(value)

    def unknown_keys(self, table: dict, allowed, what: str) -> None:
        for key in table:
            if key not in allowed:
                self.error(f"{what}: khóa «{key}» không được hỗ trợ; khóa hợp lệ: {_listing(allowed)}.")

    def name(self, value: str, what: str) -> None:
        if value and not NAME.match(value):
            self.error(
                f"{what} «{value}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, "
                "bắt đầu bằng chữ, tối đa 40 ký tự (ví dụ: street_status)."
            )

    # -- the declaration ------------------------------------------------------------------
    def contract(self, doc: dict) -> m.Contract:
        self.unknown_keys(doc, TOP_KEYS, "khai báo")
        fmt = doc.get("format", FORMAT_VERSION)
        if fmt != FORMAT_VERSION:
            self.error(
                f"khóa «format» có giá trị «{fmt}» không được hỗ trợ; giá trị hợp lệ: {FORMAT_VERSION}."
            )
        name = self.text(doc, "name", "khai báo")
        self.name(name, "tên chuẩn (khóa «name»)")
        reference = self.flag(doc, "reference", "khai báo")
        if reference and self.source != m.BUILT_IN:
            self.error("khóa «reference» chỉ dùng cho danh sách tham chiếu có sẵn (groups, units).")
        version = self.whole(doc, "version", "khai báo", 1)
        if version < 1:
            self.error(f"khóa «version» phải từ 1 trở lên, đang là «{version}».")
        columns = self.columns(doc.get("columns"), reference)
        by_name = {col.name: col for col in columns}
        key = self.key(doc, by_name, reference)
        date_column = self.date_column(doc, by_name, reference)
        period = doc.get("period", "month")
        if period not in PERIODS:
            self.error(
                f"khóa «period» có giá trị «{period}» không hợp lệ; giá trị hợp lệ: {_listing(PERIODS)}."
            )
        earliest = doc.get("earliest_date", m.EARLIEST_DATE)
        if not isinstance(earliest, dt.date) or isinstance(earliest, dt.datetime):
            self.error(
                f"khóa «earliest_date» phải là một ngày dạng 2026-01-01 (không ngoặc kép), đang là «{earliest}»."
            )
            earliest = m.EARLIEST_DATE
        future = self.flag(doc, "future_dates", "khai báo")
        senders = self.senders(doc.get("senders", {}), reference)
        # A rule that did not check is None (its error is already said): the checks below skip it.
        checked = (self.rule(i, item, by_name) for i, item in enumerate(self.tables(doc, "rules"), 1))
        rules = tuple(rule for rule in checked if rule is not None)
        if not reference and by_name.get("unit_code") and not any(r.kind == m.UPLOADING_UNIT for r in rules):
            self.error(
                "thiếu quy tắc «uploading_unit» cho cột «unit_code»: mỗi đơn vị chỉ gửi số liệu của mình "
                '(thêm [[rules]] kind = "uploading_unit", column = "unit_code").'
            )
        if not reference:
            self.group_column(by_name, rules)
        return m.Contract(
            name=name,
            label_vi=self.text(doc, "label_vi", "khai báo"),
            label_en=self.text(doc, "label_en", "khai báo"),
            description_vi=self.text(doc, "description", "khai báo"),
            description_en=self.text(doc, "description_en", "khai báo", required=False),
            plan_section=self.text(doc, "plan_section", "khai báo", required=False),
            columns=columns,
            key=key,
            rules=tuple(r for r in rules if r is not None),
            version=version,
            date_column=date_column,
            reference=reference,
            aliases=self.strings(doc, "aliases", "khai báo"),
            period=period if isinstance(period, str) else "month",
            earliest_date=earliest,
            future_dates=future,
            sender_codes=senders,
            position=self.whole(doc, "position", "khai báo", 1000),
            source=self.source,
        )

    def group_column(self, by_name: dict[str, m.Column], rules) -> None:
        """The dashboard counts every feed per residential group: each record names its group."""
        group = by_name.get("group_code")
        if group is None:
            self.error(
                "thiếu cột «group_code» (mã tổ dân phố): mọi loại dữ liệu đều ghi tổ dân phố của bản ghi."
            )
        elif group.type != m.TEXT or not group.required:
            self.error("cột «group_code» phải có kiểu «text» và required = true.")
        elif not any(r is not None and r.kind == m.KNOWN_GROUP and r.column == "group_code" for r in rules):
            self.error(
                'thiếu quy tắc «known_group» cho cột «group_code» (thêm [[rules]] kind = "known_group", '
                'column = "group_code").'
            )

    def tables(self, doc: dict, key: str) -> list[dict]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(f"khóa «{key}» phải là các bảng [[{key}]].")
            return []
        return value

    def columns(self, value, reference: bool) -> tuple[m.Column, ...]:
        if value is None:
            self.error("thiếu các cột: thêm ít nhất một bảng [[columns]].")
            return ()
        seen: set[str] = set()
        columns = []
        for i, item in enumerate(self.tables({"columns": value}, "columns"), 1):
            col = self.column(i, item, reference)
            if col.name in seen:
                self.error(f"cột «{col.name}» được khai báo hai lần.")
            seen.add(col.name)
            columns.append(col)
        return tuple(columns)

    def column(self, i: int, item: dict, reference: bool) -> m.Column:
        name = self.text(item, "name", f"cột thứ {i}")
        what = f"cột «{name}»" if name else f"cột thứ {i}"
        self.unknown_keys(item, COLUMN_KEYS, what)
        self.name(name, f"{what}: tên chuẩn")
        if name in RESERVED_COLUMNS:
            self.error(f"{what}: tên «{name}» đã dùng cho cột nguồn gốc của kho; hãy đặt tên khác.")
        allowed = REFERENCE_TYPES if reference else FEED_TYPES
        type_ = item.get("type", "")
        known_type = type_ in allowed
        if not known_type:
            self.error(f"{what} có kiểu «{type_}» không hợp lệ; kiểu hợp lệ: {_listing(allowed)}.")
            type_ = m.TEXT
        # An unknown type says it all: what depends on the type is checked once the type is right.
        choices = self.choices(item.get("choices"), what, type_) if known_type else ()
        minimum = item.get("minimum") if known_type else None
        if minimum is not None:
            if isinstance(minimum, bool) or not isinstance(minimum, int | float):
                self.error(f"{what}: khóa «minimum» phải là một số, đang là «{minimum}».")
                minimum = None
            elif type_ not in NUMERIC:
                self.error(
                    f"{what}: khóa «minimum» chỉ dùng cho cột số (integer, decimal), cột có kiểu «{type_}»."
                )
                minimum = None
        example = self.text(item, "example", what, required=False)
        if example and type_ == m.ENUM and choices and example not in {ch.code for ch in choices}:
            self.error(
                f"{what}: ví dụ «{example}» không có trong danh mục; mã hợp lệ: "
                f"{_listing(ch.code for ch in choices)}."
            )
        return m.Column(
            name=name,
            label_vi=self.text(item, "label_vi", what),
            label_en=self.text(item, "label_en", what),
            type=type_,
            required=self.flag(item, "required", what),
            description_vi=self.text(item, "description", what, required=False),
            choices=choices,
            minimum=minimum,
            aliases=self.strings(item, "aliases", what),
            example=example,
        )

    def choices(self, value, what: str, type_: str) -> tuple[m.Choice, ...]:
        if value is None:
            if type_ == m.ENUM:
                self.error(f"{what} có kiểu «enum» nhưng thiếu danh mục: thêm khóa «choices».")
            return ()
        if type_ != m.ENUM:
            self.error(f"{what}: khóa «choices» chỉ dùng cho cột kiểu «enum», cột có kiểu «{type_}».")
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.error(
                f"{what}: khóa «choices» phải là danh sách {{ code = …, label_vi = …, label_en = … }}."
            )
            return ()
        out, codes = [], set()
        for k, item in enumerate(value, 1):
            code = self.text(item, "code", f"{what}, giá trị thứ {k}")
            where = f"{what}, giá trị «{code}»"
            self.unknown_keys(item, CHOICE_KEYS, where)
            self.name(code, f"{where}: mã")
            if code in codes:
                self.error(f"{what}: mã «{code}» xuất hiện hai lần trong danh mục.")
            codes.add(code)
            out.append(m.Choice(code, self.text(item, "label_vi", where), self.text(item, "label_en", where)))
        return tuple(out)

    def key(self, doc: dict, by_name: dict[str, m.Column], reference: bool) -> tuple[str, ...]:
        key = self.strings(doc, "key", "khai báo")
        if not key:
            self.error('thiếu khóa bản ghi: thêm key = ["unit_code", "<cột mã bản ghi>"].')
            return ()
        for name in key:
            if name not in by_name:
                self.error(
                    f"khóa «key» nêu cột «{name}» không có trong các cột; cột hiện có: {_listing(by_name)}."
                )
            elif not by_name[name].required:
                self.error(f"khóa «key»: cột «{name}» nằm trong khóa bản ghi nên phải có required = true.")
        if not reference:
            if "unit_code" not in by_name:
                self.error("thiếu cột «unit_code» (mã đơn vị gửi): mọi loại dữ liệu đều có cột này.")
            elif by_name["unit_code"].type != m.TEXT:
                self.error(f"cột «unit_code» có kiểu «{by_name['unit_code'].type}»; phải là «text».")
            if key[0] != "unit_code" or len(key) != 2:
                self.error(
                    f"khóa «key» có giá trị «{list(key)}» không hợp lệ: phải là hai cột, "
                    'đầu tiên là «unit_code», ví dụ ["unit_code", "record_id"].'
                )
        return key

    def date_column(self, doc: dict, by_name: dict[str, m.Column], reference: bool) -> str | None:
        if reference:
            return None
        name = self.text(doc, "date_column", "khai báo")
        if name and name not in by_name:
            self.error(f"khóa «date_column» nêu cột «{name}» không có trong các cột.")
        elif name and by_name[name].type != m.DATE:
            self.error(f"khóa «date_column»: cột «{name}» có kiểu «{by_name[name].type}»; phải là «date».")
        elif name and not by_name[name].required:
            self.error(
                f"khóa «date_column»: cột «{name}» phải có required = true (mỗi bản ghi thuộc một kỳ)."
            )
        return name or None

    def senders(self, value, reference: bool) -> tuple[str, ...]:
        if not isinstance(value, dict):
            self.error("khóa «senders» phải là một bảng [senders].")
            return ()
        self.unknown_keys(value, SENDER_KEYS, "[senders]")
        rule = value.get("rule", "units_list")
        if rule not in SENDER_RULES:
            self.error(
                f"[senders]: khóa «rule» có giá trị «{rule}» không hợp lệ; giá trị hợp lệ: {_listing(SENDER_RULES)}."
            )
        codes = self.strings(value, "unit_codes", "[senders]")
        for code in codes:
            if not code.strip():
                self.error("[senders]: khóa «unit_codes» có một mã đơn vị để trống.")
        return codes

    def rule(self, i: int, item: dict, by_name: dict[str, m.Column]) -> m.Rule | None:
        kind = item.get("kind", "")
        what = f"quy tắc thứ {i}"
        self.unknown_keys(item, RULE_KEYS, what)
        if not isinstance(kind, str) or kind not in RULE_NEEDS:
            self.error(f"{what} có loại «{kind}» không hợp lệ; loại hợp lệ: {_listing(RULE_NEEDS)}.")
            return None
        what = f"quy tắc «{kind}»"
        column = self.text(item, "column", what)
        fields = {}
        for needed in RULE_NEEDS[kind]:
            fields[needed] = self.text(item, needed, what)
        for extra in ("other", "when_column", "when_value"):
            if extra in item and extra not in RULE_NEEDS[kind]:
                self.error(f"{what}: khóa «{extra}» không dùng cho loại quy tắc này.")
        for key in ("column", "other", "when_column"):
            value = column if key == "column" else fields.get(key)
            if value and value not in by_name:
                self.error(f"{what}: khóa «{key}» nêu cột «{value}» không có trong các cột.")
                return None
        col = by_name.get(column)
        if col is None:
            return None
        other = by_name.get(fields.get("other", ""))
        if "other" in RULE_NEEDS[kind] and other is None:
            return None
        if "when_column" in RULE_NEEDS[kind] and fields["when_column"] not in by_name:
            return None
        if kind == m.NOT_BEFORE and (col.type != m.DATE or other.type != m.DATE):
            self.error(f"{what}: cột «{column}» và «{other.name}» phải đều có kiểu «date».")
        if kind in (m.NOT_MORE_THAN, m.AT_LEAST_COLUMN) and (
            col.type not in NUMERIC or other.type not in NUMERIC
        ):
            self.error(f"{what}: cột «{column}» và «{other.name}» phải đều là số (integer, decimal).")
        if kind in (m.ZERO_UNLESS, m.NOT_MORE_THAN_GROUP_HOUSEHOLDS) and col.type not in NUMERIC:
            self.error(f"{what}: cột «{column}» có kiểu «{col.type}»; phải là số (integer, decimal).")
        if kind in (m.NOT_MORE_THAN_GROUP_HOUSEHOLDS,) and "group_code" not in by_name:
            self.error(f"{what}: cần cột «group_code» để biết số hộ của tổ dân phố.")
        if kind == m.UPLOADING_UNIT and column != "unit_code":
            self.error(f"{what}: chỉ áp dụng cho cột «unit_code», đang nêu «{column}».")
        if kind == m.KNOWN_GROUP and col.type != m.TEXT:
            self.error(f"{what}: cột «{column}» có kiểu «{col.type}»; phải là «text».")
        if kind in (m.REQUIRED_WHEN, m.ZERO_UNLESS):
            when = by_name[fields["when_column"]]
            if when.type != m.ENUM:
                self.error(
                    f"{what}: khóa «when_column» phải nêu một cột kiểu «enum», «{when.name}» có kiểu «{when.type}»."
                )
            elif fields["when_value"] not in {ch.code for ch in when.choices}:
                self.error(
                    f"{what}: khóa «when_value» có giá trị «{fields['when_value']}» không có trong danh mục của "
                    f"«{when.name}»; mã hợp lệ: {_listing(ch.code for ch in when.choices)}."
                )
        return m.Rule(kind, column, **fields)

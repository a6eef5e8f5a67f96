"""The small condition language of the indicator declarations, parsed and compiled to SQL.

A measure counts "records meeting a condition" written in the declaration, e.g.
``status = 'repaired' and days(reported_on, repaired_on) <= setting.lighting_repair_days``.
The text is never pasted into SQL: it is tokenised and parsed here into a tree, every
column is checked against the feed's declared columns (and an enum's values against its
choices), and the tree is compiled back with quoted identifiers and quoted literals.

Grammar (keywords in any case)::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := "(" condition ")"
                | operand ("=" | "!=" | "<>" | "<" | "<=" | ">" | ">=") operand
                | operand "is" ["not"] "null"
                | operand ["not"] "in" "(" literal ("," literal)* ")"
    operand    := column | 'text' | number | true | false
                | "weekday(" date ")"            (ISO: 1 = thứ Hai … 7 = Chủ nhật)
                | "days(" date "," date ")"      (second − first, in days)
                | "setting." name                (a number of the ward's settings)
                | "as_of" | "period_start" | "period_end"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel import contracts as c

# Numbers of the ward's settings a condition may use (columns of marts.settings_params).
SETTINGS = ("lighting_repair_days", "old_open_fault_days", "repeat_window_days")
# Dates a condition may use besides the feed's columns.
SPECIAL_DATES = {"as_of": "s.as_of", "period_start": "p.data_start", "period_end": "p.data_end"}
COMPARISONS = ("=", "!=", "<>", "<=", ">=", "<", ">")

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<text>'(?:[^']|'')*')|(?P<op><=|>=|<>|!=|=|<|>|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?))"
)


class ConditionError(ValueError):
    """A condition that cannot be used, with a Vietnamese message naming the part at fault."""


@dataclass(frozen=True)
class Column:
    name: str


@dataclass(frozen=True)
class Literal:
    value: object  # str | int | float | bool


@dataclass(frozen=True)
class Call:
    function: str  # weekday | days
    args: tuple


@dataclass(frozen=True)
class Special:
    name: str  # as_of | period_start | period_end | setting.<name>


@dataclass(frozen=True)
class Compare:
    left: object
    op: str
    right: object


@dataclass(frozen=True)
class IsNull:
    operand: object
    negated: bool


@dataclass(frozen=True)
class InList:
    operand: object
    values: tuple
    negated: bool


@dataclass(frozen=True)
class Logic:
    op: str  # and | or
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"không hiểu «{text[pos : pos + 20]}» (vị trí {pos + 1}).")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def word(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return token[1].lower() if token and token[0] == "name" else ""

    def take(self, value: str) -> None:
        token = self.peek()
        if token is None or token[1].lower() != value:
            got = f"«{token[1]}»" if token else "hết câu"
            raise ConditionError(f"cần «{value}» nhưng gặp {got}.")
        self.i += 1

    def parse(self):
        tree = self.or_()
        if self.peek() is not None:
            raise ConditionError(f"thừa «{self.peek()[1]}» ở cuối điều kiện.")
        return tree

    def or_(self):
        parts = [self.and_()]
        while self.word() == "or":
            self.i += 1
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Logic("or", tuple(parts))

    def and_(self):
        parts = [self.not_()]
        while self.word() == "and":
            self.i += 1
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else Logic("and", tuple(parts))

    def not_(self):
        if self.word() == "not":
            self.i += 1
            return Not(self.not_())
        return self.comparison()

    def comparison(self):
        token = self.peek()
        if token and token[1] == "(":
            self.i += 1
            inner = self.or_()
            self.take(")")
            return inner
        left = self.operand()
        token = self.peek()
        if token and token[0] == "op" and token[1] in COMPARISONS:
            self.i += 1
            return Compare(left, "<>" if token[1] == "!=" else token[1], self.operand())
        if self.word() == "is":
            self.i += 1
            negated = self.word() == "not"
            if negated:
                self.i += 1
            self.take("null")
            return IsNull(left, negated)
        negated = self.word() == "not" and self.word(1) == "in"
        if negated:
            self.i += 1
        if self.word() == "in":
            self.i += 1
            self.take("(")
            values = [self.literal()]
            while self.peek() and self.peek()[1] == ",":
                self.i += 1
                values.append(self.literal())
            self.take(")")
            return InList(left, tuple(values), negated)
        got = f"«{token[1]}»" if token else "hết câu"
        raise ConditionError(f"sau một giá trị cần một phép so sánh (=, <, in, is null…), nhưng gặp {got}.")

    def literal(self):
        node = self.operand()
        if not isinstance(node, Literal):
            raise ConditionError("trong danh sách in (...) chỉ được ghi giá trị, không ghi tên cột.")
        return node

    def operand(self):
        token = self.peek()
        if token is None:
            raise ConditionError("điều kiện kết thúc giữa chừng.")
        kind, value = token
        self.i += 1
        if kind == "number":
            return Literal(float(value) if "." in value else int(value))
        if kind == "text":
            return Literal(value[1:-1].replace("''", "'"))
        if kind != "name":
            raise ConditionError(f"không đúng chỗ: «{value}».")
        lower = value.lower()
        if lower in ("true", "false"):
            return Literal(lower == "true")
        if lower in ("weekday", "days") and self.peek() and self.peek()[1] == "(":
            self.i += 1
            args = [self.operand()]
            while self.peek() and self.peek()[1] == ",":
                self.i += 1
                args.append(self.operand())
            self.take(")")
            want = 1 if lower == "weekday" else 2
            if len(args) != want:
                raise ConditionError(f"hàm {lower}() cần {want} ngày, nhận {len(args)}.")
            return Call(lower, tuple(args))
        if lower in SPECIAL_DATES:
            return Special(lower)
        if lower.startswith("setting."):
            name = value.split(".", 1)[1]
            if name not in SETTINGS:
                raise ConditionError(f"không có thiết lập «{name}»; dùng được: {', '.join(SETTINGS)}.")
            return Special(f"setting.{name}")
        if "." in value:
            raise ConditionError(f"tên «{value}» không hợp lệ.")
        return Column(value)


def parse(text: str):
    """The condition's tree; ConditionError in Vietnamese when it cannot be read."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("điều kiện trống.")
    return _Parser(text).parse()


def columns_of(tree) -> set[str]:
    """The feed columns a condition reads."""
    return {node.name for node in _nodes(tree) if isinstance(node, Column)}


def specials_of(tree) -> set[str]:
    """The special values a condition reads (as_of, period_start, period_end, setting.<name>)."""
    return {node.name for node in _nodes(tree) if isinstance(node, Special)}


def check(tree, contract: c.Contract) -> None:
    """Every column is the feed's, every enum value one of its choices (Vietnamese errors)."""
    for name in sorted(columns_of(tree)):
        if name not in contract.column_names:
            raise ConditionError(
                f"loại dữ liệu «{contract.label_vi}» không có cột «{name}»; các cột: {', '.join(contract.column_names)}."
            )
    for node in _nodes(tree):
        if isinstance(node, InList):
            column, values = node.operand, node.values
        elif isinstance(node, Compare):
            column = node.left if isinstance(node.left, Column) else node.right
            values = (node.left, node.right)
        else:
            continue
        if isinstance(column, Column) and contract.column(column.name).choices:
            codes = [ch.code for ch in contract.column(column.name).choices]
            for value in values:
                if isinstance(value, Literal) and value.value not in codes:
                    raise ConditionError(
                        f"cột «{column.name}» không có giá trị «{value.value}»; các giá trị: {', '.join(codes)}."
                    )


def _nodes(tree):
    yield tree
    for value in vars(tree).values():
        for part in value if isinstance(value, tuple) else (value,):
            if hasattr(part, "__dataclass_fields__"):
                yield from _nodes(part)


def quote_identifier(name: str) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal_sql(value: object) -> str:
    """A declared value as a SQL literal: text quoted, numbers as numbers."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ConditionError(f"giá trị «{value}» không dùng được trong điều kiện.")


def to_sql(tree, alias: str = "f") -> str:
    """Compile a checked tree to a SQL boolean expression over `alias`'s columns."""
    if isinstance(tree, Column):
        return f"{alias}.{quote_identifier(tree.name)}"
    if isinstance(tree, Literal):
        return literal_sql(tree.value)
    if isinstance(tree, Special):
        if tree.name.startswith("setting."):
            return "s." + quote_identifier(tree.name.split(".", 1)[1])
        return SPECIAL_DATES[tree.name]
    if isinstance(tree, Call):
        args = [to_sql(a, alias) for a in tree.args]
        return f"isodow({args[0]})" if tree.function == "weekday" else f"({args[1]} - {args[0]})"
    if isinstance(tree, Compare):
        return f"{to_sql(tree.left, alias)} {tree.op} {to_sql(tree.right, alias)}"
    if isinstance(tree, IsNull):
        return f"{to_sql(tree.operand, alias)} IS {'NOT ' if tree.negated else ''}NULL"
    if isinstance(tree, InList):
        values = ", ".join(to_sql(v, alias) for v in tree.values)
        return f"{to_sql(tree.operand, alias)} {'NOT ' if tree.negated else ''}IN ({values})"
    if isinstance(tree, Logic):
        return "(" + f" {tree.op.upper()} ".join(to_sql(p, alias) for p in tree.parts) + ")"
    if isinstance(tree, Not):
        return f"NOT ({to_sql(tree.part, alias)})"
    raise TypeError(tree)


def compile_condition(text: str, contract: c.Contract, alias: str = "f") -> str:
    """Parse, check against the feed and compile one condition."""
    tree = parse(text)
    check(tree, contract)
    return to_sql(tree, alias)

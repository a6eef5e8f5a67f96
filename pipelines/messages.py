"""Plain Vietnamese messages for row errors, with the closest known value as a suggestion."""

from __future__ import annotations

import datetime as dt
import difflib
import re

import polars as pl

from kernel import contracts as c
from kernel import formats
from kernel.records import LINE, Reference
from pipelines import dates
from pipelines.text import compact, fold

MESSAGE_SCHEMA = {
    "line": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "message": pl.String,
    "suggestion": pl.String,
}

# The order rules are reported in when one cell breaks several: the first wins.
RULE_ORDER = [
    "open_quote",
    "bad_quote",
    "column_count",
    "control_character",
    "type_date",
    dates.TWO_DIGIT_YEAR,
    dates.MONTH_FIRST,
    dates.DAY_FIRST,
    dates.AMBIGUOUS,
    "type_integer",
    "type_decimal",
    "required",
    "duplicate_key",
    "enum",
    "known_group",
    "uploading_unit",
    "feed_list",
    "date_range",
    "minimum",
    c.REQUIRED_WHEN,
    c.ZERO_UNLESS,
    c.NOT_BEFORE,
    c.NOT_MORE_THAN,
    c.NOT_MORE_THAN_GROUP_HOUSEHOLDS,
    c.AT_LEAST_COLUMN,
    "locked_period",
]

RULE_LABELS_VI = {
    "open_quote": "Dấu ngoặc kép được đóng",
    "bad_quote": "Dấu ngoặc kép đặt đúng cách",
    "column_count": "Số ô trên dòng",
    "control_character": "Không có ký tự điều khiển",
    "type_date": "Ngày hợp lệ",
    dates.TWO_DIGIT_YEAR: "Năm ghi đủ 4 chữ số",
    dates.MONTH_FIRST: "Ngày ghi theo kiểu ngày/tháng/năm",
    dates.DAY_FIRST: "Ngày ghi theo kiểu tháng/ngày/năm đã chọn",
    dates.AMBIGUOUS: "Ngày không đọc được hai cách",
    "type_integer": "Số nguyên",
    "type_decimal": "Số",
    "required": "Bắt buộc",
    "duplicate_key": "Không trùng mã",
    "enum": "Giá trị trong danh mục",
    "known_group": "Tổ dân phố có trong danh sách",
    "uploading_unit": "Đúng đơn vị gửi",
    "feed_list": "Loại dữ liệu hợp lệ",
    "date_range": "Ngày trong khoảng cho phép",
    "minimum": "Giá trị tối thiểu",
    c.REQUIRED_WHEN: "Bắt buộc theo điều kiện",
    c.ZERO_UNLESS: "Để trống hoặc 0 theo điều kiện",
    c.NOT_BEFORE: "Thứ tự ngày",
    c.NOT_MORE_THAN: "Không vượt quá cột khác",
    c.NOT_MORE_THAN_GROUP_HOUSEHOLDS: "Không vượt quá số hộ của tổ",
    c.AT_LEAST_COLUMN: "Không ít hơn cột khác",
    "locked_period": "Tháng chưa khóa sổ",
}


fmt_date = formats.date
fmt_int = formats.integer


def closest_code(value: str, known: dict[str, str]) -> str | None:
    """The known code closest to what a clerk wrote ('Tổ 5', 'TDP 5' → 'TDP05'); None if nothing is close.

    `known` maps code → name; names are matched too.
    """
    if not value or not known:
        return None
    wanted = compact(value)
    for code, name in known.items():
        if wanted in (compact(code), compact(name)):
            return code
    # A code's number is short; a long run of digits (a pasted phone number, garbage) matches none.
    numbers = [n for n in re.findall(r"\d+", value) if len(n) <= 9]
    if numbers:
        number = int(numbers[-1])
        same_number = [code for code in known if _trailing_number(code) == number]
        if len(same_number) == 1:
            return same_number[0]
        if same_number:
            known = {code: known[code] for code in same_number}
    candidates = {compact(code): code for code in known}
    candidates.update({compact(name): code for code, name in known.items() if name})
    match = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
    return candidates[match[0]] if match else None


def _trailing_number(code: str) -> int | None:
    numbers = re.findall(r"\d+", code)
    return int(numbers[-1]) if numbers else None


def closest_choice(value: str, column: c.Column) -> c.Choice | None:
    spellings: dict[str, c.Choice] = {}
    for choice in column.choices:
        spellings[fold(choice.code.replace("_", " "))] = choice
        spellings[fold(choice.label_vi)] = choice
        spellings[fold(choice.label_en)] = choice
    wanted = fold(value or "")
    # A value holding every word of exactly one choice names it ("Đã hủy bỏ" → "Hủy"), however
    # close it looks letter by letter to another ("Đã sửa").
    words = set(re.findall(r"[0-9a-z]+", wanted))
    containing = {ch for s, ch in spellings.items() if set(re.findall(r"[0-9a-z]+", s)) <= words}
    if len(containing) == 1:
        return containing.pop()
    match = difflib.get_close_matches(wanted, list(spellings), n=1, cutoff=0.5)
    return spellings[match[0]] if match else None


def describe(
    errors: pl.DataFrame,
    contract: c.Contract,
    strings: pl.DataFrame | None,
    reference: Reference,
    *,
    unit_code: str | None = None,
    today: dt.date | None = None,
    date_evidence: dates.DateEvidence | None = None,
) -> pl.DataFrame:
    """Keep one error per cell (the most basic rule) and add message and suggestion.

    `date_evidence` (Parsed.date_evidence) lets date messages quote the file's own proof.
    """
    if errors.is_empty():
        return pl.DataFrame(schema=MESSAGE_SCHEMA)
    order = {rule: i for i, rule in enumerate(RULE_ORDER)}
    errors = (
        errors.with_columns(
            pl.col("rule").replace_strict(order, default=len(order), return_dtype=pl.Int32).alias("_o")
        )
        .sort(["line", "column", "_o"], nulls_last=True)
        .unique(subset=["line", "column"], keep="first", maintain_order=True)
        .drop("_o")
    )
    rows_by_line: dict[int, dict] = {}
    if strings is not None:
        wanted = errors["line"].unique().implode()
        for row in strings.filter(pl.col(LINE).is_in(wanted)).iter_rows(named=True):
            rows_by_line[row[LINE]] = row
    first_lines = _first_lines(errors, contract, strings)
    today = today or dt.date.today()
    messages, suggestions = [], []
    for err in errors.iter_rows(named=True):
        if err["rule"] in _DATE_RULES:
            text, suggestion = _date_message(err, contract, date_evidence or dates.DateEvidence()), None
        else:
            text, suggestion = _message(
                err, contract, rows_by_line.get(err["line"], {}), reference, unit_code, today, first_lines
            )
        messages.append(text)
        suggestions.append(suggestion)
    return errors.with_columns(
        pl.Series("message", messages, dtype=pl.String),
        pl.Series("suggestion", suggestions, dtype=pl.String),
    ).select(list(MESSAGE_SCHEMA))


def _first_lines(errors, contract, strings) -> dict[str, int]:
    """For duplicate keys: the line where each duplicated id first appeared."""
    dup = errors.filter(pl.col("rule") == "duplicate_key")
    if dup.is_empty() or strings is None:
        return {}
    id_col = contract.id_column
    return {
        row[id_col]: row[LINE]
        for row in strings.filter(pl.col(id_col).is_in(dup["value"].unique().implode()))
        .group_by(id_col)
        .agg(pl.col(LINE).min())
        .iter_rows(named=True)
    }


def _label(contract: c.Contract, name: str | None) -> str:
    if name is None:
        return ""
    try:
        return contract.column(name).label_vi
    except KeyError:
        return name


def _message(err, contract, row, reference, unit_code, today, first_lines) -> tuple[str, str | None]:
    line, name, value, rule = err["line"], err["column"], err["value"], err["rule"]
    label = _label(contract, name)
    where = f"Dòng {line}, cột «{label}»" if name else f"Dòng {line}"
    shown = f"«{value}»" if value is not None else "(trống)"
    suggestion = None
    col = contract.column(name) if name in contract.column_names else None

    if rule == "open_quote":
        return (
            f"{where}: ô bắt đầu bằng dấu ngoặc kép ({shown}) nhưng không có dấu ngoặc kép đóng, "
            "nên các dòng sau sẽ bị dính vào ô này. Dòng này bị loại; các dòng sau được đọc riêng từng "
            'dòng. Hãy xóa dấu " ở đầu ô (hoặc thêm dấu " ở cuối ô) rồi gửi lại dòng này.',
            None,
        )
    if rule == "bad_quote":
        return (
            f"{where}: có dấu ngoặc kép đặt sai chỗ ({shown}): một ô mở bằng dấu ngoặc kép phải kết "
            'thúc ngay sau dấu ngoặc kép đóng. Dòng này bị loại. Hãy xóa dấu " thừa (muốn ghi dấu " trong '
            'ô thì ghi hai lần "") rồi gửi lại dòng này.',
            None,
        )
    if rule == "column_count":
        return (
            f"Dòng {line}: dòng có nhiều ô hơn số cột của dòng tiêu đề (phần thừa: {shown}). "
            "Có thể một ô chứa dấu phân cách mà không đặt trong ngoặc kép.",
            None,
        )
    if rule == "control_character":
        text = (
            f"ô có ký tự điều khiển không in được (hiện là «\ufffd»: {shown}), thường do tệp bị hỏng "
            "hoặc dán từ phần mềm khác. Hãy xóa ký tự đó rồi gửi lại dòng này."
        )
    elif rule == "type_date":
        text = f"{shown} không phải là ngày hợp lệ. Hãy ghi ngày theo dạng dd/mm/yyyy, ví dụ 15/06/2026."
    elif rule == "type_integer":
        text = f"{shown} không phải là số nguyên. Ví dụ đúng: 45 hoặc 1.500.000."
    elif rule == "type_decimal":
        text = f"{shown} không phải là số. Ví dụ đúng: 120 hoặc 120,5."
    elif rule == "required":
        text = "ô này đang để trống nhưng là thông tin bắt buộc."
    elif rule == "duplicate_key":
        first = first_lines.get(value)
        at = f" ở dòng {first}" if first else ""
        text = f"{shown} đã xuất hiện{at} trong cùng tệp; dòng sau bị loại, dòng đầu được giữ."
    elif rule == "enum":
        allowed = "; ".join(ch.label_vi for ch in col.choices)  # a clerk writes the label; codes work too
        choice = closest_choice(value, col)
        text = f"{shown} không có trong danh mục. Giá trị hợp lệ: {allowed}."
        if choice:
            suggestion = choice.code
            text += f" Có phải «{choice.label_vi}»?"
    elif rule == "known_group":
        known = {code: name for code, (name, _) in reference.groups.items()}
        suggestion = closest_code(value, known)
        text = f"mã tổ dân phố {shown} không có trong danh sách tổ dân phố của phường."
        if suggestion:
            text += f" Có phải «{suggestion}» ({known[suggestion]})?"
    elif rule == "uploading_unit":
        if value in reference.units:
            text = (
                f"dòng ghi mã đơn vị {shown} nhưng tệp được gửi bởi đơn vị «{unit_code}». "
                "Mỗi đơn vị chỉ gửi số liệu của mình."
            )
            suggestion = unit_code
        else:
            known = {code: name for code, (name, _) in reference.units.items()}
            suggestion = closest_code(value, known) or unit_code
            text = f"mã đơn vị {shown} không có trong danh sách đơn vị của phường."
            if suggestion:
                text += f" Có phải «{suggestion}»?"
    elif rule == "feed_list":
        text = f"{shown} có loại dữ liệu không hợp lệ. Các loại hợp lệ: {', '.join(c.FEEDS)}."
    elif rule == "date_range":
        text = f"ngày {shown} nằm ngoài khoảng cho phép: không trước {fmt_date(contract.earliest_date)}" + (
            "." if contract.future_dates else f" và không sau hôm nay ({fmt_date(today)})."
        )
    elif rule == "minimum":
        text = f"giá trị {shown} nhỏ hơn mức tối thiểu {fmt_int(col.minimum)}."
    elif rule == c.REQUIRED_WHEN:
        rule_def = _rule(contract, rule, name)
        when_col = contract.column(rule_def.when_column)
        text = (
            f"bắt buộc phải ghi khi «{when_col.label_vi}» là «{when_col.choice_label(rule_def.when_value)}»."
        )
    elif rule == c.ZERO_UNLESS:
        rule_def = _rule(contract, rule, name)
        when_col = contract.column(rule_def.when_column)
        current = row.get(rule_def.when_column)
        text = (
            f"{shown}: chỉ ghi khi «{when_col.label_vi}» là "
            f"«{when_col.choice_label(rule_def.when_value)}»; với «{current}» hãy để trống hoặc ghi 0."
        )
    elif rule in (c.NOT_BEFORE, c.AT_LEAST_COLUMN, c.NOT_MORE_THAN):
        rule_def = _rule(contract, rule, name)
        other_label = _label(contract, rule_def.other)
        other_value = row.get(rule_def.other)
        relation = {
            c.NOT_BEFORE: "trước",
            c.AT_LEAST_COLUMN: "nhỏ hơn",
            c.NOT_MORE_THAN: "lớn hơn",
        }[rule]
        text = f"{shown} {relation} «{other_label}» («{other_value}») trên cùng dòng."
    elif rule == c.NOT_MORE_THAN_GROUP_HOUSEHOLDS:
        group = row.get("group_code")
        households = reference.groups.get(group, (None, None))[1]
        for code in reference.groups:
            if group and code.upper() == group.upper():
                households = reference.groups[code][1]
        text = f"{shown} lớn hơn số hộ của tổ dân phố «{group}»" + (
            f" ({fmt_int(households)} hộ)." if households else "."
        )
    else:
        text = f"{shown} không đạt quy tắc {rule}."
    return f"{where}: {text}", suggestion


_DATE_RULES = {dates.TWO_DIGIT_YEAR, dates.MONTH_FIRST, dates.DAY_FIRST, dates.AMBIGUOUS}
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\D(\d{1,2})\D(\d+)")
_TWO_DIGIT_YEAR = re.compile(r"^(\d{1,2}\D\d{1,2}\D)(\d{2})\b")
CONFIRM_MONTH_FIRST = (
    "Nếu tệp ghi tháng trước, hãy xác nhận: trên trang tải lên bấm «Tệp ghi ngày theo kiểu "
    "tháng/ngày/năm — đọc lại theo kiểu này»; với dòng lệnh, thêm --date-order mdy."
)


def _date_message(err, contract: c.Contract, found: dates.DateEvidence) -> str:
    """Why a date cell was not read, quoting the file's own evidence about its day/month order."""
    line, name, value, rule = err["line"], err["column"], err["value"], err["rule"]
    where = f"Dòng {line}, cột «{_label(contract, name)}»: «{value}»"
    parts = _DAY_MONTH_YEAR.match(value or "")
    a, b, year = (int(parts[1]), int(parts[2]), parts[3]) if parts else (0, 0, "")

    def at(example: dates.Example) -> str:
        other = "" if example.column == name else f", cột «{_label(contract, example.column)}»"
        return f"«{example.value}» ở dòng {example.line}{other}"

    if rule == dates.TWO_DIGIT_YEAR:
        fixed = _TWO_DIGIT_YEAR.sub(r"\g<1>20\g<2>", value.strip())  # the ward's dates are all 20xx
        return f"{where}: năm cần ghi đủ 4 chữ số, ví dụ «{fixed}»."
    mf, df = found.month_first, found.day_first
    if rule == dates.MONTH_FIRST:
        text = f"{where} không phải là ngày theo kiểu ngày/tháng/năm (không có tháng {b})"
        if df is not None:
            return (
                f"{text}, mà tệp lại có ngày chỉ đọc được theo kiểu ngày/tháng/năm ({at(df)}). "
                f"Hãy ghi lại ngày này theo dạng dd/mm/yyyy, ví dụ «{b:02}/{a:02}/{year}»."
            )
        return (
            f"{text}. Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm (khi đó đây là ngày "
            f"{b:02}/{a:02}/{year}). {CONFIRM_MONTH_FIRST}"
        )
    if rule == dates.DAY_FIRST:
        return (
            f"{where} không đọc được theo kiểu tháng/ngày/năm đã chọn (không có tháng {a}): ô này ghi "
            f"ngày trước (ngày {a:02}/{b:02}/{year}). Nếu cả tệp ghi ngày trước, hãy đọc lại theo kiểu "
            "ngày/tháng/năm (bỏ --date-order mdy, hoặc bỏ chọn trên trang tải lên); nếu không, hãy sửa ô này."
        )
    both = f"{where} có thể là ngày {a} tháng {b} hoặc ngày {b} tháng {a}"
    if mf is not None and df is not None:
        return (
            f"{both}, và tệp ghi ngày lẫn lộn hai kiểu: {at(mf)} chỉ đọc được theo kiểu tháng/ngày/năm, "
            f"{at(df)} chỉ đọc được theo kiểu ngày/tháng/năm. Hãy ghi lại ngày này theo dạng dd/mm/yyyy "
            f"(«{a:02}/{b:02}/{year}» nếu là ngày {a} tháng {b})."
        )
    if found.order == dates.DMY and mf is not None:
        return (
            f"{both}. Tệp có vẻ ghi ngày theo kiểu tháng/ngày/năm ({at(mf)}), nên dòng này chưa được "
            f"nạp thay vì đoán. {CONFIRM_MONTH_FIRST} Nếu không, hãy ghi ngày theo dạng dd/mm/yyyy."
        )
    if found.order == dates.MDY and df is not None:
        return (
            f"{both}. Đã chọn đọc kiểu tháng/ngày/năm nhưng tệp có ngày chỉ đọc được theo kiểu "
            f"ngày/tháng/năm ({at(df)}), nên dòng này chưa được nạp. Hãy ghi ngày theo dạng dd/mm/yyyy."
        )
    return f"{both}. Hãy ghi ngày theo dạng dd/mm/yyyy."


def _rule(contract: c.Contract, kind: str, column: str) -> c.Rule:
    for rule in contract.rules:
        if rule.kind == kind and rule.column == column:
            return rule
    raise KeyError((kind, column))

"""The ward's settings: one TOML file the ward edits, validated with clear Vietnamese errors.

The defaults ship as `warehouse/settings.default.toml`, rendered from
`warehouse/indicators.py` (a test fails when it is out of date). The active
copy is `DOTHIXANH_HOME/settings.toml`, created from the defaults when
missing. Anything the ward's file leaves out takes its default, so a file
written before a new indicator existed keeps working.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kernel import contracts as c
from warehouse import indicators as ind

DEFAULT_PATH = Path(__file__).parent / "settings.default.toml"
FILE_NAME = "settings.toml"

DEFAULT_CAMPAIGN_START = dt.date(2026, 5, 1)
# The ward's identity: the official code of the commune-level unit (PyPI vietnam-provinces 2025.10.1,
# `FLAT_DIVISIONS_JSON_PATH`; after the 2025 reorganisation) and its name, carried by every city export.
DEFAULT_WARD_CODE = "11383"
DEFAULT_WARD_NAME = "Phường Lê Chân"
_WARD_CODE = re.compile(r"^[0-9]{1,6}$")
DEFAULT_TIERS = ((85.0, "Xuất sắc"), (70.0, "Tốt"), (50.0, "Khá"), (0.0, "Cần cố gắng"))
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class SettingsError(Exception):
    """The settings file cannot be used; `problems` lists each key at fault, in Vietnamese."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Tệp thiết lập «{path}» có {len(problems)} lỗi:\n{lines}")


@dataclass(frozen=True)
class Evaluation:
    name: str
    label_vi: str
    label_en: str
    start: dt.date
    end: dt.date
    position: int


@dataclass(frozen=True)
class IndicatorSettings:
    direction: str
    weight: float
    min_sample: int
    targets: dict[int, float]  # as written: year → target


@dataclass
class Settings:
    campaign_start: dt.date
    lighting_repair_days: int
    old_open_fault_days: int
    report_due_day: int
    min_weight_share: float
    tiers: tuple[tuple[float, str], ...]
    evaluations: dict[str, Evaluation]
    indicators: dict[str, IndicatorSettings]
    text: str = ""
    sha256: str = ""
    path: str = ""
    warnings: list[str] = field(default_factory=list)
    # The ranking rule ([league]): every weighted indicator scored, and which reports must be in.
    rank_requires_all_weighted: bool = True
    rank_requires_reports: str = "due"
    # Who the ward is ([ward]) and what it shares with the city store ([city], see warehouse/city/).
    ward_code: str = DEFAULT_WARD_CODE
    ward_name: str = DEFAULT_WARD_NAME
    share_records: bool = False

    def target(self, indicator_id: str, year: int) -> float | None:
        """The target for a year: the year's own, else the latest earlier year's, else none."""
        if indicator_id not in self.indicators:
            return None  # an indicator these settings do not know: no target
        targets = self.indicators[indicator_id].targets
        earlier = [y for y in targets if y <= year]
        return targets[max(earlier)] if earlier else None


# -- the defaults, rendered from the indicator declarations ---------------------------------


def _toml_value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_default_settings() -> str:
    """The text of settings.default.toml (Vietnamese comments), from warehouse/indicators.py."""
    out = [
        "# Thiết lập của phường cho phong trào «Xây dựng thành phố Hải Phòng - Đô thị Xanh - Văn minh -",
        "# Hiện đại» giai đoạn 2026 - 2030: ngày bắt đầu, các kỳ đánh giá, chỉ tiêu từng năm, trọng số",
        "# điểm thi đua và các thời hạn. Phường được sửa tệp này (bản đang dùng: DOTHIXANH_HOME/settings.toml).",
        "# Khóa nào bỏ trống sẽ lấy giá trị mặc định. Ngày viết dạng yyyy-mm-dd, không có dấu nháy.",
        "# Sau khi sửa, chạy 'dothixanh evaluate --evaluation TÊN' để tính lại theo thiết lập mới.",
        "",
        "[ward]",
        "# Mã đơn vị hành chính cấp xã chính thức (danh mục sau sắp xếp năm 2025) và tên phường: có trong",
        "# mọi dữ liệu phường gửi lên kho chung của thành phố ('dothixanh city publish').",
        f'code = "{DEFAULT_WARD_CODE}"',
        f'name = "{DEFAULT_WARD_NAME}"',
        "",
        "[city]",
        "# share_records = false: chỉ gửi lên kho chung của thành phố số liệu tổng hợp (chỉ tiêu, báo cáo,",
        "# xếp hạng) và danh sách tổ, đơn vị; true: gửi cả từng bản ghi (có địa chỉ, ghi chú).",
        "share_records = false",
        "",
        "[campaign]",
        "# Ngày bắt đầu phong trào: các kỳ (tháng, quý, năm, kỳ đánh giá) tính từ ngày này.",
        f"start = {DEFAULT_CAMPAIGN_START.isoformat()}",
        "",
        "[deadlines]",
        "# Thời hạn sửa đèn chiếu sáng (ngày, kể từ ngày tiếp nhận).",
        "lighting_repair_days = 3",
        "# Phiếu chưa sửa quá số ngày này được tính là «đèn hỏng tồn đọng».",
        "old_open_fault_days = 7",
        "# Hạn gửi báo cáo tháng: ngày thứ mấy của tháng sau (mặc định ngày 5).",
        "report_due_day = 5",
        "",
        "[league]",
        "# Một tổ chỉ được xếp hạng khi các chỉ tiêu đủ dữ liệu chiếm ít nhất tỷ lệ này của tổng trọng số.",
        "min_weight_share = 0.5",
        "# Điều kiện để một tổ được xếp hạng (tổ không đạt được liệt kê «chưa xếp hạng» kèm lý do):",
        "# rank_requires_all_weighted = true: mọi chỉ tiêu có trọng số > 0 đều có số liệu đủ để chấm điểm.",
        "rank_requires_all_weighted = true",
        '# rank_requires_reports: báo cáo nào của đơn vị phải có đủ cho các chỉ tiêu có trọng số: "due" =',
        '# mọi báo cáo đã đến hạn của kỳ (tháng đã khóa sổ tính là đủ); "all" = mọi báo cáo của kỳ, kể',
        '# cả tháng chưa đến hạn; "none" = không xét báo cáo.',
        'rank_requires_reports = "due"',
        "# Xếp loại theo điểm thi đua (0 - 100): đạt từ min_score trở lên.",
        "tiers = [",
        *(f'    {{ min_score = {_toml_value(s)}, label = "{label}" }},' for s, label in DEFAULT_TIERS),
        "]",
        "",
        "# Các kỳ đánh giá. Bỏ trống start thì tính từ ngày bắt đầu phong trào; ghi end (ngày kết thúc)",
        "# hoặc months (số tháng). Phường có thể thêm kỳ mới: [evaluations.ten-ky].",
        "[evaluations.conference-2026]",
        'label = "Hội nghị đánh giá kết quả năm 2026 (tháng 12/2026)"',
        'label_en = "Conference on the 2026 results (December 2026)"',
        "end = 2026-12-31",
        "",
        "[evaluations.one-year]",
        'label = "Tổng kết đánh giá 01 năm thực hiện phong trào"',
        'label_en = "One-year review"',
        "months = 12",
        "",
        "[evaluations.end-of-period]",
        'label = "Đánh giá cuối giai đoạn 2026 - 2030"',
        'label_en = "End-of-period evaluation 2026-2030"',
        "end = 2030-12-31",
        "",
        '# Chỉ tiêu: direction = "higher" (càng cao càng tốt) hoặc "lower" (càng thấp càng tốt);',
        "# weight = trọng số trong điểm thi đua (0 = không tính điểm); min_sample = dữ liệu tối thiểu để",
        "# một tổ được chấm điểm chỉ tiêu này; targets = chỉ tiêu từng năm (năm không ghi lấy năm trước).",
        "# Chỉ tiêu theo năm của các chỉ tiêu cộng dồn được chia theo số ngày của kỳ.",
    ]
    for item in ind.INDICATORS:
        out += [
            "",
            f"[indicators.{item.id}]",
            f"# {item.name_vi} ({item.unit_vi}) = {item.formula_vi}.",
            f"# Dữ liệu tối thiểu tính theo: {item.sample_vi}. Nguồn: {c.FEEDS[item.feed].label_vi}.",
            f'direction = "{item.direction}"',
            f"weight = {_toml_value(item.weight)}",
            f"min_sample = {item.min_sample}",
            "targets = { "
            + ", ".join(f"{year} = {_toml_value(v)}" for year, v in item.targets.items())
            + (" }" if item.targets else "}"),
        ]
    return "\n".join(out) + "\n"


def ensure_settings(home: Path) -> Path:
    """The ward's settings file, created from the defaults when missing."""
    path = Path(home) / FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
        tmp.replace(path)
    return path


def load_settings(home: Path | None = None, *, path: Path | None = None) -> Settings:
    """Read and validate the ward's settings (creating the file from defaults if missing)."""
    if path is None:
        from warehouse.store import default_home

        path = ensure_settings(Path(home) if home else default_home())
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse_settings(text, str(path), indicators=ind.indicators_for(home or Path(path).parent))


def parse_settings(
    text: str, source: str = FILE_NAME, *, indicators: tuple[ind.Indicator, ...] | None = None
) -> Settings:
    """Validate settings text; raise SettingsError naming every key and value at fault.

    `indicators`: the ward's (built-in and declared in its home); the built-in ones by default.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(source, [f"Tệp không đúng cú pháp TOML: {exc}."]) from None
    problems: list[str] = []
    checker = _Checker(problems, ind.INDICATORS if indicators is None else indicators)
    settings = checker.settings(data)
    if problems:
        raise SettingsError(source, problems)
    settings.text = text
    settings.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    settings.path = source
    return settings


def default_settings() -> Settings:
    return parse_settings(DEFAULT_PATH.read_text(encoding="utf-8"), str(DEFAULT_PATH))


class _Checker:
    def __init__(self, problems: list[str], indicators: tuple[ind.Indicator, ...]):
        self.problems = problems
        self.known = indicators

    def bad(self, key: str, value, why: str) -> None:
        self.problems.append(f"Khóa «{key}» = «{_show(value)}»: {why}")

    def unknown(self, table: dict, allowed: list[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f" Có phải «{prefix}{guess[0]}»?" if guess else ""
                self.problems.append(f"Khóa «{prefix}{key}» không có trong thiết lập.{hint}")

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.bad(key, value, "phải là một bảng [" + key + "].")
            return {}
        return value

    def integer(self, table: dict, key: str, full: str, default: int, low: int, high: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.bad(full, value, f"phải là số nguyên từ {low} đến {high}.")
            return default
        return value

    def number(self, value, full: str, low: float, high: float | None, default: float) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value < low
            or (high is not None and value > high)
        ):
            limit = (
                f"từ {_show(low)} đến {_show(high)}" if high is not None else f"không nhỏ hơn {_show(low)}"
            )
            self.bad(full, value, f"phải là một số {limit}.")
            return default
        return float(value)

    def date(self, value, full: str) -> dt.date | None:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.bad(full, value, "phải là một ngày dạng yyyy-mm-dd (không có dấu nháy), ví dụ 2026-05-01.")
            return None
        return value

    def settings(self, data: dict) -> Settings:
        self.unknown(
            data, ["ward", "city", "campaign", "deadlines", "league", "evaluations", "indicators"], ""
        )
        ward_code, ward_name, share_records = self.ward(self.table(data, "ward"), self.table(data, "city"))
        campaign = self.table(data, "campaign")
        self.unknown(campaign, ["start"], "campaign.")
        start = DEFAULT_CAMPAIGN_START
        if "start" in campaign:
            start = self.date(campaign["start"], "campaign.start") or DEFAULT_CAMPAIGN_START
        deadlines = self.table(data, "deadlines")
        self.unknown(
            deadlines, ["lighting_repair_days", "old_open_fault_days", "report_due_day"], "deadlines."
        )
        repair = self.integer(deadlines, "lighting_repair_days", "deadlines.lighting_repair_days", 3, 0, 365)
        old = self.integer(deadlines, "old_open_fault_days", "deadlines.old_open_fault_days", 7, 0, 365)
        due = self.integer(deadlines, "report_due_day", "deadlines.report_due_day", 5, 1, 28)
        league = self.table(data, "league")
        self.unknown(
            league,
            ["min_weight_share", "tiers", "rank_requires_all_weighted", "rank_requires_reports"],
            "league.",
        )
        share = self.number(league.get("min_weight_share", 0.5), "league.min_weight_share", 0, 1, 0.5)
        all_weighted = league.get("rank_requires_all_weighted", True)
        if not isinstance(all_weighted, bool):
            self.bad("league.rank_requires_all_weighted", all_weighted, "phải là true hoặc false.")
            all_weighted = True
        reports = league.get("rank_requires_reports", "due")
        if reports not in ("due", "all", "none"):
            self.bad("league.rank_requires_reports", reports, 'phải là "due", "all" hoặc "none".')
            reports = "due"
        tiers = self.tiers(league.get("tiers"))
        evaluations = self.evaluations(self.table(data, "evaluations"), start)
        indicators = self.indicators(self.table(data, "indicators"))
        if indicators and sum(s.weight for s in indicators.values()) <= 0:
            self.problems.append("Tổng trọng số các chỉ tiêu (indicators.*.weight) phải lớn hơn 0.")
        return Settings(
            campaign_start=start,
            lighting_repair_days=repair,
            old_open_fault_days=old,
            report_due_day=due,
            min_weight_share=share,
            rank_requires_all_weighted=all_weighted,
            rank_requires_reports=reports,
            tiers=tiers,
            evaluations=evaluations,
            indicators=indicators,
            ward_code=ward_code,
            ward_name=ward_name,
            share_records=share_records,
        )

    def ward(self, ward: dict, city: dict) -> tuple[str, str, bool]:
        self.unknown(ward, ["code", "name"], "ward.")
        self.unknown(city, ["share_records"], "city.")
        code = ward.get("code", DEFAULT_WARD_CODE)
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str) or not _WARD_CODE.match(code.strip()):
            self.bad("ward.code", code, 'phải là mã đơn vị hành chính cấp xã (chữ số), ví dụ "11383".')
            code = DEFAULT_WARD_CODE
        name = ward.get("name", DEFAULT_WARD_NAME)
        if not isinstance(name, str) or not name.strip():
            self.bad("ward.name", name, 'phải là tên phường (chữ), ví dụ "Phường Lê Chân".')
            name = DEFAULT_WARD_NAME
        share = city.get("share_records", False)
        if not isinstance(share, bool):
            self.bad("city.share_records", share, "phải là true hoặc false.")
            share = False
        return code.strip(), name.strip(), share

    def tiers(self, value) -> tuple[tuple[float, str], ...]:
        if value is None:
            return DEFAULT_TIERS
        if not isinstance(value, list) or not value:
            self.bad("league.tiers", value, 'phải là danh sách { min_score = ..., label = "..." }.')
            return DEFAULT_TIERS
        tiers = []
        for i, tier in enumerate(value, start=1):
            key = f"league.tiers[{i}]"
            if not isinstance(tier, dict):
                self.bad(key, tier, 'phải có dạng { min_score = 85, label = "Xuất sắc" }.')
                continue
            self.unknown(tier, ["min_score", "label"], f"{key}.")
            score = self.number(tier.get("min_score"), f"{key}.min_score", 0, 100, 0)
            label = tier.get("label")
            if not isinstance(label, str) or not label.strip():
                self.bad(f"{key}.label", label, 'phải là tên xếp loại (chữ), ví dụ "Xuất sắc".')
                continue
            tiers.append((score, label.strip()))
        scores = [s for s, _ in tiers]
        if len(set(scores)) != len(scores):
            self.bad("league.tiers", value, "hai mức xếp loại có cùng min_score.")
        return tuple(sorted(tiers, reverse=True)) or DEFAULT_TIERS

    def evaluations(self, table: dict, campaign_start: dt.date) -> dict[str, Evaluation]:
        defaults = {
            "conference-2026": {"end": dt.date(2026, 12, 31)},
            "one-year": {"months": 12},
            "end-of-period": {"end": dt.date(2030, 12, 31)},
        }
        merged = {name: dict(spec) for name, spec in defaults.items()}
        for name, spec in table.items():
            if not isinstance(spec, dict):
                self.bad(f"evaluations.{name}", spec, "phải là một bảng [evaluations.TÊN].")
                continue
            if not _NAME.match(name):
                self.bad(
                    f"evaluations.{name}",
                    name,
                    "tên kỳ bắt đầu bằng chữ thường không dấu, chỉ gồm chữ thường không dấu, số và dấu -.",
                )
                continue
            if name in merged and ("end" in spec or "months" in spec):
                merged[name] = {}
            merged.setdefault(name, {}).update(spec)
        out: dict[str, Evaluation] = {}
        labels = {
            "conference-2026": ("Hội nghị đánh giá kết quả năm 2026", "Conference on the 2026 results"),
            "one-year": ("Tổng kết đánh giá 01 năm", "One-year review"),
            "end-of-period": ("Đánh giá cuối giai đoạn 2026 - 2030", "End-of-period evaluation"),
        }
        for position, (name, spec) in enumerate(merged.items(), start=1):
            key = f"evaluations.{name}"
            self.unknown(spec, ["label", "label_en", "start", "end", "months"], f"{key}.")
            start = campaign_start
            if "start" in spec:
                start = self.date(spec["start"], f"{key}.start") or campaign_start
            if ("end" in spec) == ("months" in spec):
                self.problems.append(
                    f"Kỳ «{key}» phải có đúng một trong hai khóa: end (ngày kết thúc) hoặc months."
                )
                continue
            if "months" in spec:
                months = self.integer(spec, "months", f"{key}.months", 12, 1, 120)
                end = _add_months(start, months) - dt.timedelta(days=1)
            else:
                end = self.date(spec["end"], f"{key}.end")
                if end is None:
                    continue
            if end < start:
                self.bad(f"{key}.end", end, f"ngày kết thúc trước ngày bắt đầu {start.isoformat()}.")
                continue
            label_vi, label_en = labels.get(name, (name, name))
            label_vi = spec.get("label", label_vi)
            label_en = spec.get("label_en", label_en)
            if not isinstance(label_vi, str) or not isinstance(label_en, str):
                self.bad(f"{key}.label", label_vi, "phải là chữ.")
                continue
            out[name] = Evaluation(name, label_vi, label_en, start, end, position)
        return out

    def indicators(self, table: dict) -> dict[str, IndicatorSettings]:
        self.unknown(table, [item.id for item in self.known], "indicators.")
        out: dict[str, IndicatorSettings] = {}
        for item in self.known:
            spec = table.get(item.id, {})
            key = f"indicators.{item.id}"
            if not isinstance(spec, dict):
                self.bad(key, spec, f"phải là một bảng [{key}].")
                spec = {}
            self.unknown(spec, ["direction", "weight", "min_sample", "targets"], f"{key}.")
            direction = spec.get("direction", item.direction)
            if direction not in (ind.HIGHER, ind.LOWER):
                self.bad(f"{key}.direction", direction, 'phải là "higher" (càng cao càng tốt) hoặc "lower".')
                direction = item.direction
            weight = self.number(spec.get("weight", item.weight), f"{key}.weight", 0, None, item.weight)
            min_sample = self.integer(spec, "min_sample", f"{key}.min_sample", item.min_sample, 0, 10**9)
            targets = dict(item.targets)
            if "targets" in spec:
                targets = self.targets(spec["targets"], f"{key}.targets")
            out[item.id] = IndicatorSettings(direction, weight, min_sample, targets)
        return out

    def targets(self, value, key: str) -> dict[int, float]:
        if not isinstance(value, dict):
            self.bad(key, value, "phải có dạng { 2026 = 80, 2027 = 85 }.")
            return {}
        out: dict[int, float] = {}
        for year, target in value.items():
            if not re.fullmatch(r"20\d\d", str(year)):
                self.bad(f"{key}.{year}", target, f"«{year}» không phải là một năm (ví dụ 2026).")
                continue
            if isinstance(target, bool) or not isinstance(target, int | float):
                self.bad(f"{key}.{year}", target, "chỉ tiêu phải là một số.")
                continue
            out[int(year)] = float(target)
        return dict(sorted(out.items()))


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

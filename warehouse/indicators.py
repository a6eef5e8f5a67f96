"""The campaign's indicators, declared once.

Every indicator is one `Indicator` below: its id, Vietnamese and English name,
unit, formula (numerator / denominator × scale), direction, the feed it needs,
and the defaults the ward's settings file starts from. The settings template
(`warehouse/settings.default.toml`), the `marts.indicators` table the SQL marts
join, the formulas shown beside each number and the marts' COMMENTs are all
derived from this module.

How a value is computed (marts/indicator_values.sql):

* ``kind = "ratio"``: value = scale × Σ numerator / Σ denominator, summed over
  the period's records (the ward's value from the ward's totals, never an
  average of group rates);
* ``kind = "count"``: value = Σ numerator;
* ``kind = "median"``: the median over the period's records.

A value is NULL with a reason, never a silent 0, when the period has not
started, when no file of the feed covers the period, or when the denominator
is 0.

Targets are set per calendar year in the settings file. For indicators that
accumulate over time (``target_mode = "prorated"``: counts, and rates per
resident or per household) the yearly target is prorated to the days of the
period elapsed so far; for levels (shares, medians, open faults) the target
applies as it is (day-weighted when a period spans two years). Counts have a
target per residential group; the ward's target is that times the number of
groups (``ward_target = "sum_of_groups"``).

League table (marts/league_components.sql). For each evaluation window and
each weighted indicator, among the groups with enough data (value not NULL
and sample size ≥ the indicator's ``min_sample``), with d = +1 when higher is
better and −1 when lower is better, y = d × value, t = d × target,
best = max y, worst = min y:

* y ≥ t: score = 50 + 50 × (y − t) / (best − t), or 100 when best = t;
* y < t: score = 50 × (y − worst) / (t − worst);

clipped to 0–100. So the target is worth 50, the best group 100 (when it
meets the target) and the worst group 0 (when it misses it). A group without
enough data for an indicator gets no score for it ("chưa đủ dữ liệu"); its
composite is the weighted mean of the indicators it was scored on (weights
renormalised), and it is ranked only when those carry at least
``min_weight_share`` of the total weight. An indicator without a target is
not scored ("chưa đặt chỉ tiêu").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines import contracts as c

HIGHER, LOWER = "higher", "lower"
DIRECTION_LABELS_VI = {HIGHER: "càng cao càng tốt", LOWER: "càng thấp càng tốt"}

# The campaign years; a target missing for a year carries the previous year's forward.
YEARS = (2026, 2027, 2028, 2029, 2030)

# Measures the SQL computes for every (period, group) and for the ward; an
# indicator's numerator, denominator and sample size each name one of them.
MEASURES_VI = {
    "population": "Số nhân khẩu",
    "households": "Số hộ",
    "saturdays": "Số ngày thứ Bảy trong kỳ (toàn phường: nhân với số tổ)",
    "violations": "Số vụ vi phạm phát hiện trong kỳ",
    "violations_resolved": "Số vụ đã khắc phục",
    "violation_repeats": "Số vụ tái phạm tại cùng địa chỉ",
    "cleanup_events": "Số đợt ra quân",
    "saturdays_with_event": "Số ngày thứ Bảy có tổ chức «Ngày thứ 7 cùng dân»",
    "participants": "Tổng số lượt người tham gia",
    "waste_kg": "Tổng khối lượng rác thu gom (kg)",
    "waste_events": "Số đợt có ghi khối lượng rác",
    "households_checked": "Tổng số hộ được kiểm tra",
    "households_compliant": "Tổng số hộ phân loại đúng",
    "households_covered_monthly": "Tổng theo tháng của số hộ được kiểm tra (mỗi tháng tối đa bằng số hộ)",
    "household_months": "Số hộ × số tháng của kỳ",
    "lighting_repaired": "Số phiếu đã sửa",
    "lighting_on_time": "Số phiếu sửa xong đúng hạn",
    "lighting_judged": "Số phiếu đã đến hạn (đúng hạn + trễ hạn + chưa sửa đã quá hạn)",
    "lighting_open_old": "Số phiếu chưa sửa, quá ngưỡng tồn đọng, tính đến cuối kỳ",
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: formula, direction, feed, and the settings' defaults."""

    id: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    feed: str
    kind: str  # ratio | count | median
    numerator: str  # a measure (see MEASURES_VI); for a median, what is ranked
    numerator_vi: str
    numerator_en: str
    direction: str
    target_mode: str  # prorated | level
    sample: str  # the measure that counts the data behind a value
    sample_vi: str
    denominator: str | None = None
    denominator_vi: str | None = None
    denominator_en: str | None = None
    scale: float = 1.0
    ward_target: str = "same"  # same | sum_of_groups
    category: str | None = None  # violations by category
    targets: dict[int, float] = field(default_factory=dict)
    weight: float = 0.0
    min_sample: int = 0

    @property
    def formula_vi(self) -> str:
        if self.kind == "median":
            return self.numerator_vi
        if self.kind == "count":
            return self.numerator_vi
        scale = f"{_fmt(self.scale)} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator_vi} / {self.denominator_vi}"

    @property
    def formula_en(self) -> str:
        if self.kind in ("median", "count"):
            return self.numerator_en
        scale = f"{_fmt(self.scale)} × " if self.scale != 1 else ""
        return f"{scale}{self.numerator_en} / {self.denominator_en}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else str(value)


def _years(*values: float) -> dict[int, float]:
    return dict(zip(YEARS, values, strict=True))


_CATEGORY = c.VIOLATIONS.column("category")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        id="violations_per_1000_residents",
        name_vi="Vi phạm trên 1.000 dân",
        name_en="Violations per 1,000 residents",
        unit_vi="vụ/1.000 dân",
        unit_en="per 1,000 residents",
        feed="violations",
        kind="ratio",
        numerator="violations",
        numerator_vi="số vụ vi phạm phát hiện trong kỳ",
        numerator_en="violations detected in the period",
        denominator="population",
        denominator_vi="số nhân khẩu",
        denominator_en="residents",
        scale=1000,
        direction=LOWER,
        target_mode="prorated",
        sample="violations",
        sample_vi="số vụ vi phạm",
        targets=_years(20, 18, 16, 14, 12),
        weight=25,
    ),
    *(
        Indicator(
            id=f"violations_per_1000_{choice.code}",
            name_vi=f"Vi phạm «{choice.label_vi}» trên 1.000 dân",
            name_en=f"{choice.label_en} violations per 1,000 residents",
            unit_vi="vụ/1.000 dân",
            unit_en="per 1,000 residents",
            feed="violations",
            kind="ratio",
            numerator=f"violations:{choice.code}",
            numerator_vi=f"số vụ «{choice.label_vi}» phát hiện trong kỳ",
            numerator_en=f"{choice.label_en.lower()} violations detected in the period",
            denominator="population",
            denominator_vi="số nhân khẩu",
            denominator_en="residents",
            scale=1000,
            direction=LOWER,
            target_mode="prorated",
            sample=f"violations:{choice.code}",
            sample_vi=f"số vụ «{choice.label_vi}»",
            category=choice.code,
        )
        for choice in _CATEGORY.choices
    ),
    Indicator(
        id="violations_resolved_share",
        name_vi="Tỷ lệ vi phạm đã khắc phục",
        name_en="Share of violations resolved",
        unit_vi="%",
        unit_en="%",
        feed="violations",
        kind="ratio",
        numerator="violations_resolved",
        numerator_vi="số vụ đã khắc phục",
        numerator_en="violations resolved",
        denominator="violations",
        denominator_vi="số vụ vi phạm phát hiện trong kỳ",
        denominator_en="violations detected in the period",
        scale=100,
        direction=HIGHER,
        target_mode="level",
        sample="violations",
        sample_vi="số vụ vi phạm",
        targets=_years(80, 85, 90, 92, 95),
        weight=10,
        min_sample=3,
    ),
    Indicator(
        id="repeat_violations_90d",
        name_vi="Tái phạm tại cùng địa chỉ trong 90 ngày",
        name_en="Repeat violations at the same address within 90 days",
        unit_vi="vụ",
        unit_en="violations",
        feed="violations",
        kind="count",
        numerator="violation_repeats",
        numerator_vi="số vụ có vụ khác cùng địa chỉ, cùng tổ trong số ngày quy định trước đó",
        numerator_en="violations with an earlier one at the same address and group within the window",
        direction=LOWER,
        target_mode="prorated",
        ward_target="sum_of_groups",
        sample="violations",
        sample_vi="số vụ vi phạm",
        targets=_years(4, 3, 3, 2, 2),
    ),
    Indicator(
        id="cleanup_events",
        name_vi="Số đợt ra quân vệ sinh môi trường",
        name_en="Cleanup events",
        unit_vi="đợt",
        unit_en="events",
        feed="cleanups",
        kind="count",
        numerator="cleanup_events",
        numerator_vi="số đợt ra quân trong kỳ",
        numerator_en="cleanup events held in the period",
        direction=HIGHER,
        target_mode="prorated",
        ward_target="sum_of_groups",
        sample="cleanup_events",
        sample_vi="số đợt ra quân",
        targets=_years(24, 24, 24, 24, 24),
    ),
    Indicator(
        id="saturday_event_share",
        name_vi="Tỷ lệ ngày thứ Bảy có «Ngày thứ 7 cùng dân»",
        name_en="Share of Saturdays with a “Saturday with the people” event",
        unit_vi="%",
        unit_en="%",
        feed="cleanups",
        kind="ratio",
        numerator="saturdays_with_event",
        numerator_vi="số ngày thứ Bảy có tổ chức «Ngày thứ 7 cùng dân»",
        numerator_en="Saturdays with a “Saturday with the people” event",
        denominator="saturdays",
        denominator_vi="số ngày thứ Bảy trong kỳ (toàn phường: nhân với số tổ)",
        denominator_en="Saturdays in the period (ward: times the number of groups)",
        scale=100,
        direction=HIGHER,
        target_mode="level",
        sample="saturdays",
        sample_vi="số ngày thứ Bảy",
        targets=_years(75, 80, 85, 90, 90),
        weight=15,
        min_sample=4,
    ),
    Indicator(
        id="participants_per_100_residents",
        name_vi="Lượt người tham gia trên 100 dân",
        name_en="Participants per 100 residents",
        unit_vi="lượt/100 dân",
        unit_en="per 100 residents",
        feed="cleanups",
        kind="ratio",
        numerator="participants",
        numerator_vi="tổng số lượt người tham gia ra quân",
        numerator_en="participants in cleanup events",
        denominator="population",
        denominator_vi="số nhân khẩu",
        denominator_en="residents",
        scale=100,
        direction=HIGHER,
        target_mode="prorated",
        sample="cleanup_events",
        sample_vi="số đợt ra quân",
        targets=_years(60, 70, 80, 90, 100),
        weight=15,
    ),
    Indicator(
        id="waste_collected_kg",
        name_vi="Khối lượng rác thu gom qua các đợt ra quân",
        name_en="Waste collected in cleanup events",
        unit_vi="kg",
        unit_en="kg",
        feed="cleanups",
        kind="count",
        numerator="waste_kg",
        numerator_vi="tổng khối lượng rác thu gom (kg)",
        numerator_en="waste collected (kg)",
        direction=HIGHER,
        target_mode="prorated",
        ward_target="sum_of_groups",
        sample="waste_events",
        sample_vi="số đợt có ghi khối lượng rác",
        targets=_years(1000, 1000, 1000, 1000, 1000),
    ),
    Indicator(
        id="sorting_compliance_rate",
        name_vi="Tỷ lệ hộ phân loại rác đúng",
        name_en="Waste-sorting compliance rate",
        unit_vi="%",
        unit_en="%",
        feed="sorting_inspections",
        kind="ratio",
        numerator="households_compliant",
        numerator_vi="tổng số hộ phân loại đúng",
        numerator_en="households sorting correctly",
        denominator="households_checked",
        denominator_vi="tổng số hộ được kiểm tra",
        denominator_en="households checked",
        scale=100,
        direction=HIGHER,
        target_mode="level",
        sample="households_checked",
        sample_vi="số hộ được kiểm tra",
        targets=_years(60, 70, 80, 85, 90),
        weight=20,
        min_sample=20,
    ),
    Indicator(
        id="inspection_coverage",
        name_vi="Độ phủ kiểm tra phân loại rác",
        name_en="Waste-sorting inspection coverage",
        unit_vi="%",
        unit_en="%",
        feed="sorting_inspections",
        kind="ratio",
        # Per month: households inspected, capped at the group's households (repeat inspections of
        # the same households do not count again), averaged over the months of the period. So the
        # figure never passes 100 %; the ward's is the households-weighted mean of its groups'.
        numerator="households_covered_monthly",
        numerator_vi="Σ các tháng: số hộ được kiểm tra trong tháng (tối đa bằng số hộ)",
        numerator_en="Σ over months: households inspected in the month (at most the households)",
        denominator="household_months",
        denominator_vi="(số hộ × số tháng của kỳ)",
        denominator_en="(households × months of the period)",
        scale=100,
        direction=HIGHER,
        target_mode="level",
        sample="households_checked",
        sample_vi="số hộ được kiểm tra",
        targets=_years(50, 55, 60, 65, 70),
        weight=10,
    ),
    Indicator(
        id="lighting_median_days_to_repair",
        name_vi="Số ngày sửa đèn (trung vị)",
        name_en="Median days to repair a street light",
        unit_vi="ngày",
        unit_en="days",
        feed="lighting_repairs",
        kind="median",
        numerator="lighting_repair_days",
        numerator_vi="trung vị của (ngày sửa xong − ngày tiếp nhận) các phiếu đã sửa",
        numerator_en="median of (date repaired − date reported) over repaired tickets",
        direction=LOWER,
        target_mode="level",
        sample="lighting_repaired",
        sample_vi="số phiếu đã sửa",
        targets=_years(3, 3, 2, 2, 2),
        min_sample=3,
    ),
    Indicator(
        id="lighting_on_time_share",
        name_vi="Tỷ lệ đèn sửa đúng hạn",
        name_en="Share of street lights repaired on time",
        unit_vi="%",
        unit_en="%",
        feed="lighting_repairs",
        kind="ratio",
        numerator="lighting_on_time",
        numerator_vi="số phiếu sửa xong trong hạn",
        numerator_en="tickets repaired within the deadline",
        denominator="lighting_judged",
        denominator_vi="(đúng hạn + trễ hạn + chưa sửa đã quá hạn)",
        denominator_en="(on time + late + still open past the deadline)",
        scale=100,
        direction=HIGHER,
        target_mode="level",
        sample="lighting_judged",
        sample_vi="số phiếu đã đến hạn",
        targets=_years(80, 85, 90, 90, 95),
        weight=5,
        min_sample=3,
    ),
    Indicator(
        id="lighting_open_faults_over_threshold",
        name_vi="Số đèn hỏng tồn đọng quá ngưỡng",
        name_en="Open street-light faults older than the threshold",
        unit_vi="phiếu",
        unit_en="tickets",
        feed="lighting_repairs",
        kind="count",
        numerator="lighting_open_old",
        numerator_vi="số phiếu chưa sửa tại cuối kỳ đã quá số ngày tồn đọng",
        numerator_en="tickets still open at the end of the period and older than the threshold",
        direction=LOWER,
        target_mode="level",
        ward_target="sum_of_groups",
        sample="lighting_open_old",
        sample_vi="số phiếu tồn đọng",
        targets=_years(0, 0, 0, 0, 0),
    ),
)

BY_ID: dict[str, Indicator] = {ind.id: ind for ind in INDICATORS}


def indicator(indicator_id: str) -> Indicator:
    """An indicator by id, with a Vietnamese error listing the known ones."""
    try:
        return BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"Không có chỉ tiêu «{indicator_id}». Các chỉ tiêu: {', '.join(BY_ID)}") from None

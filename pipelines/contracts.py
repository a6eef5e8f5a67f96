"""The feed contracts: the single declaration every other artefact derives from.

The parser's header aliases, the Great Expectations suites in ``expectations/``,
the templates clerks download, the warehouse tables and the data dictionary are
all built from the objects below. Adding a feed means adding one ``Contract``
to ``CONTRACTS`` (and, only if it needs behaviour of its own, one module).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Dates before this are refused in every feed (feeds.md, general rules).
EARLIEST_DATE = dt.date(2026, 1, 1)

TEXT, DATE, INTEGER, DECIMAL, ENUM, FEED_LIST = (
    "text",
    "date",
    "integer",
    "decimal",
    "enum",
    "feed_list",
)

# DuckDB column types for each contract type.
SQL_TYPES = {
    TEXT: "VARCHAR",
    DATE: "DATE",
    INTEGER: "BIGINT",
    DECIMAL: "DOUBLE",
    ENUM: "VARCHAR",
    FEED_LIST: "VARCHAR",
}

TYPE_LABELS_VI = {
    TEXT: "văn bản",
    DATE: "ngày (dd/mm/yyyy)",
    INTEGER: "số nguyên",
    DECIMAL: "số thập phân",
    ENUM: "giá trị trong danh mục",
    FEED_LIST: "danh sách loại dữ liệu",
}


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumerated column: its code and Vietnamese label."""

    code: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Column:
    """One column of a feed file."""

    name: str
    label_vi: str
    label_en: str
    type: str
    required: bool = False
    description_vi: str = ""
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    # Extra header spellings seen in the wild (matched like the label).
    aliases: tuple[str, ...] = ()
    example: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    def choice_label(self, code: str) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label_vi
        return code


# Cross-column and reference rules. Each kind maps to one Great Expectations
# expectation (expectations/suites.py) and one Vietnamese message (pipelines/messages.py).
REQUIRED_WHEN = "required_when"  # column must be filled when `when_column == when_value`
ZERO_UNLESS = "zero_unless"  # column must be empty or 0 unless `when_column == when_value`
NOT_BEFORE = "not_before"  # column (a date) >= other
NOT_MORE_THAN = "not_more_than"  # column <= other
NOT_MORE_THAN_GROUP_HOUSEHOLDS = "not_more_than_group_households"
KNOWN_GROUP = "known_group"
UPLOADING_UNIT = "uploading_unit"
AT_LEAST_COLUMN = "at_least_column"  # column >= other (population >= households)


@dataclass(frozen=True)
class Rule:
    kind: str
    column: str
    other: str | None = None
    when_column: str | None = None
    when_value: str | None = None


@dataclass(frozen=True)
class Contract:
    """A feed (or reference file) contract: columns, key and rules."""

    name: str
    label_vi: str
    label_en: str
    description_vi: str
    description_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    version: int = 1
    # The column holding the record's main date (used for the report month).
    date_column: str | None = None
    reference: bool = False
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def id_column(self) -> str:
        return self.key[-1]

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(code: str, vi: str, en: str) -> Choice:
    return Choice(code, vi, en)


UNIT_CODE = Column(
    "unit_code",
    "Mã đơn vị",
    "Unit code",
    TEXT,
    required=True,
    description_vi="Mã đơn vị gửi báo cáo (theo danh sách đơn vị của phường).",
    aliases=("Đơn vị", "Ma DV"),
    example="CAP",
)
GROUP_CODE = Column(
    "group_code",
    "Mã tổ dân phố",
    "Residential group code",
    TEXT,
    required=True,
    description_vi="Mã tổ dân phố nơi ghi nhận (theo danh sách tổ dân phố của phường).",
    aliases=("Tổ dân phố", "Mã TDP", "TDP"),
    example="TDP05",
)

VIOLATIONS = Contract(
    name="violations",
    label_vi="Vi phạm",
    label_en="Violations",
    description_vi="Mỗi dòng là một vụ vi phạm được ghi nhận (lấn chiếm vỉa hè, lòng đường, "
    "quảng cáo trái phép, xả rác, không phân loại rác, trật tự công cộng, trật tự xây dựng, "
    "an toàn thực phẩm, phòng cháy chữa cháy).",
    description_en="One recorded violation.",
    key=("unit_code", "record_id"),
    date_column="detected_on",
    aliases=("vi pham", "vi_pham"),
    columns=(
        Column(
            "record_id",
            "Số hồ sơ",
            "Record number",
            TEXT,
            required=True,
            description_vi="Số hồ sơ vụ việc, không trùng trong một đơn vị.",
            example="VP-2026-0001",
        ),
        UNIT_CODE,
        Column(
            "detected_on",
            "Ngày phát hiện",
            "Date detected",
            DATE,
            required=True,
            description_vi="Ngày phát hiện vi phạm.",
            example="15/06/2026",
        ),
        GROUP_CODE,
        Column(
            "category",
            "Loại vi phạm",
            "Category",
            ENUM,
            required=True,
            description_vi="Loại vi phạm.",
            choices=(
                _c("sidewalk_encroachment", "Lấn chiếm vỉa hè", "Sidewalk encroachment"),
                _c("roadway_encroachment", "Lấn chiếm lòng đường", "Roadway encroachment"),
                _c("illegal_advertising", "Quảng cáo, rao vặt trái phép", "Illegal advertising"),
                _c("littering_dumping", "Xả rác, đổ trộm phế thải", "Littering, illegal dumping"),
                _c("waste_sorting", "Không phân loại rác tại nguồn", "Not sorting waste"),
                _c(
                    "public_order",
                    "Trật tự công cộng, nếp sống văn minh",
                    "Public order, civilised lifestyle",
                ),
                _c("construction_order", "Trật tự xây dựng", "Construction order"),
                _c("food_safety", "Vệ sinh an toàn thực phẩm", "Food safety"),
                _c("fire_safety", "Phòng cháy chữa cháy", "Fire safety"),
                _c("other", "Khác", "Other"),
            ),
            example="sidewalk_encroachment",
        ),
        Column(
            "action",
            "Hình thức xử lý",
            "Action taken",
            ENUM,
            required=True,
            description_vi="Hình thức xử lý: nhắc nhở, lập biên bản hoặc xử phạt.",
            choices=(
                _c("reminder", "Nhắc nhở", "Reminder"),
                _c("record", "Lập biên bản", "Written record"),
                _c("fine", "Xử phạt", "Fine"),
            ),
            example="fine",
        ),
        Column(
            "fine_vnd",
            "Số tiền phạt",
            "Fine (VND)",
            INTEGER,
            minimum=0,
            description_vi="Số tiền phạt (đồng); bắt buộc khi xử phạt, để trống hoặc 0 nếu không.",
            example="1.500.000",
        ),
        Column(
            "resolved_on",
            "Ngày khắc phục",
            "Date resolved",
            DATE,
            description_vi="Ngày vi phạm được khắc phục; không trước ngày phát hiện.",
            example="16/06/2026",
        ),
        Column(
            "address",
            "Địa chỉ",
            "Address",
            TEXT,
            description_vi="Địa chỉ nơi vi phạm.",
            example="12 Tô Hiệu",
        ),
        Column("note", "Ghi chú", "Note", TEXT, description_vi="Ghi chú.", example=""),
    ),
    rules=(
        Rule(REQUIRED_WHEN, "fine_vnd", when_column="action", when_value="fine"),
        Rule(ZERO_UNLESS, "fine_vnd", when_column="action", when_value="fine"),
        Rule(NOT_BEFORE, "resolved_on", other="detected_on"),
        Rule(KNOWN_GROUP, "group_code"),
        Rule(UPLOADING_UNIT, "unit_code"),
    ),
)

CLEANUPS = Contract(
    name="cleanups",
    label_vi="Ra quân vệ sinh môi trường",
    label_en="Cleanup events",
    description_vi="Mỗi dòng là một đợt ra quân: Ngày thứ 7 cùng dân, tổng vệ sinh, vớt rác "
    "sông hồ kênh mương, trồng cây xanh, chỉnh trang cảnh quan.",
    description_en="One cleanup event.",
    key=("unit_code", "event_id"),
    date_column="held_on",
    aliases=("ve sinh", "ra quan"),
    columns=(
        Column(
            "event_id",
            "Mã đợt",
            "Event id",
            TEXT,
            required=True,
            description_vi="Mã đợt ra quân, không trùng trong một đơn vị.",
            example="T7-2026-001",
        ),
        UNIT_CODE,
        Column(
            "held_on",
            "Ngày thực hiện",
            "Date held",
            DATE,
            required=True,
            description_vi="Ngày thực hiện.",
            example="06/06/2026",
        ),
        GROUP_CODE,
        Column(
            "kind",
            "Hình thức",
            "Kind",
            ENUM,
            required=True,
            description_vi="Hình thức ra quân.",
            choices=(
                _c("saturday_with_people", "Ngày thứ 7 cùng dân", "Saturday with the people"),
                _c("general_cleanup", "Tổng vệ sinh", "General clean-up"),
                _c(
                    "waterway_cleanup",
                    "Vớt rác sông, hồ, kênh, mương",
                    "Rivers, lakes and canals clean-up",
                ),
                _c("tree_planting", "Trồng cây xanh", "Tree planting"),
                _c("landscape_improvement", "Chỉnh trang cảnh quan", "Landscape improvement"),
            ),
            example="saturday_with_people",
        ),
        Column(
            "participants",
            "Số người tham gia",
            "Participants",
            INTEGER,
            required=True,
            minimum=1,
            description_vi="Số người tham gia, ít nhất 1.",
            example="45",
        ),
        Column(
            "waste_kg",
            "Khối lượng rác (kg)",
            "Waste collected (kg)",
            DECIMAL,
            minimum=0,
            description_vi="Khối lượng rác thu gom (kg).",
            aliases=("Khối lượng rác",),
            example="120,5",
        ),
        Column(
            "trees_planted",
            "Số cây trồng mới",
            "Trees planted",
            INTEGER,
            minimum=0,
            description_vi="Số cây xanh trồng mới.",
            example="0",
        ),
        Column(
            "location",
            "Địa điểm",
            "Location",
            TEXT,
            description_vi="Địa điểm.",
            example="Ngõ 120 Hai Bà Trưng",
        ),
    ),
    rules=(Rule(KNOWN_GROUP, "group_code"), Rule(UPLOADING_UNIT, "unit_code")),
)

SORTING_INSPECTIONS = Contract(
    name="sorting_inspections",
    label_vi="Kiểm tra phân loại rác tại nguồn",
    label_en="Waste-sorting inspections",
    description_vi="Mỗi dòng là một đợt kiểm tra phân loại chất thải rắn sinh hoạt tại nguồn "
    "trong một tổ dân phố.",
    description_en="One inspection of household waste sorting at source in a group.",
    key=("unit_code", "inspection_id"),
    date_column="inspected_on",
    aliases=("phan loai rac", "kiem tra phan loai"),
    columns=(
        Column(
            "inspection_id",
            "Mã đợt kiểm tra",
            "Inspection id",
            TEXT,
            required=True,
            description_vi="Mã đợt kiểm tra, không trùng trong một đơn vị.",
            example="KT-2026-001",
        ),
        UNIT_CODE,
        Column(
            "inspected_on",
            "Ngày kiểm tra",
            "Date inspected",
            DATE,
            required=True,
            description_vi="Ngày kiểm tra.",
            example="10/06/2026",
        ),
        GROUP_CODE,
        Column(
            "households_checked",
            "Số hộ được kiểm tra",
            "Households checked",
            INTEGER,
            required=True,
            minimum=1,
            description_vi="Số hộ được kiểm tra: ít nhất 1, không quá số hộ của tổ dân phố.",
            example="60",
        ),
        Column(
            "households_compliant",
            "Số hộ phân loại đúng",
            "Households sorting correctly",
            INTEGER,
            required=True,
            minimum=0,
            description_vi="Số hộ phân loại đúng, không quá số hộ được kiểm tra.",
            example="48",
        ),
        Column("note", "Ghi chú", "Note", TEXT, description_vi="Ghi chú.", example=""),
    ),
    rules=(
        Rule(NOT_MORE_THAN_GROUP_HOUSEHOLDS, "households_checked"),
        Rule(NOT_MORE_THAN, "households_compliant", other="households_checked"),
        Rule(KNOWN_GROUP, "group_code"),
        Rule(UPLOADING_UNIT, "unit_code"),
    ),
)

LIGHTING_REPAIRS = Contract(
    name="lighting_repairs",
    label_vi="Sửa chữa đèn chiếu sáng",
    label_en="Street-light repairs",
    description_vi="Mỗi dòng là một phiếu báo hỏng đèn chiếu sáng công cộng: ngày tiếp nhận, "
    "ngày sửa xong (hoặc chưa xử lý), nguyên nhân.",
    description_en="One street-light fault ticket.",
    key=("unit_code", "ticket_id"),
    date_column="reported_on",
    aliases=("den chieu sang", "chieu sang"),
    columns=(
        Column(
            "ticket_id",
            "Mã phiếu",
            "Ticket id",
            TEXT,
            required=True,
            description_vi="Mã phiếu báo hỏng, không trùng trong một đơn vị.",
            example="CS-2026-0001",
        ),
        UNIT_CODE,
        GROUP_CODE,
        Column("street", "Tuyến đường", "Street", TEXT, description_vi="Tuyến đường.", example="Tô Hiệu"),
        Column("lamp_id", "Mã đèn", "Lamp id", TEXT, description_vi="Mã đèn.", example="TH-012"),
        Column(
            "reported_on",
            "Ngày tiếp nhận",
            "Date reported",
            DATE,
            required=True,
            description_vi="Ngày tiếp nhận báo hỏng.",
            example="02/09/2026",
        ),
        Column(
            "repaired_on",
            "Ngày sửa xong",
            "Date repaired",
            DATE,
            description_vi="Ngày sửa xong; bắt buộc khi trạng thái là Đã sửa, không trước ngày tiếp nhận.",
            example="04/09/2026",
        ),
        Column(
            "cause",
            "Nguyên nhân",
            "Cause",
            ENUM,
            description_vi="Nguyên nhân hư hỏng.",
            choices=(
                _c("burnt_out", "Cháy bóng", "Burnt out"),
                _c("cable_fault", "Sự cố cáp", "Cable fault"),
                _c("pole_damage", "Hỏng cột", "Pole damage"),
                _c("storm", "Mưa bão", "Storm"),
                _c("vandalism", "Phá hoại", "Vandalism"),
                _c("other", "Khác", "Other"),
            ),
            example="burnt_out",
        ),
        Column(
            "status",
            "Trạng thái",
            "Status",
            ENUM,
            required=True,
            description_vi="Trạng thái xử lý.",
            choices=(
                _c("open", "Chưa xử lý", "Open"),
                _c("repaired", "Đã sửa", "Repaired"),
                _c("cancelled", "Hủy", "Cancelled"),
            ),
            aliases=("Tình trạng",),
            example="repaired",
        ),
    ),
    rules=(
        Rule(NOT_BEFORE, "repaired_on", other="reported_on"),
        Rule(REQUIRED_WHEN, "repaired_on", when_column="status", when_value="repaired"),
        Rule(KNOWN_GROUP, "group_code"),
        Rule(UPLOADING_UNIT, "unit_code"),
    ),
)

FEEDS: dict[str, Contract] = {
    c.name: c for c in (VIOLATIONS, CLEANUPS, SORTING_INSPECTIONS, LIGHTING_REPAIRS)
}

GROUPS = Contract(
    name="groups",
    label_vi="Danh sách tổ dân phố",
    label_en="Residential groups",
    description_vi="Các tổ dân phố của phường: mã, tên, số hộ, số nhân khẩu.",
    description_en="The ward's residential groups.",
    key=("group_code",),
    reference=True,
    columns=(
        Column(
            "group_code",
            "Mã tổ dân phố",
            "Group code",
            TEXT,
            required=True,
            description_vi="Mã tổ dân phố, không trùng.",
            aliases=("Mã TDP",),
            example="TDP05",
        ),
        Column(
            "group_name",
            "Tên tổ dân phố",
            "Group name",
            TEXT,
            required=True,
            description_vi="Tên tổ dân phố.",
            aliases=("Tên TDP",),
            example="Tổ dân phố số 5",
        ),
        Column(
            "households",
            "Số hộ",
            "Households",
            INTEGER,
            required=True,
            minimum=1,
            description_vi="Số hộ gia đình, ít nhất 1.",
            example="320",
        ),
        Column(
            "population",
            "Số nhân khẩu",
            "Population",
            INTEGER,
            required=True,
            minimum=1,
            description_vi="Số nhân khẩu, không ít hơn số hộ.",
            example="1.150",
        ),
    ),
    rules=(Rule(AT_LEAST_COLUMN, "population", other="households"),),
)

UNITS = Contract(
    name="units",
    label_vi="Danh sách đơn vị",
    label_en="Reporting units",
    description_vi="Các đơn vị gửi báo cáo và loại dữ liệu mỗi đơn vị được gửi.",
    description_en="The ward's reporting units.",
    key=("unit_code",),
    reference=True,
    columns=(
        Column(
            "unit_code",
            "Mã đơn vị",
            "Unit code",
            TEXT,
            required=True,
            description_vi="Mã đơn vị, không trùng.",
            example="CAP",
        ),
        Column(
            "unit_name",
            "Tên đơn vị",
            "Unit name",
            TEXT,
            required=True,
            description_vi="Tên đơn vị.",
            example="Công an phường Lê Chân",
        ),
        Column(
            "feeds",
            "Loại dữ liệu",
            "Feeds",
            FEED_LIST,
            required=True,
            description_vi="Các loại dữ liệu đơn vị được gửi, cách nhau bởi ; hoặc ,.",
            example="violations;cleanups",
        ),
    ),
)

REFERENCES: dict[str, Contract] = {c.name: c for c in (GROUPS, UNITS)}
ALL_CONTRACTS: dict[str, Contract] = {**FEEDS, **REFERENCES}


def feed(name: str) -> Contract:
    """The contract of a feed by its canonical name."""
    try:
        return FEEDS[name]
    except KeyError:
        raise KeyError(f"Không có loại dữ liệu '{name}'. Các loại hợp lệ: {', '.join(FEEDS)}") from None

"""Issue 10's pages in Chromium at 1366 and 390 px: the scorecard, one indicator across the groups, the
period kept in the address, the one-page PDF, and the phone checks (headline in sight, no clipped or
overlapping labels, legends, unit names).

Screenshots land in test-artifacts/screenshots/ (bang-diem-1366.png, chi-tieu-390.png, …).
"""

from __future__ import annotations

import io
import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import LEADER, _context, _signed_in, _tab

INDICATOR = "sorting_compliance_rate"
PERIOD = "2026-10"
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}


@pytest.fixture(scope="module", params=list(WIDTHS))
def tab(request, browser, server):
    """The leader signed in at that screen width (one tab per width for this module)."""
    context = _context(browser, WIDTHS[request.param])
    signed_in = _signed_in(context, server)
    signed_in.width = request.param
    yield signed_in
    context.close()


def _query(tab) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(tab.page.url).query).items()}


def _no_sideways_scroll(tab) -> None:
    width = int(tab.width)
    assert tab.page.evaluate("() => document.documentElement.scrollWidth") <= width


def _first_column_in_sight(tab, grid) -> None:
    """A table's key column (pinned) is inside the screen, whatever the table's width."""
    box = grid.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + 100 <= int(tab.width), box


def _click_cell(tab, grid, x: float, y: float) -> None:
    """Click inside a table (a canvas): x, y in px from its top-left corner."""
    grid.scroll_into_view_if_needed()
    tab.wait_idle()
    tab.next_frame()
    box = grid.bounding_box()
    assert 0 <= box["y"] + y <= tab.page.viewport_size["height"], box  # the point is on the screen
    tab.page.mouse.move(box["x"] + x, box["y"] + y)  # the grid draws its hover first, as for a person
    tab.next_frame()
    tab.rerun_after(lambda: tab.page.mouse.click(box["x"] + x, box["y"] + y))


def test_scorecard_page(tab):
    tab.open("/bang-diem", period=PERIOD)
    tab.assert_no_error()
    assert tab.title() == "Bảng điểm"
    assert _query(tab)["period"] == PERIOD
    assert tab.selected("period_select") == "Tháng 10/2026"
    main = tab.page.locator('[data-testid="stMain"]').inner_text()
    for text in ("Chú giải", "Đạt", "Gần đạt", "Chưa đạt", "Toàn phường", "Các tổ dân phố"):
        assert text in main
    grids = tab.page.locator('[data-testid="stDataFrame"]')
    assert grids.count() == 2  # the ward's row above the groups
    _first_column_in_sight(tab, grids.nth(1))
    _no_sideways_scroll(tab)
    tab.screenshot(f"bang-diem-{tab.width}")
    # A cell opens that group's records for that indicator (second group, first indicator column).
    first_indicator_x = 130 + 64 + 40  # pinned group column, the "achieved" count, into the next column
    if int(tab.width) < 400:
        first_indicator_x = min(first_indicator_x, int(tab.width) - 60)
    _click_cell(tab, grids.nth(1), first_indicator_x, 38 + 35 + 17)
    tab.assert_no_error()
    assert urlsplit(tab.page.url).path == "/truy-nguyen", tab.page.url
    query = _query(tab)
    assert query["group"] == "TDP02" and query["period"] == PERIOD and query["indicator"]


def test_one_indicator_page(tab):
    tab.open("/chi-tieu", indicator=INDICATOR, period=PERIOD)
    tab.assert_no_error()
    assert tab.title() == "Một chỉ tiêu, mọi tổ"
    assert tab.selected("indicator_pick") == "Tỷ lệ hộ phân loại rác đúng"
    assert _query(tab) == {"indicator": INDICATOR, "period": PERIOD}
    grid = tab.page.locator('[data-testid="stDataFrame"]').first
    _first_column_in_sight(tab, grid)
    _no_sideways_scroll(tab)
    tab.wait_charts_drawn()
    tab.screenshot(f"chi-tieu-{tab.width}")
    # One click on a group's row opens its records for the indicator.
    _click_cell(tab, grid, 14, 38 + 17)
    tab.assert_no_error()
    assert urlsplit(tab.page.url).path == "/truy-nguyen", tab.page.url
    assert _query(tab)["indicator"] == INDICATOR and _query(tab)["period"] == PERIOD
    assert "group" in _query(tab)


def test_the_period_is_kept_in_the_address_and_honoured_by_every_page(tab):
    tab.open("/chi-tieu", indicator=INDICATOR, period="2026-09")
    assert tab.selected("period_select") == "Tháng 09/2026"
    # The evaluations page follows the same control: a month shows the evaluation it lies in.
    tab.open("/danh-gia", period="2026-09")
    tab.assert_no_error()
    main = tab.page.locator('[data-testid="stMain"]').inner_text()
    assert "Kỳ đang chọn (Tháng 09/2026)" in main
    assert tab.selected("period_select") == "Tháng 09/2026"
    assert _query(tab)["period"] == "2026-09"
    tab.screenshot(f"danh-gia-thang-{tab.width}")


def test_a_shared_link_opens_the_same_view_after_signing_in(tab, browser, server):
    """A link with the indicator and the period, opened by someone else: the same page and period."""
    context = _context(browser, WIDTHS[tab.width])
    try:
        fresh = _tab(context, server).load("/chi-tieu", indicator=INDICATOR, period="2026-09")
        dialog = fresh.page.get_by_role("dialog")
        if dialog.count():
            fresh.page.keyboard.press("Escape")
            dialog.wait_for(state="hidden")
        fresh.sign_in(LEADER["username"], LEADER["password"])
        fresh.assert_no_error()
        assert fresh.title() == "Một chỉ tiêu, mọi tổ"
        assert fresh.selected("period_select") == "Tháng 09/2026"
        assert fresh.selected("indicator_pick") == "Tỷ lệ hộ phân loại rác đúng"
    finally:
        context.close()


def test_overview_headline_within_two_screens_and_cards_link_to_the_indicator(tab):
    tab.open("/", period=PERIOD)
    tab.assert_no_error()
    headline = tab.page.locator(".st-key-overview_headline")
    assert "chỉ tiêu đạt" in headline.inner_text()
    height = WIDTHS[tab.width]["height"]
    assert headline.bounding_box()["y"] + headline.bounding_box()["height"] <= 2 * height
    _no_sideways_scroll(tab)
    card = tab.page.locator(f".st-key-card_{INDICATOR}")
    tab.screenshot(f"tong-quan-{tab.width}")
    tab.rerun_after(lambda: card.get_by_role("link", name="Xem theo tổ").click())
    assert urlsplit(tab.page.url).path == "/chi-tieu"
    assert _query(tab)["indicator"] == INDICATOR and _query(tab)["period"] == PERIOD


def _texts_overlap(boxes: list[dict]) -> bool:
    boxes = sorted(boxes, key=lambda b: b["x"])
    return any(a["x"] + a["width"] > b["x"] + 1 for a, b in itertools.pairwise(boxes))


def test_charts_labels_neither_overlap_nor_clip(tab):
    tab.open("/to-dan-pho", group="TDP02", period=PERIOD)
    tab.assert_no_error()
    tab.wait_charts_drawn(at_least=2)
    trend = tab.page.locator(".st-key-group_trend .xtick text")
    boxes = [t.bounding_box() for t in trend.all()]
    assert boxes and not _texts_overlap(boxes), boxes
    gap = tab.page.locator(".st-key-group_against_target")
    chart = gap.locator(".main-svg").first.bounding_box()
    for note in gap.locator(".annotation-text").all():
        box = note.bounding_box()
        assert box["x"] >= chart["x"] - 1 and box["x"] + box["width"] <= chart["x"] + chart["width"] + 1
    _no_sideways_scroll(tab)
    tab.screenshot(f"to-dan-pho-{tab.width}")


def test_completeness_heatmap_has_a_legend_and_unit_names(tab):
    tab.open("/bao-cao", period=PERIOD)
    tab.assert_no_error()
    tab.wait_charts_drawn()
    chart = tab.page.locator(".st-key-completeness_grid")
    legend = " ".join(chart.locator(".legend text").all_text_contents())
    for status in ("Đúng hạn", "Muộn", "Chưa gửi"):
        assert status in legend
    labels = " ".join(chart.locator(".ytick text").all_text_contents())
    assert "Công an phường" in labels
    assert "CAP ·" not in labels
    tab.screenshot(f"bao-cao-{tab.width}")


def test_one_page_scorecard_pdf_reads_back(tab):
    if tab.width != "1366":
        pytest.skip("the download is the same file at any width")
    from pypdf import PdfReader

    data, name = tab.ensure("/danh-gia", period="conference-2026").download("report_onepage")
    assert name == "bang-diem-conference-2026.pdf"
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = pdf.pages[0].extract_text()
    for words in ("BẢNG ĐIỂM THI ĐUA", "Tổ dân phố số 2", "Các tổ còn chậm nhất", "CHỦ TỊCH"):
        assert words in text

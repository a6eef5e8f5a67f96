"""The overview's compact indicator cards: value, small trend, change, target; formula one click away."""

from __future__ import annotations

import streamlit as st

from dashboard import fmt
from dashboard.i18n import lang, pick, t

BADGES = {"achieved": "green", "near": "orange", "behind": "red", "grey": "gray"}


def card(row: dict, *, period_key: str) -> None:
    """One indicator of the ward: a metric with its monthly trend and change, its standing and target."""
    language = lang()
    name = pick(row, "indicator_name") if language == "vi" else (row.get("name_en") or row["indicator_name_vi"])
    unit = (row.get("unit_en") if language == "en" else None) or row.get("unit_vi") or ""
    status = row.get("cell_status") or "grey"
    value = "—" if row.get("value") is None else f"{fmt.smart(row['value'], language)} {unit}".strip()
    change = None
    if row.get("value") is not None and row.get("previous_value") is not None:
        change = fmt.signed(row["value"] - row["previous_value"], language)
    formula = (row.get("formula_en") if language == "en" else None) or row.get("formula_vi") or ""
    direction = t("direction_" + row["direction"])
    st.markdown(f":{BADGES[status]}-badge[{t('cell_' + status)}]")
    st.metric(
        name,
        value,
        delta=change,
        delta_color="normal" if row["direction"] == "higher" else "inverse",
        delta_description=t("vs_previous", period=row.get("previous_label_vi") or "") if change else None,
        chart_data=row.get("monthly_values") or None,
        chart_type="line",
        help=f"{t('formula')}: {formula} ({direction})",
    )
    bits = [t("card_target", target=fmt.smart(row.get("target"), language))]
    if row.get("value") is None and row.get("reason_vi"):
        bits.append(t("null_reason", reason=row["reason_vi"]))
    if row.get("last_year_value") is not None:
        bits.append(t("vs_last_year", value=fmt.smart(row["last_year_value"], language)))
    st.caption(" · ".join(bits))
    st.page_link(
        "views/indicator.py",
        label=t("card_open"),
        icon=":material/leaderboard:",
        query_params={"indicator": row["indicator_id"], "period": period_key},
    )


def grid(rows: list[dict], *, key: str, per_row: int = 4, **card_args) -> None:
    """Cards row by row, so that on a phone (columns stacked) they keep their order."""
    for start in range(0, len(rows), per_row):
        columns = st.columns(per_row)
        for column, row in zip(columns, rows[start : start + per_row], strict=False):
            with column.container(border=True, key=f"{key}_{row['indicator_id']}"):
                card(row, **card_args)

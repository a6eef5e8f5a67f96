"""The city pages' query layer: warehouse/city/view.py (named SQL on Parquet), cached per refresh.

The folders come from the environment `dothixanh city serve` sets: DOTHIXANH_CITY (the `city refresh`
output) and DOTHIXANH_CITY_STORE (the city store, for the wards' periods and their groups).
"""

from __future__ import annotations

import os

import polars as pl
import streamlit as st

from warehouse.city.view import CityView, CityViewMissing  # noqa: F401  (the app's message)


def folders() -> tuple[str, str]:
    return os.environ.get("DOTHIXANH_CITY", ""), os.environ.get("DOTHIXANH_CITY_STORE", "")


@st.cache_resource(show_spinner=False)
def _view(city: str, store: str) -> CityView:
    return CityView(city, store)


def view() -> CityView:
    return _view(*folders())


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(city: str, store: str, version: str, name: str, params: tuple) -> pl.DataFrame:
    return _view(city, store).query(name, **dict(params))


def query(name: str, **params) -> pl.DataFrame:
    """warehouse/city/queries/NAME.sql with named parameters, for the marts as they are now."""
    city, store = folders()
    return _cached(city, store, view().version(), name, tuple(sorted(params.items())))


def periods() -> pl.DataFrame:
    return query("city_periods")


def wards() -> pl.DataFrame:
    return query("city_wards")


def indicators() -> pl.DataFrame:
    return query("city_indicators")


def league(evaluation: str) -> pl.DataFrame:
    return query("city_league", evaluation=evaluation)


def components(evaluation: str) -> pl.DataFrame:
    return query("city_components", evaluation=evaluation)


def indicator_wards(indicator: str, period: str) -> pl.DataFrame:
    return query("city_indicator_wards", indicator=indicator, period=period)


def ward_indicators(ward: str, period: str) -> pl.DataFrame:
    return query("city_ward_indicators", ward=ward, period=period)


def ward_groups(ward: str, indicator: str, period: str) -> pl.DataFrame:
    return query("city_ward_groups", ward=ward, indicator=indicator, period=period)


def ward_league(ward: str, evaluation: str) -> pl.DataFrame:
    return query("city_ward_league", ward=ward, evaluation=evaluation)

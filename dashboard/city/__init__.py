"""The city's view (issue 13): the wards ranked, one indicator across the wards, a ward down to its groups.

Served by `dothixanh city serve` (dashboard/city_server.py runs dashboard/city/app.py). It reuses the
ward dashboard's modules (i18n, style, tables, grids, standing, sign-in and cookie session); its own
accounts (role `city`) live in the city's folder.
"""

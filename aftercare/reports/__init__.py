"""Reports: dashboards, the funder indicators, the gap map, exports and the CTDC export.

Everything here reads other apps' records and writes only its own export jobs. Who sees what
is decided once, in `scope.py`; small cells are hidden once, in `cells.py`.
"""

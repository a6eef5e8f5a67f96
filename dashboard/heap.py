"""The served app's long-lived objects kept out of Python's full garbage collections.

Streamlit runs a full collection (`gc.collect(2)`) after every script run (`runner.postScriptGC`), so
that a run's garbage does not pile up. A full collection walks every object the process holds: with
pandas, polars, plotly and the app's modules loaded, about 140.000 of them, 0,04–0,07 s per run, a
third of a page view's server CPU on the demo ward, paid again by each of the many people at once.

Objects that live as long as the server (modules, their functions, classes and constants) are loaded
once when the server starts and frozen (`gc.freeze`): later collections skip them. Whatever a run
leaves behind is new and is collected after the run as before.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import pkgutil
import time
from collections.abc import AsyncIterator

from streamlit.logger import get_logger

# What the pages load on their first run (Streamlit converts tables through pandas and pyarrow).
LIBRARIES = ("pandas", "pyarrow", "polars", "numpy", "duckdb", "plotly.graph_objects", "plotly.io")
# Files of the package that Streamlit runs as scripts (pages and entry points), never imported.
SCRIPTS = {"app", "server", "city_server"}

_LOGGER = get_logger(__name__)  # Streamlit's: it reaches the server's log


def load_and_freeze(package: str = "dashboard") -> int:
    """Import the libraries and every module of `package` (but its scripts and page folders), collect
    once, then freeze what is left; the number of objects frozen."""
    for name in LIBRARIES:
        importlib.import_module(name)
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        if module.name.rsplit(".", 1)[1] not in SCRIPTS:  # the page folders are not packages
            importlib.import_module(module.name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@contextlib.asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """`st.App(lifespan=…)`: run once when the server has started Streamlit's runtime (so the pages'
    caches find it), before the first request."""
    began = time.perf_counter()
    frozen = load_and_freeze()
    _LOGGER.info("%d objects kept out of garbage collection in %.1f s", frozen, time.perf_counter() - began)
    yield

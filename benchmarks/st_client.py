"""A light Streamlit client for load tests: one session over Streamlit's own websocket protocol.

It sends what a browser tab sends (the first run with the address's page and parameters, the login
form's fields and its submit button, a page switch) and reads what comes back, without drawing
anything: a browser tab costs about half a second of its own CPU per page view here, so one core of
browsers cannot keep 25 sessions of any Streamlit app going, while this client costs a few
milliseconds. The server does the same work for it as for a tab (the same script runs, the same
messages serialised and sent), which is what `benchmarks/sessions.py --capacity` measures.

The pieces of the protocol used (streamlit/proto, Streamlit 1.67): the websocket at /_stcore/stream
with the «streamlit» subprotocol, BackMsg.rerun_script (ClientState: query string, page, widget
states), ForwardMsg.navigation (the pages' hashes), deltas (the widgets' ids, errors), script_finished.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
# The page's request to the server's cookie routes (dashboard/auth.py cookie_script): a tab's browser
# runs it; this client posts the same body.
COOKIE_FETCH = re.compile(r'fetch\((".*?"), \{.*?body: (".*?")\}\)')


class ProtocolError(RuntimeError):
    """The server closed the session or never finished a run."""


@dataclass
class Run:
    """What one script run sent back."""

    elements: list = field(default_factory=list)  # the Element protos of the run's deltas
    errors: list[str] = field(default_factory=list)  # exceptions and error boxes, their text
    received: int = 0  # bytes


class Session:
    """One Streamlit session over a websocket, as a tab keeps it open."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # url path ("" for the default) -> page script hash
        self.widgets: dict[str, WidgetState] = {}  # the values this session has set
        self.query = ""
        self.received = 0
        self._socket = None
        self._last = Run()
        self._cache: dict[str, ForwardMsg] = {}  # as a tab's: messages the server may send by hash only

    async def __aenter__(self) -> Session:
        from websockets.asyncio.client import connect

        host = urllib.parse.urlsplit(self.url).netloc
        # A tab first loads the page (index.html; its scripts come from the browser's cache).
        await asyncio.to_thread(self._get, "/")
        self._socket = await connect(
            "ws://" + host + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.url,
            max_size=None,
            open_timeout=self.timeout,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._socket is not None:
            await self._socket.close()

    def _get(self, path: str) -> None:
        with urllib.request.urlopen(self.url + path, timeout=self.timeout) as response:
            response.read()

    def _post(self, path: str, body: str) -> None:
        request = urllib.request.Request(
            self.url + path, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except OSError:
            pass  # the cookie is the browser's business; a refused one changes nothing on the server

    async def open(self, path: str = "/", query: str = "") -> Run:
        """The first run of a new tab at `path` (a page's address) with the address's parameters."""
        self.query = query
        return await self._rerun(page_name=path.strip("/"))

    async def goto(self, path: str) -> Run:
        """Another page in the same session, as the sidebar's links do."""
        name = path.strip("/")
        self.query = ""  # a link to a page's address: the page puts its parameters back
        return await self._rerun(page_script_hash=self.pages.get(name, ""), page_name=name)

    async def submit(self, fields: dict[str, str]) -> Run:
        """Fill the text inputs labelled as `fields`' keys and press the form's submit button."""
        inputs = {e.text_input.label: e.text_input for e in self._last.elements if e.HasField("text_input")}
        if any(label not in inputs for label in fields):
            raise ProtocolError(f"no form with {sorted(fields)} on the page ({sorted(inputs)})")
        form = inputs[next(iter(fields))].form_id
        buttons = [
            e.button
            for e in self._last.elements
            if e.HasField("button") and e.button.is_form_submitter and e.button.form_id == form
        ]
        if not buttons:
            raise ProtocolError(f"the form of {sorted(fields)} has no submit button")
        for label, value in fields.items():
            self.widgets[inputs[label].id] = WidgetState(id=inputs[label].id, string_value=value)
        return await self._rerun(extra=[WidgetState(id=buttons[0].id, trigger_value=True)])

    async def _rerun(self, page_script_hash: str = "", page_name: str = "", extra=()) -> Run:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_script_hash = page_script_hash
        state.page_name = page_name
        state.widget_states.widgets.extend([*self.widgets.values(), *extra])
        state.cached_message_hashes.extend(self._cache)
        state.context_info.timezone = "Asia/Ho_Chi_Minh"
        state.context_info.locale = "vi-VN"
        state.context_info.url = self.url + "/" + page_name
        await self._socket.send(message.SerializeToString())
        run = Run()
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                data = await asyncio.wait_for(self._socket.recv(), max(0.1, deadline - time.monotonic()))
            except TimeoutError as exc:
                raise ProtocolError(f"no end of the run after {self.timeout:.0f} s") from exc
            run.received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            if forward.WhichOneof("type") == "ref_hash" and forward.ref_hash in self._cache:
                forward = self._cache[forward.ref_hash]
            elif forward.metadata.cacheable:
                self._cache[forward.hash] = forward
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.HasField("new_element"):
                self._element(forward.delta.new_element, run)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query = forward.page_info_changed.query_string
            elif kind == "script_finished" and forward.script_finished != EARLY:
                break
        self.received += run.received
        self._last = run
        # As a tab: the values of widgets no longer on the page are not sent again.
        shown = {_widget_id(e) for e in run.elements} - {""}
        self.widgets = {k: v for k, v in self.widgets.items() if k in shown}
        return run

    def _element(self, element, run: Run) -> None:
        run.elements.append(element)
        if element.HasField("exception"):
            run.errors.append(f"{element.exception.type}: {element.exception.message}"[:200])
        elif element.HasField("alert") and element.alert.format == element.alert.ERROR:
            run.errors.append(element.alert.body[:200])
        elif element.HasField("html") and (found := COOKIE_FETCH.search(element.html.body)):
            route, body = json.loads(found.group(1)), json.loads(found.group(2))
            asyncio.get_running_loop().run_in_executor(None, self._post, route, body)


def _widget_id(element) -> str:
    """The widget's id ("" for an element that is not a widget)."""
    kind = element.WhichOneof("type")
    return getattr(getattr(element, kind), "id", "") if kind else ""

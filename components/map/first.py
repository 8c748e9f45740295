"""The map's message first: a map page's other elements follow it to the browser.

Streamlit sends a script run's elements in the order the script writes them, and the
browser draws all that have arrived in one pass (React) before the map's frame receives
its new view. A map page writes ~30 elements before and around its map (the sidebar, the
page's title and pickers, the legend…): on a page change the map waited until all of them
were drawn again (~120 ms of the browser's main thread; issue 29).

:class:`MapFirst` holds a map page's element messages (Streamlit's deltas; every other
message passes) from the start of the run until the map's message is written
(:func:`release`, called by components.map.frame.Frame.show). It then sends the map's
message with the containers it is placed in, gives the browser :data:`HEAD_START` seconds
to hand the map its view, and sends the held messages in their order; after that the run
sends as usual. Every element keeps its place on the page (a message carries its position);
only the moment it reaches the browser changes: the page's title and pickers arrive
``HEAD_START`` later than the map.

The browser accepts an element only at a position its container has already reached (no
gaps): were an element needed before the map's place (never with the map frame, whose row
follows containers only), everything is sent in the script's order. Nothing is held longer
than :data:`MAX_HOLD` seconds (a view computed from cold caches shows its title meanwhile),
and a run that ends without a map (an error, a page without one, ``st.stop``) sends what it
held when it ends.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

#: Seconds the map's message goes ahead of the page's other elements. Measured on a page
#: change (benchmarks.load, README): with 0.015 s the browser often received the rest
#: before it had handed the map its view (map drawn 84–211 ms after the click), with 0.04 s
#: it had not (89–154 ms; 161–271 ms before).
HEAD_START = 0.04
#: Seconds after which a run that has not written its map sends what it holds.
MAX_HOLD = 1.0
_LOCAL = threading.local()


def _is_map(msg: ForwardMsg) -> bool:
    return (msg.WhichOneof("type") == "delta"
            and msg.delta.WhichOneof("type") == "new_element"
            and msg.delta.new_element.WhichOneof("type") == "component_instance")


def places(held: list[ForwardMsg], path: list[int]) -> list[ForwardMsg] | None:
    """The held messages the browser needs before an element at ``path``: the containers on
    the way and those before them in each (their positions), in the script's order; None
    when one of them is an element (which stays in the script's order)."""
    need = []
    for msg in held:
        p = list(msg.metadata.delta_path)
        if (len(p) <= len(path) and p != path and p[:-1] == path[:len(p) - 1]
                and p[-1] <= path[len(p) - 1]):
            if msg.delta.WhichOneof("type") != "add_block":
                return None
            need.append(msg)
    return need


class MapFirst:
    """Hold the element messages of this script run until :meth:`release` (see module).
    ``ctx``: the script run's context (default: this thread's)."""

    def __init__(self, ctx=None) -> None:
        self.ctx = ctx if ctx is not None else get_script_run_ctx()
        self.held: list[ForwardMsg] = []
        self.send: Callable[[ForwardMsg], None] | None = None
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None

    def __enter__(self) -> MapFirst:
        if self.ctx is not None:
            self.send = self.ctx._enqueue
            self.ctx._enqueue = self._hold
            _LOCAL.current = self
            self.timer = threading.Timer(MAX_HOLD, self._stop)
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop()
        if getattr(_LOCAL, "current", None) is self:
            _LOCAL.current = None

    def _hold(self, msg: ForwardMsg) -> None:
        with self.lock:
            if self.send is not None and msg.WhichOneof("type") == "delta":
                self.held.append(msg)
                return
            send = self.send or self.ctx._enqueue
        send(msg)

    def _stop(self) -> None:
        """Send everything held, in the script's order, and stop holding."""
        with self.lock:
            if self.send is None:
                return
            send, self.send = self.send, None
            self.ctx._enqueue = send
            for msg in self.held:
                send(msg)
            self.held = []
        if self.timer is not None:
            self.timer.cancel()

    def release(self) -> None:
        """The map's message has been written: send it with its containers, then, after
        :data:`HEAD_START`, the rest."""
        with self.lock:
            maps = [m for m in self.held if _is_map(m)]
            first = (places(self.held, list(maps[-1].metadata.delta_path))
                     if maps and self.send is not None else None)
            if first is not None:
                first.append(maps[-1])
                for msg in first:
                    self.send(msg)
                self.held = [m for m in self.held if not any(m is f for f in first)]
        if first is not None and self.held:
            time.sleep(HEAD_START)
        self._stop()


def release() -> None:
    """A map has been written in this script run (nothing happens without MapFirst)."""
    current = getattr(_LOCAL, "current", None)
    if current is not None:
        current.release()

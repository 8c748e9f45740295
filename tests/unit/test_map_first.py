"""components.map.first: a map page's messages are held until its map's, which goes first
with the containers it needs, then the rest in the script's order (issue 29)."""
from __future__ import annotations

import threading
import time

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from components.map import first


class Ctx:
    """What MapFirst uses of a script run's context: the function that sends a message."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._enqueue = lambda msg: self.sent.append(_name(msg))


def _msg(path: list[int], kind: str, text: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = path
    if kind == "block":
        msg.delta.add_block.expandable.label = text
    elif kind == "map":
        msg.delta.new_element.component_instance.component_name = "map"
    else:
        msg.delta.new_element.markdown.body = text
    return msg


def _name(msg: ForwardMsg) -> str:
    if msg.WhichOneof("type") != "delta":
        return msg.WhichOneof("type")
    kind = msg.delta.WhichOneof("type")
    what = ("map" if msg.delta.new_element.WhichOneof("type") == "component_instance"
            else "block" if kind == "add_block" else "element")
    return f"{what}{list(msg.metadata.delta_path)}"


def _accepted_by_browser(sent: list[str]) -> bool:
    """The browser's rule (Streamlit's frontend: "Bad delta path index"): an element or
    container goes into an existing container, at most one past its last child."""
    children: dict[tuple, int] = {(0,): 0, (1,): 0}
    for name in sent:
        if "[" not in name:
            continue
        path = tuple(int(i) for i in name[name.index("[") + 1:-1].split(","))
        parent, index = path[:-1], path[-1]
        if parent not in children or index > children[parent]:
            return False
        children[parent] = max(children[parent], index + 1)
        if name.startswith("block"):
            children.setdefault(path, 0)
    return True


@pytest.fixture
def head_start(monkeypatch):
    """Record the head start in the order of sent messages instead of sleeping."""
    def record(ctx):
        monkeypatch.setattr(first.time, "sleep", lambda s: ctx.sent.append(f"wait {s}"))
    return record


def _page(ctx, with_element_before_row: bool = False) -> None:
    """A map page as the shell and frame write it: sidebar, page containers, the page's
    title, the map row, the map, then the legend beside it."""
    send = ctx._enqueue
    send(_msg([1, 0], "element", "sidebar"))
    other = ForwardMsg()
    other.page_info_changed.query_string = "wilayah=62"
    send(other)                                       # not an element: goes at once
    if with_element_before_row:
        send(_msg([0, 0], "element", "a warning in the page itself"))
    else:
        send(_msg([0, 0], "block", "above"))
    send(_msg([0, 1], "block", "row"))
    send(_msg([0, 1, 0], "block", "map column"))
    send(_msg([0, 1, 1], "block", "side column"))
    if not with_element_before_row:
        send(_msg([0, 0, 0], "element", "title"))
    send(_msg([0, 1, 0, 0], "map"))


def test_the_map_goes_first_with_its_containers_then_the_rest_in_order(head_start):
    ctx = Ctx()
    head_start(ctx)
    with first.MapFirst(ctx):
        _page(ctx)
        assert ctx.sent == ["page_info_changed"]      # every element held so far
        first.release()
        ctx._enqueue(_msg([0, 1, 1, 0], "element", "legend"))
    assert ctx.sent == [
        "page_info_changed",
        "block[0, 0]", "block[0, 1]", "block[0, 1, 0]", "map[0, 1, 0, 0]",
        f"wait {first.HEAD_START}",
        "element[1, 0]", "block[0, 1, 1]", "element[0, 0, 0]",
        "element[0, 1, 1, 0]"]                        # after the release: sent as written
    assert _accepted_by_browser(ctx.sent)


def test_an_element_needed_before_the_map_keeps_the_script_order(head_start):
    ctx = Ctx()
    head_start(ctx)
    with first.MapFirst(ctx):
        _page(ctx, with_element_before_row=True)
        first.release()
    assert ctx.sent == ["page_info_changed", "element[1, 0]", "element[0, 0]", "block[0, 1]",
                        "block[0, 1, 0]", "block[0, 1, 1]", "map[0, 1, 0, 0]"]
    assert _accepted_by_browser(ctx.sent)


def test_a_run_without_a_map_sends_what_it_held_when_it_ends(head_start):
    ctx = Ctx()
    head_start(ctx)
    with pytest.raises(RuntimeError), first.MapFirst(ctx):
        ctx._enqueue(_msg([1, 0], "element", "sidebar"))
        ctx._enqueue(_msg([0, 0], "element", "error message"))
        assert ctx.sent == []
        raise RuntimeError("the page failed")
    assert ctx.sent == ["element[1, 0]", "element[0, 0]"]
    first.release()                                   # outside a run: nothing happens
    assert ctx.sent == ["element[1, 0]", "element[0, 0]"]


def test_nothing_is_held_longer_than_max_hold(monkeypatch):
    monkeypatch.setattr(first, "MAX_HOLD", 0.05)
    ctx = Ctx()
    with first.MapFirst(ctx) as mf:
        ctx._enqueue(_msg([1, 0], "element", "sidebar"))
        deadline = time.monotonic() + 30
        while not ctx.sent and time.monotonic() < deadline:   # the timer sends it
            time.sleep(0.01)
        assert ctx.sent == ["element[1, 0]"]
        ctx._enqueue(_msg([0, 0], "block", "above"))   # from now on: as written
        assert ctx.sent == ["element[1, 0]", "block[0, 0]"]
        mf.release()
    assert ctx.sent == ["element[1, 0]", "block[0, 0]"]


def test_messages_from_another_thread_keep_their_order():
    ctx = Ctx()
    with first.MapFirst(ctx):
        ctx._enqueue(_msg([0, 0], "block", "above"))
        worker = threading.Thread(target=lambda: ctx._enqueue(_msg([0, 0, 0], "element", "x")))
        worker.start()
        worker.join()
    assert ctx.sent == ["block[0, 0]", "element[0, 0, 0]"]

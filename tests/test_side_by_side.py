"""The book's picture, the side-by-side page, and Jupyter (SPEC §4, §7)."""

import re
import xml.etree.ElementTree as ET

import pytest

from notation import parse
from notation.emit.diagram import svg, text
from notation.side_by_side import html_fragment, html_page, views

from .tools import missing, require_tool

BOOK = "l2 = relu(l0W0)W1"

BOOK_TEXT = """\
   ○      l2 · layer_2 · 1×1
┌──┴─┐
│ W1 │    4×1 weights_1_2  = l1W1
└──┬─┘
○ ○ ○ ○   l1 · layer_1 · 1×4 · relu
┌──┴─┐
│ W0 │    3×4 weights_0_1  = l0W0
└──┬─┘
 ○ ○ ○    l0 · layer_0 · 1×3"""


def test_text_diagram_of_the_book_network():
    assert text(views(parse(BOOK), sizes="3,4,1").picture()) == BOOK_TEXT


def test_wide_layers_are_capped_with_their_count():
    pic = views(parse("l1 = relu(l0W0 + b0) ⊙ M1; l2 = softmax(l1W1)"),
                sizes="784,40,10", batch="b").picture()
    drawing = text(pic)
    assert "l0 · layer_0 · b×784 · 784 units" in drawing
    assert "l1 · layer_1 · b×40 · 40 units · relu ⊙ M1" in drawing
    assert "○ ○ ○ ○ ○ ○ ○ ○ ○ ○ ○ … ○" in drawing
    assert max(len(line) for line in drawing.splitlines()) <= 100


def _svg_labels(document):
    root = ET.fromstring(document)
    ns = {"s": "http://www.w3.org/2000/svg"}
    return root, {t.text: float(t.get("y")) for t in root.findall(".//s:text", ns)}


def test_svg_is_well_formed_with_layer_0_at_the_bottom():
    root, labels = _svg_labels(svg(views(parse(BOOK), sizes="3,4,1").picture()))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    y = {label.split(" · ")[0]: pos for label, pos in labels.items() if " · layer_" in label}
    assert y["l0"] > y["l1"] > y["l2"]          # SVG y grows downwards: l0 lowest
    assert labels["W0"] > labels["W1"]
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:rect[@class='layer']", ns)) == 3
    assert len(root.findall(".//s:rect[@class='matrix']", ns)) == 2
    assert len(root.findall(".//s:circle", ns)) == 3 + 4 + 1


def test_svg_escapes_what_it_prints():
    root, labels = _svg_labels(svg(views(parse("l1 = l0W_{out} ⊙ M"), dims="l0=3").picture()))
    assert any("⊙" in label for label in labels)


def test_the_page_is_self_contained():
    page = html_page(parse(BOOK), sizes="3,4,1")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<link" not in page and "@import" not in page
    urls = set(re.findall(r"https?://[^\s'\"]+", page))
    assert urls <= {"http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg"}
    import html
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "layer_2 = relu(layer_0.dot(weights_0_1)).dot(weights_1_2)" in shown
    assert "l_{2} = \\operatorname{relu}(l_{0} W_{0}) W_{1}" in shown   # plain brackets (issue 15)
    for piece in ("<math", "<table class='plan'>", "<svg"):
        assert piece in page


def test_a_shape_error_takes_the_place_of_the_plan():
    page = html_page(parse("l2 = relu(l0W0)W1; W1 : 5×1"), sizes="3,4,1")
    assert "shape mismatch" in page or "error:" in page
    assert "<math" in page


def test_jupyter_rich_display():
    from IPython.core.formatters import DisplayFormatter
    program = parse(BOOK)
    formatted, _ = DisplayFormatter().format(program)
    assert formatted["text/plain"]
    assert "<math" in formatted["text/html"] and "<svg" in formatted["text/html"]
    assert formatted["text/latex"].startswith("$$l_{2} = ")


def test_cell_magic():
    from IPython.testing.globalipapp import start_ipython
    ip = start_ipython()
    ip.display_formatter.formatters["text/html"].enabled = True
    ip.run_line_magic("load_ext", "notation")
    shown = ip.run_cell_magic("notation", "--sizes 3,4,1", "l1 = relu(l0W0)\nl2 = l1W1")
    formatted, _ = ip.display_formatter.format(shown)
    assert "l1 · layer_1 · 1×4 · relu" in formatted["text/html"]
    assert formatted["text/plain"] == "l1 = relu(l0W0)\nl2 = l1W1"
    failed = ip.run_cell_magic("notation", "", "l2 = relu(l0W0")
    formatted, _ = ip.display_formatter.format(failed)
    assert "unclosed parenthesis" in formatted["text/html"]


def test_fragment_carries_its_own_style():
    fragment = html_fragment(parse(BOOK))
    assert fragment.startswith("<div class='notation'><style>")


# ---------------------------------------------------------------------------- a real browser

def _browser():
    chromium = require_tool("chromium")
    driver_path = require_tool("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed")
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1300,1000"):
        options.add_argument(arg)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.mark.slow
def test_the_page_in_headless_chromium(tmp_path):
    page = tmp_path / "net.html"
    page.write_text(html_page(parse("l1 = relu(l0W0)\nl2 = l1W1\nδ1 = δ2W1ᵀ ⊙ relu'(l1)"),
                              sizes="3,4,1"), encoding="utf-8")
    browser = _browser()
    try:
        browser.get(page.as_uri())
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert errors == []
        math = browser.find_element("css selector", "math")
        assert math.size["height"] > 20 and math.size["width"] > 100
        sub = browser.find_element("css selector", "math msub")
        assert sub.size["height"] > 5 and sub.size["width"] > 5   # rendered as math, not hidden
        diagram = browser.find_element("css selector", "svg")
        assert diagram.size["height"] > 100
        shot = tmp_path / "page.png"
        assert browser.save_screenshot(str(shot))
    finally:
        browser.quit()
    _assert_not_blank(shot)


def _png_pixels(data: bytes):
    """(width, height, channels, rows of bytes) of an 8-bit RGB or RGBA PNG, unfiltered."""
    import struct
    import zlib
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    idat, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        if data[pos + 4:pos + 8] == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def _assert_not_blank(png_path):
    """The screenshot has many colours and plenty of ink: the page really drew something."""
    width, height, channels, rows = _png_pixels(png_path.read_bytes())
    seen, dark = set(), 0
    for row in rows[::3]:
        for x in range(0, width * channels, channels * 3):
            px = row[x:x + 3]
            seen.add(px)
            dark += sum(px) < 300
    assert len(seen) > 20, "the screenshot is (nearly) one colour"
    assert dark > 50, "the screenshot has no text or drawing on it"


def test_diagram_drawers_pause_the_collector_and_restore_it():
    """svg() and text() run with the cyclic collector paused (a 10,000-layer picture's
    collections found nothing to free) and give it back as it was, on or off, the drawing
    the same either way."""
    import gc
    from notation.emit import diagram
    from notation.side_by_side import views
    program = parse("l0 : 1×3\nl1 = relu(l0W0)\nl2 = sigmoid(l1W1)")
    pic = views(program).picture()
    seen = []
    gc.callbacks.append(lambda phase, info: seen.append(phase))
    was, threshold = gc.isenabled(), gc.get_threshold()
    try:
        for collecting in (True, False):
            (gc.enable if collecting else gc.disable)()
            drawn = []
            for draw in (diagram.svg, diagram.text):
                drawn.append(draw(pic))
                assert gc.isenabled() is collecting
            assert drawn == [diagram.svg.__wrapped__(pic), diagram.text.__wrapped__(pic)]
        gc.enable()
        gc.set_threshold(1)           # a collection at every allocation, unless paused
        seen.clear()
        diagram.svg(pic), diagram.text(pic)
        assert seen == []
    finally:
        gc.callbacks.pop()
        gc.set_threshold(*threshold)
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("options", [{}, {"sizes": "3,4,5,6", "batch": 2}, {"columns": True}])
def test_the_diagram_from_the_shapes_alone_is_the_one_from_the_plan(options):
    # notation diagram infers the shapes without planning the steps (views(plan=False));
    # the picture, its text and SVG, and the error are those of the planned views.
    import warnings

    from notation import NotationError

    from .parser_corpus import programs
    drawn = 0
    for source in programs(400, seed=11) + ["l1 = relu(l0W0) ⊙ M1\nl2 = l1W1",
                                           "l2 = relu(relu(l0W0)W1)W2",
                                           "l1 = relu(l0W0 + b0)\nl1 = sigmoid(l1W1)"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                program = parse(source)
            except NotationError:
                continue
            planned, inferred = views(program, **options), views(program, **options, plan=False)
        assert inferred.plan is None
        assert str(inferred.plan_error) == str(planned.plan_error), source
        a, b = planned.picture(), inferred.picture()
        assert (a is None) == (b is None), source
        if a is not None:
            assert (text(a), svg(a)) == (text(b), svg(b)), source
            drawn += 1
    assert drawn > 100

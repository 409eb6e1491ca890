"""The explorer page in a real browser (headless Chromium driven by selenium): click through
every forward and backward step of a small graph and check the numbers the page displays
against the engine's own backward; a Tensor graph; a 2,001-value graph stays usable.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and ``selenium`` (the ``test``
extra); without them these tests skip. Screenshots go to $EXPLORER_SCREENSHOTS, or to a
temporary folder whose path the tests print.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, viz
from autograd.viz.graph import nodes_in_order

pytest.importorskip("pygraphviz", reason="explore lays the graph out with Graphviz (pygraphviz)")
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install selenium)"
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)


def _browser() -> tuple[str, str] | None:
    binary = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    driver = shutil.which("chromedriver")
    return (binary, driver) if binary and driver else None


@pytest.fixture(scope="module")
def browser():
    found = _browser()
    if found is None:
        pytest.skip(
            "no headless Chromium: install Debian's chromium and chromium-driver packages "
            "(apt-get install -y chromium chromium-driver) to run the explorer's browser tests"
        )
    binary, driver_path = found
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="explorer-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("EXPLORER_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("explorer_screenshots")
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nexplorer screenshots: {path}")
    return path


def open_page(browser, path: Path) -> float:
    t0 = time.perf_counter()
    browser.get(path.resolve().as_uri())
    browser.find_element(By.ID, "fwd")
    assert browser.execute_script("return !!window.explorer"), "the page's script did not run"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    return time.perf_counter() - t0


READ_STEP = """
const box = document.getElementById('step');
const texts = sel => Array.from(box.querySelectorAll(sel)).map(e => e.textContent);
return {
  stepno: (document.getElementById('stepno') || {}).textContent,
  slider: document.getElementById('slider').value,
  node: box.dataset.node, phase: box.dataset.phase,
  value: texts('.value'), upstream: texts('.upstream'), local: texts('.local'),
  total: texts('.total'),
  contribs: Array.from(box.querySelectorAll('li')).map(li => [
    parseInt(li.dataset.input, 10),
    li.querySelector('.contrib').textContent,
    Array.from(li.querySelectorAll('.total')).map(e => e.textContent),
    li.textContent]),
  infoName: (document.querySelector('#info .f-name') || {}).textContent,
  infoGrad: (document.querySelector('#info .f-grad') || {}).textContent,
  infoData: (document.querySelector('#info .f-data') || {}).textContent,
  current: document.querySelectorAll('g.node.current').length,
};
"""


def notes_network() -> tuple[dict[str, Value], Value]:
    """A small sigmoid network where w1 and h each feed two ops (so gradients accumulate)."""
    w = {n: Value(v, label=n) for n, v in {"w1": 0.2, "w2": 0.3, "w3": 0.9}.items()}
    h = (w["w1"] * 0.35 + w["w2"] * 0.7).sigmoid()
    h.label = "h"
    y = (w["w3"] * h + w["w1"] * h).sigmoid()
    y.label = "y"
    loss = 0.5 * (0.5 - y) ** 2
    loss.label = "loss"
    return w, loss


def close(text: str, expected: float, rel: float = 5.01e-6) -> bool:
    """The page writes six significant digits: equal to that precision."""
    return float(text) == pytest.approx(expected, rel=rel, abs=1e-12)


def test_click_through_every_step_and_check_the_numbers(browser, shots, tmp_path):
    w, loss = notes_network()
    page = viz.explore(loss, tmp_path / "notes.html")
    loss.backward()  # the engine's own backward, for the reference numbers
    order = nodes_in_order([loss])
    n_steps = len(page.steps)
    open_page(browser, tmp_path / "notes.html")
    browser.save_screenshot(str(shots / "notes_0_overview.png"))
    assert browser.execute_script(READ_STEP)["slider"] == "0"
    assert browser.find_element(By.ID, "slider").get_attribute("max") == str(n_steps)

    forward_button = browser.find_element(By.ID, "fwd")
    received: dict[int, float] = {}  # what the page says each node received, summed here
    seen_phases = []
    for k in range(1, n_steps + 1):
        forward_button.click()
        s = browser.execute_script(READ_STEP)
        assert s["stepno"] == str(k) and s["slider"] == str(k)
        assert s["current"] >= 1, "the step's node is highlighted"
        node = order[int(s["node"])]
        seen_phases.append(s["phase"])
        assert s["infoName"] and float(s["infoData"]) == node.data
        if s["phase"] == "forward":
            (value,) = s["value"]
            assert close(value, node.data), (k, value, node.data)
            if k == len(order) // 2:
                browser.save_screenshot(str(shots / "notes_1_forward.png"))
            continue
        # the node panel shows the engine's gradient in full precision
        assert float(s["infoGrad"]) == node.grad
        if s["phase"] == "backward":
            upstream = s["upstream"][0]
            assert close(upstream, node.grad), (k, upstream, node.grad)
            for j, (target, contrib, totals, text) in enumerate(s["contribs"]):
                assert close(contrib, float(upstream) * float(s["local"][j]), rel=2e-5)
                before = received.get(target)
                received[target] = (before or 0.0) + float(contrib)
                if totals:  # the running sum shown where a node feeds several
                    m = re.search(r"accumulated: (\S+) \+ (\S+) =", text)
                    assert m and before is not None, text
                    assert close(m.group(1), before, rel=2e-5) and m.group(2) == contrib
                    assert close(totals[0], received[target], rel=2e-5)
                else:
                    assert before is None, f"{text}: a second contribution shows the sum"
            if k == n_steps - len(w) - 2:
                browser.save_screenshot(str(shots / "notes_2_backward.png"))
        else:
            assert s["phase"] == "leaf"
            assert close(s["total"][-1], node.grad)
    browser.save_screenshot(str(shots / "notes_3_end.png"))
    assert seen_phases.count("forward") == len(order)
    assert seen_phases.count("leaf") == len(w)
    # every node's contributions add up to the engine's gradient
    for index, total in received.items():
        assert total == pytest.approx(order[index].grad, rel=2e-5)
    leaves = {k for k, n in enumerate(order) if any(n is p for p in w.values())}
    assert len(leaves) == len(w) and leaves <= set(received)

    # stepping back, and the slider
    browser.find_element(By.ID, "back").click()
    assert browser.execute_script(READ_STEP)["stepno"] == str(n_steps - 1)
    browser.execute_script(
        "const s = document.getElementById('slider'); s.value = '5';"
        "s.dispatchEvent(new Event('input'));"
    )
    s = browser.execute_script(READ_STEP)
    assert s["stepno"] == "5" and s["phase"] == "forward"
    browser.find_element(By.ID, "first").click()
    assert browser.execute_script(READ_STEP)["slider"] == "0"

    # clicking a node shows its data, gradient and op
    record = next(
        g
        for g in browser.find_elements(By.CSS_SELECTOR, "g.node")
        if g.text.startswith("w1") or "w1" in g.text.split()
    )
    record.click()
    s = browser.execute_script(READ_STEP)
    assert s["infoName"] == "w1" and float(s["infoGrad"]) == w["w1"].grad
    browser.save_screenshot(str(shots / "notes_4_clicked_w1.png"))
    record.click()  # unpin; then hovering shows a node
    h = next(g for g in browser.find_elements(By.CSS_SELECTOR, "g.node") if g.text.startswith("h"))
    ActionChains(browser).move_to_element(h).perform()
    s = browser.execute_script(READ_STEP)
    h_node = next(n for n in order if n.label == "h")
    assert s["infoName"] == "h" and float(s["infoData"]) == h_node.data
    assert float(s["infoGrad"]) == h_node.grad


def test_tensor_graph_page_shows_summaries(browser, shots, tmp_path):
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    x = Tensor(np.random.default_rng(1).normal(size=(6, 3)).astype(np.float32))
    loss = (net(x) ** 2).mean()
    page = viz.explore(loss, tmp_path / "mlp.html", module=net)
    loss.backward()
    open_page(browser, tmp_path / "mlp.html")
    browser.find_element(By.ID, "last").click()
    s = browser.execute_script(READ_STEP)
    assert s["stepno"] == str(len(page.steps)) and s["phase"] == "leaf"
    order = nodes_in_order([loss])
    leaf = order[int(s["node"])]
    grad = np.asarray(leaf.grad, dtype=np.float64)
    shown = s["total"][-1]
    assert f"shape {grad.shape}" in shown
    m = re.search(r"min ([^\s;]+)\s+max ([^\s;]+)\s+mean ([^\s;]+)", shown)
    assert m, shown
    for got, want in zip(m.groups(), (grad.min(), grad.max(), grad.mean())):
        assert float(got) == pytest.approx(want, rel=1e-5, abs=1e-9)
    browser.save_screenshot(str(shots / "mlp_end.png"))


def test_two_thousand_values_stay_usable(browser, shots, tmp_path):
    xs = [Value(i / 1000, label=f"x{i}") for i in range(500)]
    acc = Value(0.0)
    for v in xs:
        acc = acc + (v * v).tanh()
    assert len(nodes_in_order([acc])) == 2001
    page = viz.explore(acc, tmp_path / "big.html")
    acc.backward()
    order = nodes_in_order([acc])
    load = open_page(browser, tmp_path / "big.html")
    assert load < 30, f"page took {load:.1f} s to load"
    middle = len(page.steps) // 2
    browser.execute_script(
        f"const s = document.getElementById('slider'); s.value = '{middle}';"
        "s.dispatchEvent(new Event('input'));"
    )
    t0 = time.perf_counter()
    for _ in range(10):
        browser.find_element(By.ID, "fwd").click()
    per_step = (time.perf_counter() - t0) / 10
    assert per_step < 2.0, f"a step took {per_step:.2f} s"
    s = browser.execute_script(READ_STEP)
    assert s["stepno"] == str(middle + 10) and s["phase"] == "backward"
    assert close(s["upstream"][0], order[int(s["node"])].grad)
    browser.save_screenshot(str(shots / "big_backward.png"))


def test_inline_jupyter_form_runs_in_its_iframe(browser, tmp_path):
    _, loss = notes_network()
    page = viz.explore(loss)
    (tmp_path / "notebook.html").write_text(
        f"<!DOCTYPE html><html><body><p>a notebook cell</p>{page._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    browser.get((tmp_path / "notebook.html").resolve().as_uri())
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    try:
        browser.find_element(By.ID, "fwd").click()
        s = browser.execute_script(READ_STEP)
        assert s["stepno"] == "1" and s["phase"] == "forward"
    finally:
        browser.switch_to.default_content()


def test_collapsed_module_boxes_light_up_for_their_nodes(browser, shots, tmp_path):
    net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))
    x = Tensor(np.random.default_rng(2).normal(size=(3, 4)).astype(np.float32))
    loss = net(x).sum()
    page = viz.explore(loss, tmp_path / "collapsed.html", module=net, max_nodes=6)
    loss.backward()
    open_page(browser, tmp_path / "collapsed.html")
    order = nodes_in_order([loss])
    boxed = next(
        k
        for k, s in enumerate(page.steps, 1)
        if s["phase"] == "backward" and "weight" in "".join(s["html"])
    )
    browser.execute_script(
        f"const s = document.getElementById('slider'); s.value = '{boxed}';"
        "s.dispatchEvent(new Event('input'));"
    )
    s = browser.execute_script(READ_STEP)
    highlighted = browser.find_elements(By.CSS_SELECTOR, "g.node.current")
    assert highlighted and any("values" in g.text for g in highlighted), "a module box is lit"
    grad = np.asarray(page.grads[order[int(s["node"])]], dtype=np.float64)
    assert f"shape {grad.shape}" in s["upstream"][0]
    browser.save_screenshot(str(shots / "collapsed_module.png"))

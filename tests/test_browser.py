"""The instructor's page in a real browser: ``run.py serve`` in a subprocess, headless Chromium, no internet.

Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``) is driven by Playwright. Every request
that does not go to the local server is aborted and recorded, and the server's CDN is pointed at a closed
local port, so the page can only work from the assets stored at install time: the test proves the
classroom-offline promise. At 1280x720 (a common projector) and 1920x1080 it checks that every panel's
content stays inside its card, that nothing scrolls sideways, that no developer control, internal id,
file name or source note is visible after several weeks, that the ensemble panel finishes with its
intervals, that both exports download, and that the console shows no error. It saves a screenshot of each
size (to ``$LIPTAKO_SCREENSHOT_DIR`` if set, which is how ``docs/img/instructor_*.png`` are made, else to
pytest's temporary folder).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
# Text that must never be visible: Mesa's and Solara's developer controls, ids, file names, source notes.
DEV_CONTROLS = ("Use Threads", "Render Interval", "PAGE 0", "Information: Time", "runs on Solara",
                "Made with Solara")
INTERNAL = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\brule:|\bevent:|\bdeclaration:|\.yaml\b|FACTS|§|"
                      r"\bis an assumption\b|in 0 weeks|of United States")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ, SOLARA_ASSETS_CDN="http://127.0.0.1:9/")  # a cache miss fails, never goes online
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "run.py", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"run.py serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"run.py serve did not answer within 120 s:\n{log.read_text()}")
            time.sleep(0.5)
        assert f"http://127.0.0.1:{port}/" in log.read_text()  # it prints its address
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


_WEEK_JS = """() => { const e = document.querySelector('.liptako-clock');
  const m = e && e.textContent.match(/Week (\\d+)/); return m ? parseInt(m[1]) : -1; }"""
_EVENTS_JS = """() => { const e = document.querySelector('.liptako-feed-count');
  const m = e && e.textContent.match(/(\\d+) events/); return m ? parseInt(m[1]) : -1; }"""
# Every card whose content is wider than the card (or sticks out of it), and the page's sideways overflow.
_OVERFLOW_JS = """() => {
  const bad = [];
  for (const card of document.querySelectorAll('.liptako-card')) {
    const r = card.getBoundingClientRect();
    if (card.scrollWidth > card.clientWidth + 1) bad.push(card.className + ': scrolls sideways');
    for (const el of card.querySelectorAll('svg, table, li, h3, p, .v-card__title')) {
      const e = el.getBoundingClientRect();
      if (e.width > 0 && (e.left < r.left - 1 || e.right > r.right + 1))
        bad.push(card.className + ': ' + el.tagName + ' sticks out by '
                 + Math.round(Math.max(r.left - e.left, e.right - r.right)) + ' px');
    }
  }
  const d = document.documentElement;
  if (d.scrollWidth > d.clientWidth + 1) bad.push('page scrolls sideways: ' + d.scrollWidth + ' > ' + d.clientWidth);
  return bad; }"""
# Rendered text height (px) of the map's and the network's labels.
_LABEL_PX_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => e.getBoundingClientRect().height)
  .filter(h => h > 0)"""


def _launch(p):  # type: ignore[no-untyped-def]
    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium), as .ci/run does"
    return p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def _open(browser, server: str, size: tuple[int, int], outside: list[str], errors: list[str]):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)

    def local_only(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server)
    page.get_by_role("button", name="Step", exact=True).wait_for(timeout=90_000)
    page.wait_for_function(f"() => ({_WEEK_JS})() === 0", timeout=30_000)
    return page


def _steps(page, n: int) -> None:  # type: ignore[no-untyped-def]
    step = page.get_by_role("button", name="Step", exact=True)
    for _ in range(n):
        week = page.evaluate(_WEEK_JS)
        step.click()
        page.wait_for_function(f"() => ({_WEEK_JS})() === {week + 1}", timeout=30_000)
    page.wait_for_timeout(1500)  # let every panel catch up with the clock


@pytest.mark.parametrize("size", list(SIZES))
def test_page_is_readable_at_projector_sizes(server: str, size: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = _open(browser, server, SIZES[size], outside, errors)
            assert page.evaluate(_EVENTS_JS) == 0
            assert "Niger 2023" in page.inner_text(".liptako-lesson")
            _steps(page, 10)
            assert "4 October 2023" in page.inner_text(".liptako-lesson")
            assert page.evaluate(_EVENTS_JS) > 10
            text = page.inner_text("body")
            for word in DEV_CONTROLS:
                assert word not in text, f"{size}: developer control {word!r} is visible"
            leaks = sorted(set(INTERNAL.findall(text)))
            assert leaks == [], f"{size}: internal ids or source notes visible: {leaks}"
            assert "ECOWAS 2001 Protocol, Art. 45 — qualified majority" in page.inner_text(".liptako-feed")
            bad = page.evaluate(_OVERFLOW_JS)
            assert bad == [], f"{size}: {bad}"
            # readable labels: country names, at least 10 px high on the screen
            assert "Niger" in page.inner_text(".liptako-map") and "Nigeria" in page.inner_text(".liptako-map")
            for sel in ("svg.liptako-map .map-label", "svg.liptako-network .net-label"):
                heights = page.evaluate(_LABEL_PX_JS, sel)
                assert heights and min(heights) >= 10, f"{size}: {sel} {min(heights or [0]):.1f} px"
            # every legend entry is drawn inside its picture
            legend = page.inner_text(".liptako-map")
            for entry in ("imposing sanctions", "promised to defend the target", "military government",
                          "not in the lesson"):
                assert entry in legend
            assert page.locator("svg.liptako-network text.legend").count() == 5
            # the glossary is one click from the ladder
            page.get_by_text("Glossary: the rungs and the actors").click()
            assert "standby force" in page.inner_text(".liptako-glossary")
            assert "Alliance of Sahel States" in page.inner_text(".liptako-glossary")
            # the numbers behind a decision are one click away
            page.locator(".liptako-numbers summary").first.click()
            assert page.locator(".liptako-numbers[open] li").count() >= 1
            page.get_by_text("Glossary: the rungs and the actors").click()  # fold it again
            page.locator(".liptako-numbers summary").first.click()
            page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
            page.wait_for_timeout(300)
            out_dir = Path(os.environ.get("LIPTAKO_SCREENSHOT_DIR", tmp_path))
            out_dir.mkdir(parents=True, exist_ok=True)
            shot = out_dir / f"instructor_{size}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 50_000
        finally:
            browser.close()
    assert outside == [], f"the page asked the internet for {outside}"
    assert errors == [], errors


def test_play_pause_ensemble_and_exports(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _launch(p)
        try:
            page = _open(browser, server, SIZES["1280x720"], outside, errors)
            page.get_by_role("button", name="Play", exact=True).click()
            page.wait_for_function(f"() => ({_WEEK_JS})() >= 3", timeout=60_000)
            page.get_by_role("button", name="Pause", exact=True).click()
            page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            paused_at = page.evaluate(_WEEK_JS)
            page.wait_for_timeout(1500)
            assert page.evaluate(_WEEK_JS) == paused_at >= 3  # played, then stopped

            # the odds across many runs: runs in the background, the page still steps meanwhile
            page.get_by_role("button", name="Run 200 runs").click()
            page.locator(".liptako-odds-progress").wait_for(timeout=30_000)
            _steps(page, 1)
            assert page.evaluate(_WEEK_JS) == paused_at + 1
            page.locator(".liptako-odds-result").wait_for(timeout=300_000)
            odds = page.inner_text(".liptako-odds-card")
            assert "without the charter" in odds and "(100 runs)" in odds
            assert len(re.findall(r"95%: \d+–\d+%", odds)) == 14  # 7 rows x 2 settings
            assert "used force" in odds
            assert page.evaluate(_OVERFLOW_JS) == []  # the finished panel fits its card too
            assert INTERNAL.findall(odds) == []
            page.locator(".liptako-odds-card").scroll_into_view_if_needed()
            out_dir = Path(os.environ.get("LIPTAKO_SCREENSHOT_DIR", tmp_path))
            out_dir.mkdir(parents=True, exist_ok=True)
            page.locator(".liptako-odds-card").screenshot(path=str(out_dir / "instructor_odds.png"))

            with page.expect_download() as dl:
                page.get_by_text("Events as CSV").click()
            csv_path = tmp_path / "events.csv"
            dl.value.save_as(csv_path)
            lines = csv_path.read_text(encoding="utf-8").splitlines()
            assert lines[0].startswith("week,date,what happened") and len(lines) > 5
            with page.expect_download(timeout=60_000) as dl:
                page.get_by_role("button", name="Save the view as PNG").click()
            png = tmp_path / "view.png"
            dl.value.save_as(png)
            data = png.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        finally:
            browser.close()
    assert outside == [], f"the page asked the internet for {outside}"
    assert errors == [], errors

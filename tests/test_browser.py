"""The instructor's page in a real browser: ``run.py serve`` in a subprocess, headless Chromium, no internet.

Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``) is driven by Playwright. Every request
that does not go to the local server is aborted and recorded, and the server's CDN is pointed at a closed
local port, so the page can only work from the assets stored at install time: the test proves the
classroom-offline promise. It saves a screenshot of the Niger lesson at week 10 (to
``$LIPTAKO_SCREENSHOT_DIR`` if set, which is how ``docs/img/instructor_niger_week10.png`` is made, else to
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
SCREENSHOT = "instructor_niger_week10.png"


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


def test_page_steps_plays_and_pauses_offline(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium), as .ci/run does"
    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1450})

            def local_only(route) -> None:  # type: ignore[no-untyped-def]
                if route.request.url.startswith(server):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", local_only)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server)
            step = page.get_by_role("button", name="Step", exact=True)
            step.wait_for(timeout=60_000)
            page.wait_for_function(f"() => ({_WEEK_JS})() === 0", timeout=30_000)
            assert page.evaluate(_EVENTS_JS) == 0
            assert "Niger 2023" in page.inner_text(".liptako-clock >> xpath=..")

            step.click()
            page.wait_for_function(f"() => ({_WEEK_JS})() === 1", timeout=30_000)
            page.wait_for_function(f"() => ({_EVENTS_JS})() >= 3", timeout=30_000)  # panels update one by one
            after_step = page.evaluate(_EVENTS_JS)
            assert page.locator(".liptako-event").count() == min(after_step, 60)
            assert "seize power in a coup in Niger" in page.inner_text(".liptako-feed")

            page.get_by_role("button", name="▶", exact=True).click()  # play
            page.wait_for_function(f"() => ({_WEEK_JS})() >= 3", timeout=60_000)
            page.get_by_role("button", name="❚❚", exact=True).click()  # pause
            page.get_by_role("button", name="▶", exact=True).wait_for(timeout=30_000)
            page.wait_for_timeout(1500)
            paused_at = page.evaluate(_WEEK_JS)
            page.wait_for_timeout(1500)
            assert page.evaluate(_WEEK_JS) == paused_at >= 3  # played, then stopped
            page.wait_for_function(f"() => ({_EVENTS_JS})() > {after_step}", timeout=30_000)  # the feed grew

            if paused_at > 10:  # played past week 10 on a fast machine: start again
                page.get_by_role("button", name="Reset", exact=True).click()
                page.wait_for_function(f"() => ({_WEEK_JS})() === 0", timeout=30_000)
            while (week := page.evaluate(_WEEK_JS)) < 10:
                step.click()
                page.wait_for_function(f"() => ({_WEEK_JS})() === {week + 1}", timeout=30_000)
            assert page.evaluate(_WEEK_JS) == 10
            page.wait_for_timeout(1000)  # let the other panels catch up with the clock
            assert "4 October 2023" in page.inner_text(".liptako-clock >> xpath=..")
            assert page.locator("svg.liptako-map path").count() > 30  # the map's countries
            assert page.locator("svg.liptako-map").bounding_box()["width"] > 300  # type: ignore[index]
            assert page.locator("svg.liptako-network circle").count() >= 15  # the states
            assert page.locator("svg.liptako-forces polyline").count() >= 3  # forces and armed groups
            out_dir = Path(os.environ.get("LIPTAKO_SCREENSHOT_DIR", tmp_path))
            out_dir.mkdir(parents=True, exist_ok=True)
            shot = out_dir / SCREENSHOT
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 50_000
        finally:
            browser.close()
    assert outside == [], f"the page asked the internet for {outside}"
    assert not [e for e in errors if re.search(r"GlobalVue|is not defined|Failed to load", e)], errors

"""A page that loads once: a reload in a lecture hall moves a few kilobytes, not the bundles.

Fingerprinted files are kept by the browser for good (``immutable``), the rest revalidate
with ETags that match (app/static_files.py), so a hall-wide reload on poor Wi-Fi is cheap.
"""

from __future__ import annotations

from conftest import PAGE_SCRIPTS, VIEWPORT, open_app, wait_js
from playwright.sync_api import Browser

#: The issue's bound for a reload, on the wire (headers included).
RELOAD_BYTES = 30_000


def test_a_reload_moves_under_30_kB_and_the_page_still_races(browser: Browser, app_url: str):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    wire = {"bytes": 0, "requests": 0}

    def finished(event: dict) -> None:
        wire["bytes"] += int(event.get("encodedDataLength", 0))
        wire["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    open_app(page, app_url)
    cold = dict(wire)
    assert cold["bytes"] > 300_000, cold  # the first visit really downloads the page

    visits = {"reload": page.reload, "a new link": lambda: page.goto(app_url + "?seed=3")}
    for visit, go in visits.items():
        wire.update(bytes=0, requests=0)
        go()
        wait_js(page, f"{PAGE_SCRIPTS} && !!document.querySelector('#best-plot .main-svg')")
        # every file was asked for again (from the browser's cache or with a 304)
        assert wire["requests"] >= cold["requests"] - 5, (visit, wire, cold)
        assert wire["bytes"] < RELOAD_BYTES, f"{visit} moved {wire['bytes']:,} bytes"

    # what came from the cache works: a race is computed and steps
    page.click("#step-button")
    wait_js(page, "document.getElementById('race-clock').dataset.state === 'paused'")
    context.close()

"""What one race costs the browser, with the model's internals, and many-seeds mode's time.

    .venv/bin/python bench/bench_race_bytes.py                # serves the app itself (loopback)
    .venv/bin/python bench/bench_race_bytes.py --url http://127.0.0.1:8050/

For each case it opens the page (fresh browser context), switches the Bayesian panel to the GP
mean view, presses Step (the race arrives, then the model's frames: ≤ 2 requests per Run) and
adds up the callback responses: bytes on the wire (compressed, what the browser receives) and
decoded. Targets: ≤ 1 MB on the wire for one race including internals; ≤ 2 requests.

Then many-seeds mode: "Repeat × 30 seeds" at the default settings, timed in the browser from
the click to the finished table (first run, then the same run again from the server's cache).
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import time

from _browser import ARGS, CHROMIUM, VIEWPORT, serve_locally  # noqa: E402  (bench/)
from playwright.sync_api import Browser, sync_playwright

CALLBACK = "_dash-update-component"
MAX_RACE_BYTES = 1_000_000
CASES = [
    ("default: smooth, 800 GPU min", ""),
    ("long: bumpy, 3000 GPU min", "?landscape=bumpy&budget=3000"),
    ("longest: svm-digits, 3000 GPU min", "?landscape=svm-digits&budget=3000"),
]
READY = (
    "() => ['panel-bayes','best-plot','model-bayes','many-plot'].every(id => {"
    " const g = document.querySelector('#' + id + ' .js-plotly-plot');"
    " return g && g._fullLayout && g.querySelector('.main-svg'); })"
    " && window.hpoRace && window.hpoModel && window.hpoMany"
)


def one_race(browser: Browser, url: str) -> dict:
    """Bytes and requests for one race with the GP mean view on (cold server cache or not)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    posts: dict[str, dict] = {}

    def sent(event: dict) -> None:
        request = event["request"]
        if request["method"] == "POST" and CALLBACK in request["url"]:
            posts[event["requestId"]] = {"wire": 0, "decoded": 0, "done": False}

    def received(event: dict) -> None:
        if event["requestId"] in posts:
            posts[event["requestId"]]["decoded"] += int(event.get("dataLength", 0))

    def finished(event: dict) -> None:
        if event["requestId"] in posts:
            posts[event["requestId"]]["wire"] = int(event.get("encodedDataLength", 0))
            posts[event["requestId"]]["done"] = True

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.dataReceived", received)
    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    page.wait_for_function(READY, timeout=30_000)
    page.wait_for_load_state("networkidle")  # a link's settings redraw the panels first
    page.locator("#bayes-view label").filter(has_text="Mean").first.click()
    posts.clear()  # from here on: what one Run costs
    began = time.perf_counter()
    page.click("#step-button")
    page.wait_for_function(
        "() => document.getElementById('app-root').dataset.model === 'ready'", timeout=120_000
    )
    seconds = time.perf_counter() - began
    page.wait_for_timeout(300)
    trials = page.evaluate("window.hpoRace.view.strategies.bayes.clock.length")
    resolution = page.evaluate("window.hpoModel.model.resolution")
    context.close()
    return {
        "requests": len(posts),
        "wire": sum(p["wire"] for p in posts.values()),
        "decoded": sum(p["decoded"] for p in posts.values()),
        "seconds": seconds,
        "trials": trials,
        "resolution": resolution,
    }


def many_seeds(browser: Browser, url: str, n: int = 30) -> list[dict]:
    """Repeat × n seeds at the default settings, twice: seconds from click to table, requests."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and CALLBACK in r.url else None,
    )
    page.goto(url)
    page.wait_for_function(READY, timeout=30_000)
    page.locator("#side-tab label").filter(has_text="Many seeds").first.click()
    page.fill("#many-n", str(n))
    runs = []
    for _ in range(2):
        before = len(posts)
        nonce = page.evaluate("window.hpoMany.run ? window.hpoMany.run.nonce : null")
        began = time.perf_counter()
        page.click("#many-run")
        page.wait_for_function(
            f"() => window.hpoMany.run && window.hpoMany.run.nonce !== {json.dumps(nonce)}"
            " && document.getElementById('app-root').dataset.many === 'done'",
            timeout=300_000,
        )
        seconds = time.perf_counter() - began
        runs.append(
            {
                "seconds": seconds,
                "page_seconds": page.evaluate("window.hpoMany.run.seconds"),
                "requests": len(posts) - before,
            }
        )
        page.wait_for_timeout(200)
    context.close()
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="bench this running server instead of starting one")
    parser.add_argument("--seeds", type=int, default=30, help="many-seeds N (default 30)")
    args = parser.parse_args(argv)

    url, server = (args.url, None) if args.url else serve_locally()
    missed = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"server                 {url}")
            for label, query in CASES:
                race = one_race(browser, url + query)
                print(
                    f"{label:34} {race['wire'] / 1e3:7.1f} kB on the wire "
                    f"({race['decoded'] / 1e3:.1f} kB decoded) in {race['requests']} requests, "
                    f"{race['seconds']:.2f} s to the model view · {race['trials']} Bayesian "
                    f"trials, frames {race['resolution']}²"
                )
                if race["wire"] > MAX_RACE_BYTES:
                    missed.append(f"{label}: > 1 MB")
                if race["requests"] > 2:
                    missed.append(f"{label}: > 2 requests")
            runs = many_seeds(browser, url, args.seeds)
            for k, run in enumerate(runs):
                what = "first run" if k == 0 else "again (cached)"
                print(
                    f"many seeds × {args.seeds:<3} {what:15} {run['seconds']:5.2f} s in the "
                    f"browser (page clock {run['page_seconds']:.2f} s), "
                    f"{run['requests']} chunk requests"
                )
            browser.close()
    finally:
        if server is not None:
            server.shutdown()
    print("targets                " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

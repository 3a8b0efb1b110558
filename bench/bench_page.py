"""Measure the page in headless Chromium: bytes on the wire, cold first render, race fps.

Also a reload (bytes moved when the browser has the page already) and one cold load over a
slow shared link (150 ms round trip, 2 Mbit/s down: a student's share of lecture-hall Wi-Fi).

    .venv/bin/python bench/bench_page.py                 # serves the app itself (loopback)
    .venv/bin/python bench/bench_page.py --url http://127.0.0.1:8050/   # an already running one
    .venv/bin/python bench/bench_page.py --files         # and where a cold load's bytes go

Targets: page <= 700 kB on the wire and a reload <= 30 kB (issue 14), cold first render
<= 2 s on loopback, the default race animating at >= 30 fps (issue 3). Each cold load uses
a fresh browser context (empty cache). "Rendered" means every panel, landscape layer and
the best-score plot has drawn.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics

from _browser import ARGS, CHROMIUM, VIEWPORT, serve_locally  # noqa: E402  (bench/)
from playwright.sync_api import Browser, sync_playwright

MAX_BYTES = 700 * 1000
MAX_RELOAD_BYTES = 30 * 1000
#: A student's share of a lecture hall's Wi-Fi, for Chromium's network emulation.
SLOW_LINK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 2e6 / 8,
    "uploadThroughput": 1e6 / 8,
}
MAX_RENDER_MS = 2000.0
MIN_FPS = 30.0

GRAPHS = [
    *(f"panel-{n}" for n in ("grid", "random", "bayes")),
    *(f"landscape-{n}" for n in ("grid", "random", "bayes")),
    "best-plot",
]
#: Resolves to performance.now() (ms since navigation start) once every graph has drawn.
RENDERED = (
    "() => { const ids = " + json.dumps(GRAPHS) + ";"
    " const done = ids.every(id => {"
    " const g = document.querySelector('#' + id + ' .js-plotly-plot');"
    " return g && g._fullLayout && g.querySelector('.main-svg'); });"
    " return done ? performance.now() : false; }"
)


#: What a cold load's requests are, by the first pattern their path starts with.
KINDS = (
    ("plotly.js (assets/vendor)", "/_hpo-assets/plotly-"),
    ("Dash's bundles and favicon", "/_dash-component-suites/", "/_favicon.ico"),
    ("layout and callback graph", "/_dash-layout", "/_dash-dependencies"),
    ("callback responses", "/_dash-update-component"),
    ("our script, stylesheet, icons, page", "/"),
)


def kind_of(path: str) -> str:
    return next(kind for kind, *prefixes in KINDS if path.startswith(tuple(prefixes)))


def cold_load(
    browser: Browser,
    url: str,
    link: dict | None = None,
    reload: bool = False,
    files: dict | None = None,
) -> tuple[float, int, int]:
    """One load with an empty cache: (render ms, bytes on the wire, requests), over ``link``
    (Chromium's network emulation) if given; with ``reload``, of a reload after it instead.
    ``files``, if given, gets each kind's bytes (``KINDS``), its response headers' bytes and
    the Content-Security-Policy headers' bytes."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if link is not None:
        cdp.send("Network.emulateNetworkConditions", link)
    if reload:
        page.goto(url)
        page.wait_for_function(RENDERED, polling="raf", timeout=60_000)
        page.wait_for_load_state("networkidle")
    else:
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire = {"bytes": 0, "requests": 0}
    paths: dict[str, str] = {}

    def finished(event: dict) -> None:
        wire["bytes"] += int(event.get("encodedDataLength", 0))
        wire["requests"] += 1
        if files is not None and event["requestId"] in paths:
            kind = kind_of(paths[event["requestId"]])
            files[kind] = files.get(kind, 0) + int(event.get("encodedDataLength", 0))

    def received(event: dict) -> None:
        response = event["response"]
        if files is None or not response["url"].startswith("http"):
            return
        paths[event["requestId"]] = "/" + response["url"].split("/", 3)[3]
        files["headers"] = files.get("headers", 0) + int(response.get("encodedDataLength", 0))
        policy = {k.lower(): v for k, v in response["headers"].items()}.get(
            "content-security-policy", ""
        )
        files["policy"] = files.get("policy", 0) + len(policy) + len("content-security-policy: ")

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.responseReceived", received)
    if reload:
        page.reload()  # performance.now() then counts from the reload's navigation start
    else:
        page.goto(url)
    render_ms = page.wait_for_function(RENDERED, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    context.close()
    return float(render_ms), wire["bytes"], wire["requests"]


#: The races whose animation is timed: (label, query, the Bayesian view shown while it plays).
RACES = (
    ("default race", "", None),
    ("four racers", "?racers=grid,random,bayes,hyperband", None),
    ("GP mean shown", "", "Mean"),
)


def race_fps(browser: Browser, url: str, view: str | None = None) -> dict:
    """Play a race at 1× (the Bayesian panel showing ``view``); race-player.js's stats."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    posts: list[str] = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url)
            if r.method == "POST" and "_dash-update-component" in r.url
            else None
        ),
    )
    page.goto(url)
    page.wait_for_function(RENDERED, polling="raf", timeout=30_000)
    page.wait_for_load_state("networkidle")
    if view is not None:
        page.locator("#bayes-view label").filter(has_text=view).click()
    page.click("#run-button")
    page.wait_for_function(
        "() => document.getElementById('race-clock').dataset.state === 'finished'",
        timeout=120_000,
    )
    stats = page.evaluate("window.hpoRace.stats")
    context.close()
    return {**stats, "posts": len(posts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="bench this running server instead of starting one")
    parser.add_argument("--loads", type=int, default=5, help="cold loads to time (default 5)")
    parser.add_argument(
        "--files", action="store_true", help="also where one cold load's bytes go, by kind"
    )
    args = parser.parse_args(argv)

    url, server = (args.url, None) if args.url else serve_locally()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            cold_load(browser, url)  # warm the server's caches (first request builds the app)
            loads = [cold_load(browser, url) for _ in range(args.loads)]
            slow = cold_load(browser, url, link=SLOW_LINK)
            reload = cold_load(browser, url, reload=True)
            files: dict[str, int] = {}
            if args.files:
                cold_load(browser, url, files=files)
            races = [(label, race_fps(browser, url + q, view)) for label, q, view in RACES]
            browser.close()
    finally:
        if server is not None:
            server.shutdown()

    renders = [ms for ms, _, _ in loads]
    wire = max(b for _, b, _ in loads)
    requests = loads[-1][2]
    median = statistics.median(renders)
    print(f"server                 {url}")
    print(
        f"page on the wire       {wire / 1024 / 1024:.2f} MB ({wire:,} bytes, {requests} requests)"
    )
    print(
        f"cold first render      median {median:.0f} ms, max {max(renders):.0f} ms "
        f"over {len(renders)} loads ({', '.join(f'{ms:.0f}' for ms in renders)})"
    )
    print(
        f"slow link cold load   {slow[0]:.0f} ms to render "
        f"(150 ms round trip, 2 Mbit/s; {slow[1]:,} bytes, {slow[2]} requests)"
    )
    print(f"reload                 {reload[1]:,} bytes in {reload[2]} requests, {reload[0]:.0f} ms")
    if files:
        total = sum(files.get(kind, 0) for kind, *_ in KINDS)
        print(f"one more cold load, by kind ({total:,} bytes, response headers included):")
        for kind, *_ in KINDS:
            print(f"  {kind:<36}{files.get(kind, 0):>9,}")
        print(
            f"  of which response headers         {files['headers']:>9,} "
            f"(Content-Security-Policy {files['policy']:,})"
        )
    for label, race in races:
        print(
            f"{label:<23}{race['fps']:.1f} fps over {race['seconds']:.1f} s "
            f"({race['frames']} frames, worst frame {race['worst']:.0f} ms, "
            f"{race['work'] / max(race['frames'], 1):.1f} ms of script per frame), "
            f"{race['posts']} callback request(s)"
        )
    missed = []
    if wire > MAX_BYTES:
        missed.append("page > 700 kB")
    if reload[1] > MAX_RELOAD_BYTES:
        missed.append("reload > 30 kB")
    if median > MAX_RENDER_MS:
        missed.append("cold render > 2 s")
    missed += [f"{label} < 30 fps" for label, race in races if race["fps"] < MIN_FPS]
    print("targets                " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

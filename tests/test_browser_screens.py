"""Every screen in the room: the page on a phone, an old projector, a laptop, a large screen and
a 4K projector, in light, dark and presenter mode, before and after a race, with three racers
and with five (issue 12).

The checks are geometry, not presence: nothing scrolls sideways and every control lies inside
the viewport (a panel's inside its panel); no two controls overlap; nothing is cut (the
summary, the budget lines, the lesson, the narration and the numbers: their text fits their
box and every box that clips them); the type is large enough for the screen; on the phone
every plot is at least 280 px each way and a race, the scrubber and drawing work by touch.
One page per viewport: the modes are switched on that page, never reloaded per combination.
Screenshots of each width go to tests/artifacts/screens-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import (
    SCREENS,
    open_app,
    pick_racer,
    race_fast,
    wait_js,
    wait_revealed,
    wait_state,
    wait_still,
)
from playwright.sync_api import Browser, Page, expect

FIVE = "grid,random,bayes,hyperband,tpe"

#: What the user can press, drag, type into or pick (Plotly's hover toolbar aside).
CONTROLS = (
    "button, summary, input:not([type=radio]), select, textarea, a[href], [role=slider],"
    " [role=tab], .segmented label"
)

#: Text that must never be cut: the summary, the budget lines and their numbers, the lesson,
#: the narration, the layout chip, the number boxes, the "now" label.
WHOLE = (
    "#race-status, .budget .stats, .budget .stats > span, #lesson, .narration,"
    " #landscape-seed-label, #budget-input, #seed-input, #now-label, .panel-head h2"
)

#: The scrubber's rail lies on the best plot's x axis and spans its plot area (within 2 px).
SCRUBBER_ON_AXIS = """(() => {
    const s = document.getElementById('scrubber');
    const g = document.querySelector('#best-plot .js-plotly-plot');
    if (!s || !g || !g._fullLayout || !s.getBoundingClientRect().width) return true;
    const z = g._fullLayout._size, b = g.getBoundingClientRect(), r = s.getBoundingClientRect();
    return Math.abs(r.top + r.height / 2 - (b.top + z.t + z.h)) <= 2
        && Math.abs(r.left - (b.left + z.l)) <= 2 && Math.abs(r.width - z.w) <= 2; })()"""

GEOMETRY = (
    """([controls, whole, phone]) => {
    const vw = innerWidth, problems = [];
    const shown = e => { const r = e.getBoundingClientRect();
        return r.width > 0.5 && r.height > 0.5
            && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}); };
    const name = e => (e.id ? '#' + e.id : e.tagName.toLowerCase() + '.'
        + String(e.className).trim().split(/\\s+/).slice(0, 2).join('.'))
        + (e.textContent ? ' "' + e.textContent.trim().slice(0, 24) + '"' : '');
    const d = document.documentElement;
    if (d.scrollWidth > vw) problems.push('page scrolls sideways: ' + d.scrollWidth + ' > ' + vw);
    if (scrollX !== 0) problems.push('page scrolled sideways by ' + scrollX);
    const list = [...document.querySelectorAll(controls)]
        .filter(e => !e.closest('.modebar-container') && shown(e));
    for (const e of list) {
        const r = e.getBoundingClientRect();
        if (r.left < -0.5 || r.right > vw + 0.5)
            problems.push('off screen: ' + name(e) + ' x ' + Math.round(r.left) + '..'
                          + Math.round(r.right));
    }
    // a panel's controls stay in their panel (⚙ never spills into the next one)
    for (const e of list) {
        const panel = e.closest('.panel');
        if (!panel) continue;
        const r = e.getBoundingClientRect(), q = panel.getBoundingClientRect();
        if (r.left < q.left - 0.5 || r.right > q.right + 0.5)
            problems.push('out of its panel: ' + name(e));
    }
    const boxes = list.map(e => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [a, r] = boxes[i], [b, q] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const x = Math.min(r.right, q.right) - Math.max(r.left, q.left);
        const y = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
        if (x > 1 && y > 1) problems.push('overlap: ' + name(a) + ' / ' + name(b));
    }
    // cut text: wider or taller than its own box, or outside a box that clips it
    const root = document.getElementById('app-root');
    for (const e of document.querySelectorAll(whole)) {
        if (!shown(e)) continue;
        const s = getComputedStyle(e);
        if (s.display !== 'inline' && (e.scrollWidth > e.clientWidth + 1
                || (s.overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 1)))
            problems.push('cut: ' + name(e) + ' ' + e.scrollWidth + '/' + e.clientWidth + ' x '
                          + e.scrollHeight + '/' + e.clientHeight);
        if (e.tagName === 'INPUT') continue;  // a box: its text fits it (checked above)
        const r = e.getBoundingClientRect();
        for (let p = e.parentElement; p && p !== root.parentElement; p = p.parentElement) {
            const ps = getComputedStyle(p);
            if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
            const q = p.getBoundingClientRect();
            if (r.left < q.left - 1 || r.right > q.right + 1 || r.top < q.top - 1
                    || r.bottom > q.bottom + 1) {
                problems.push('cut: ' + name(e) + ' by ' + name(p));
                break;
            }
        }
    }
    if (!"""
    + SCRUBBER_ON_AXIS
    + """) problems.push('the scrubber is off its plot axis');
    if (phone) {
        for (const g of document.querySelectorAll('.js-plotly-plot')) {
            if (!shown(g)) continue;
            const r = g.getBoundingClientRect();
            if (r.width < 280 || r.height < 280)
                problems.push('small plot: ' + g.closest('[id]').id + ' ' + Math.round(r.width)
                              + 'x' + Math.round(r.height));
        }
    }
    return problems;
}"""
)

FONTS = """() => {
    const sizes = sel => [...document.querySelectorAll(sel)]
        .filter(e => e.checkVisibility({checkVisibilityCSS: true})
                     && e.getBoundingClientRect().width > 0)
        .map(e => parseFloat(getComputedStyle(e).fontSize));
    return {text: sizes('#race-status, .budget .stats, .narration'),
            switch: sizes('#bayes-view .dash-options-list-option-text')};
}"""


def check(page: Page, where: str, screen: dict, presenter: bool = False) -> None:
    """Every geometry rule, and the least font sizes of this screen and mode."""
    phone = screen["size"][0] < 640
    problems = page.evaluate(GEOMETRY, [CONTROLS, WHOLE, phone])
    fonts = page.evaluate(FONTS)
    mode = 1 if presenter else 0
    for kind in ("text", "switch"):
        low = screen[kind][mode]
        small = [f for f in fonts[kind] if f < low - 0.01]
        if small:
            problems.append(f"{kind} under {low} px: {sorted(set(small))}")
    assert fonts["text"], "no summary, budget line or narration shown"
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def set_mode(page: Page, button: str, attribute: str, value: str) -> None:
    page.click(button)
    wait_js(page, f"document.documentElement.dataset.{attribute} === '{value}'")
    wait_still(page)


def race_to_the_end(page: Page, tap: bool) -> None:
    """Run (a tap on a phone), the clock sped up, until the race is over and revealed."""
    race_fast(page, tap)
    wait_revealed(page)


@pytest.mark.parametrize(
    ("screen_page", "tag"), [(t, t) for t in SCREENS], indirect=["screen_page"]
)
def test_every_screen(screen_page: Page, tag: str, app_url: str, artifacts: Path) -> None:
    page, screen = screen_page, SCREENS[tag]
    phone = screen["size"][0] < 640
    shot = {"full_page": phone}
    errors = open_app(page, f"{app_url}?theme=light")
    check(page, "light, idle", screen)
    if phone:
        page.screenshot(path=str(artifacts / f"screens-{tag}-idle.png"), **shot)
    set_mode(page, "#theme-toggle", "theme", "dark")
    check(page, "dark, idle", screen)
    set_mode(page, "#presenter-toggle", "presenter", "true")
    check(page, "dark presenter, idle", screen, presenter=True)

    race_to_the_end(page, tap=phone)
    check(page, "dark presenter, after a race", screen, presenter=True)
    page.screenshot(path=str(artifacts / f"screens-{tag}-presenter-end.png"), **shot)
    set_mode(page, "#presenter-toggle", "presenter", "false")
    set_mode(page, "#theme-toggle", "theme", "light")
    expect(page.locator("#lesson")).not_to_be_empty()
    check(page, "light, after a race", screen)
    page.screenshot(path=str(artifacts / f"screens-{tag}-end.png"), **shot)
    # the page reflows after the last frame (a window resized, a lesson line that wraps when
    # its count arrives): the scrubber follows its plot's axis
    width, height = screen["size"]
    page.set_viewport_size({"width": width, "height": height - 48})
    wait_js(page, SCRUBBER_ON_AXIS)
    page.set_viewport_size({"width": width, "height": height})
    wait_js(page, SCRUBBER_ON_AXIS)

    if phone:
        # the scrubber by touch: a tap a quarter along the track moves the clock there
        box = page.locator("#scrubber").bounding_box()
        page.tap("#scrubber", position={"x": box["width"] / 4, "y": box["height"] / 2})
        xr = page.evaluate(
            "document.querySelector('#best-plot .js-plotly-plot')._fullLayout.xaxis.range"
        )
        quarter = xr[0] + (xr[1] - xr[0]) / 4
        wait_js(
            page,
            f"Math.abs(Number(document.getElementById('race-clock').dataset.clock) - {quarter})"
            f" < {0.03 * (xr[1] - xr[0])}",
        )
        # one racer at a time: a tap on a tab shows that racer's panel, full width
        page.tap("#racer-tab-bayes")
        expect(page.locator(".panel-bayes")).to_be_visible()
        expect(page.locator(".panel-grid")).to_be_hidden()
        check(page, "light, scrubbed, the Bayesian tab", screen)

    # five racers (the picker adds Hyperband and TPE) fit this screen too
    set_mode(page, "#theme-toggle", "theme", "dark")
    for name in ("hyperband", "tpe"):
        pick_racer(page, name)
    wait_js(page, f"document.getElementById('app-root').dataset.strategies === '{FIVE}'")
    wait_state(page, "idle")  # a new line-up: the old race is dropped
    check(page, "five racers, dark, idle", screen)
    race_to_the_end(page, tap=phone)
    check(page, "five racers, dark, after a race", screen)
    page.screenshot(path=str(artifacts / f"screens-{tag}-five.png"), **shot)
    set_mode(page, "#presenter-toggle", "presenter", "true")
    check(page, "five racers, dark presenter, after a race", screen, presenter=True)

    if phone:
        # drawing your own landscape by touch: a tap on the panel places a peak
        open_app(page, f"{app_url}?landscape=custom")
        expect(page.locator("#draw-bar")).to_be_visible()
        box = page.locator(".panel-grid .draw-surface").bounding_box()
        page.tap(
            ".panel-grid .draw-surface", position={"x": box["width"] / 2, "y": box["height"] / 2}
        )
        expect(page.locator("#draw-count")).to_have_text(re.compile(r"^1 / 12 peak"))
        check(page, "drawing a landscape", screen)
        page.screenshot(path=str(artifacts / f"screens-{tag}-draw.png"), **shot)
    assert errors == []


def test_popovers_fold_and_sit_over_the_banners(browser: Browser, app_url: str) -> None:
    """⚙ folds on Esc, on a click outside and when a race starts; a focused control never
    scrolls the page sideways; the verdict banner gives way to the scrubber and to a menu,
    and a menu's items are on top."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    open_app(page, app_url)
    gear = page.locator("#bayes-settings")
    pop = page.locator(".bs-pop")

    page.focus("#bayes-settings summary")
    page.keyboard.press("Enter")
    expect(pop).to_be_visible()
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    assert page.evaluate("document.activeElement.closest('#bayes-settings') !== null")

    page.click("#bayes-settings summary")
    expect(pop).to_be_visible()
    page.click(".panel-grid .panel-head h2")  # outside
    expect(pop).to_be_hidden()

    page.click("#bayes-settings summary")
    page.click("#export-menu summary")  # one popover at a time
    expect(pop).to_be_hidden()
    page.keyboard.press("Escape")
    page.click("#bayes-settings summary")
    expect(pop).to_be_visible()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")  # Run, from the keyboard: the race starts, ⚙ folds
    wait_js(page, "document.getElementById('race-clock').dataset.state !== 'idle'")
    expect(pop).to_be_hidden()
    assert gear.evaluate("d => !d.open")
    page.click("#reset-button")
    wait_state(page, "idle")

    # focus every control in turn: nothing scrolls sideways
    scrolled = page.evaluate(
        """(controls) => {
            const out = [];
            for (const e of document.querySelectorAll(controls)) {
                if (!e.checkVisibility() || e.closest('.modebar-container')) continue;
                e.focus();
                const moved = [...document.querySelectorAll('*')].filter(n => n.scrollLeft);
                if (scrollX || moved.length)
                    out.push((e.id || e.className) + ' scrolls ' + scrollX + ' '
                             + moved.map(n => n.id || n.className).join(','));
            }
            return out; }""",
        CONTROLS,
    )
    assert scrolled == []

    # the verdict banner gives way when the user scrubs, and when a menu opens
    page.click("#predict-button")
    page.click("#predict-bayes")
    race_to_the_end(page, tap=False)
    banner = page.locator("#predict-result")
    expect(banner).to_be_visible()
    box = page.locator("#scrubber").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 3, box["y"] + box["height"] / 2)
    expect(banner).to_be_hidden()
    page.evaluate("window.hpoRace.api.seek(1e12)")
    wait_state(page, "finished")
    expect(banner).to_be_visible()
    page.click("#export-menu summary")
    expect(banner).to_be_hidden()
    # the menu's items are on top of everything and take the click
    for item in ("export-csv", "export-json", "export-html"):
        on_top = page.evaluate(
            """(id) => { const r = document.getElementById(id).getBoundingClientRect();
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                return !!hit && hit.closest('#' + id) !== null; }""",
            item,
        )
        assert on_top, f"{item} is covered"
    z = page.evaluate(
        """() => [getComputedStyle(document.querySelector('#export-menu .menu-pop')).zIndex,
                  getComputedStyle(document.getElementById('predict-result')).zIndex,
                  getComputedStyle(document.getElementById('link-notice')).zIndex]"""
    )
    assert int(z[0]) > int(z[1]) and int(z[0]) > int(z[2]), z
    context.close()

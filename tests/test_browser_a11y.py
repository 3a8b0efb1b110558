"""Accessibility in a real browser: axe-core against the live page, keyboard-only use.

axe-core comes from npm (tests/a11y/package.json, pinned in its package-lock.json): install it
with ``npm ci --prefix tests/a11y``. Without it these tests fail (never skip) and say so.

axe runs on the page in both themes, idle and after a race, and with each dialog and menu
open; no serious or critical violation may remain. The keyboard test reaches every control
with Tab, names each one, and drives a race, the landscape menu and the dialogs with keys only.
"""

from __future__ import annotations

import pytest
from conftest import axe_script, wait_a11y_patched, wait_js, wait_revealed, wait_still
from conftest import open_app as open_page
from playwright.sync_api import Browser, Page, expect


def open_app(page: Page, url: str) -> None:
    """The page, with a11y.js's accessibility fix-ups applied (they run on a scan)."""
    open_page(page, url)
    wait_a11y_patched(page)


BLOCKING = ("serious", "critical")


def violations(page: Page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script()))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                                              (n.failureSummary || '').slice(0, 160))}));
        }"""
    )
    return [v for v in found if v["impact"] in BLOCKING]


def assert_clean(page: Page, where: str) -> None:
    bad = violations(page)
    report = "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in bad
    )
    assert not bad, f"axe ({where}):\n{report}"


def finish_race(page: Page) -> None:
    page.click("#step-button")
    page.wait_for_function("() => window.hpoRace.view !== null")
    page.evaluate("window.hpoRace.api.seek(1e12)")
    page.wait_for_function(
        "() => document.getElementById('race-clock').dataset.state === 'finished'"
    )
    wait_revealed(page)  # the fog has faded: axe measures contrast on what is shown


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violation(a11y_page: Page, app_url: str, theme: str) -> None:
    page = a11y_page
    open_app(page, f"{app_url}?theme={theme}")
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    assert page.evaluate("document.documentElement.lang") == "en"
    assert_clean(page, f"{theme}, idle")

    page.click("#predict-button")
    expect(page.locator("#predict-dialog")).to_be_visible()
    assert_clean(page, f"{theme}, predict dialog")
    page.click("#predict-bayes")

    page.click("#shortcuts-button")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    assert_clean(page, f"{theme}, help overlay")
    page.keyboard.press("Escape")

    page.click("#export-menu summary")
    expect(page.locator("#export-csv")).to_be_visible()
    assert_clean(page, f"{theme}, export menu")
    page.keyboard.press("Escape")

    page.click("#bayes-settings summary")
    assert_clean(page, f"{theme}, Bayesian settings")
    page.click("#bayes-settings summary")

    finish_race(page)
    expect(page.locator("#predict-result")).to_be_visible()
    assert_clean(page, f"{theme}, race finished with a prediction")

    page.keyboard.press("p")
    wait_js(page, "document.documentElement.dataset.presenter === 'true'")
    wait_still(page)
    wait_a11y_patched(page)
    assert_clean(page, f"{theme}, presenter mode")


def test_a_link_notice_is_accessible(a11y_page: Page, app_url: str) -> None:
    page = a11y_page
    open_app(page, app_url + "?budget=lots&seed=-1&view=x")
    expect(page.locator("#link-notice")).to_be_visible()
    assert page.get_attribute("#link-notice", "role") == "status"
    assert_clean(page, "link notice")


def accessible_name(page: Page) -> dict:
    """The focused element: its id (or its control's) and its accessible name, as axe says."""
    return page.evaluate(
        """() => { const a = document.activeElement;
            const host = a.closest('[id]');
            if (axe._tree) axe.teardown();
            axe.setup(document);
            const node = axe.utils.getNodeFromTree(a);
            const name = node ? axe.commons.text.accessibleTextVirtual(node) : '';
            return {tag: a.tagName.toLowerCase(), id: a.id || (host ? host.id : ''),
                    type: a.type || '', name: name.trim()}; }"""
    )


def test_every_control_is_reachable_by_keyboard_and_named(a11y_page: Page, app_url: str) -> None:
    page = a11y_page
    open_app(page, app_url)
    page.add_script_tag(path=str(axe_script()))
    page.locator("body").click(position={"x": 5, "y": 760})
    seen: dict[str, dict] = {}
    for _ in range(90):
        page.keyboard.press("Tab")
        info = accessible_name(page)
        if info["tag"] == "body":
            continue
        assert info["name"], f"a control without a name: {info}"
        seen.setdefault(info["id"], info)
    for control in (
        "run-button",
        "step-button",
        "reset-button",
        "landscape-select",
        "scenario-menu",
        "budget-input",
        "seed-input",
        "speed-select",
        "reveal-toggle",
        "dice-button",
        "predict-button",
        "copy-link",
        "export-menu",
        "presenter-toggle",
        "theme-toggle",
        "shortcuts-button",
        "bayes-view",
        "bayes-settings",
        "scrubber",
        "side-tab",
    ):
        assert control in seen, f"{control} cannot be reached with Tab (reached: {list(seen)})"

    # the landscape menu with keys only
    page.focus("#landscape-select")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", name="Bumpy")).to_be_visible()
    # the menu moves the focus into its list, and from option to option, on a later frame:
    # each key waits for the focus to land before the next is pressed
    focused_option = "document.activeElement.closest('.dash-dropdown-option')"
    wait_js(page, f"!!{focused_option}")
    assert page.evaluate(f"() => {focused_option}.textContent").startswith("Smooth")
    page.keyboard.press("ArrowDown")
    wait_js(page, f"({focused_option} || {{}}).textContent?.startsWith('Bumpy')")
    page.keyboard.press("Enter")
    expect(page.locator("#landscape-info")).to_contain_text("Bumpy")

    # a race, and a prediction, with keys only
    page.focus("#predict-button")
    page.keyboard.press("Enter")
    expect(page.locator("#predict-dialog")).to_be_visible()
    page.keyboard.press("Enter")  # focus starts on the first choice
    expect(page.locator("#predict-dialog")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "predict-button"
    page.focus("#step-button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('race-clock').dataset.state === 'paused'")
    expect(page.locator("#race-live")).not_to_be_empty()


@pytest.mark.parametrize(
    ("width", "height"), [(390, 844), (1024, 768)], ids=["phone", "projector-1024"]
)
def test_axe_finds_no_serious_violation_on_a_phone_or_an_old_projector(
    browser: Browser, app_url: str, width: int, height: int
) -> None:
    """The phone's layout (one panel, its racer tabs, the menus across the screen) and the
    1024-wide one (wrapped heads) pass axe too: idle, with the menus open, after a race, in
    presenter mode and dark."""
    axe_script()
    phone = width < 640
    context = browser.new_context(
        viewport={"width": width, "height": height},
        bypass_csp=True,
        has_touch=phone,
        is_mobile=phone,
    )
    page = context.new_page()
    open_app(page, app_url + "?theme=light")
    assert_clean(page, f"{width}, idle")

    page.click("#export-menu summary")
    expect(page.locator("#export-csv")).to_be_visible()
    assert_clean(page, f"{width}, export menu")
    page.keyboard.press("Escape")

    if phone:
        page.click("#racer-tab-bayes")
        expect(page.locator(".panel-bayes")).to_be_visible()
    page.click("#bayes-settings summary")
    expect(page.locator(".bs-pop")).to_be_visible()
    assert_clean(page, f"{width}, Bayesian settings")
    page.keyboard.press("Escape")
    expect(page.locator(".bs-pop")).to_be_hidden()

    finish_race(page)
    assert_clean(page, f"{width}, race finished")

    page.keyboard.press("p")
    wait_js(page, "document.documentElement.dataset.presenter === 'true'")
    page.keyboard.press("t")
    wait_js(page, "document.documentElement.dataset.theme === 'dark'")
    wait_still(page)
    wait_a11y_patched(page)
    assert_clean(page, f"{width}, presenter mode, dark")
    context.close()

"""The page names three files of ours, not forty (app/bundles.py): each is what the separate
files would have given, in the order Dash would have loaded them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hpo_race.app import ASSETS, create_app
from hpo_race.app.bundles import BUNDLE_PREFIX, Bundle, joined, page_bundles


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def named_on_page(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_page_names_our_bundles_and_no_single_asset(client):
    urls = named_on_page(client)
    ours = [u for u in urls if u.startswith(BUNDLE_PREFIX)]
    assert len(ours) == 3, ours
    assert not [u for u in urls if u.startswith("/assets/")], "a single asset is still named"
    # the scripts: ours, then plotly.js; both before Dash's renderer, as the assets were
    scripts = [u for u in urls if u.endswith(".js")]
    page_js = next(i for i, u in enumerate(scripts) if "/page." in u)
    plotly = next(i for i, u in enumerate(scripts) if "/plotly-hpo-" in u)
    renderer = next(i for i, u in enumerate(scripts) if "dash_renderer" in u)
    assert page_js < plotly < renderer


@pytest.mark.parametrize("ext", ["js", "css"])
def test_a_bundle_is_every_asset_file_in_dash_order(client, ext):
    files = sorted(ASSETS.glob(f"*.{ext}"))
    assert len(files) > 10
    url = next(u for u in named_on_page(client) if re.search(rf"/page\.\w+\.{ext}$", u))
    body = client.get(url).get_data(as_text=True)
    markers = re.findall(r"/\* ---- (\S+) ---- \*/", body)
    assert markers == [f.name for f in files]  # sorted by name: _codec.js, _dom.js, … first
    for path in files:
        text = path.read_text(encoding="utf-8").rstrip()
        if ext == "css":
            text = re.sub(r'url\("([\w.-]+)"\)', r'url("/assets/\1")', text)
        assert text in body, path.name


def test_images_a_stylesheet_names_are_found_from_the_bundle(client):
    css_url = next(u for u in named_on_page(client) if u.endswith(".css"))
    css = client.get(css_url).get_data(as_text=True)
    images = re.findall(r'url\("?([^")]+)"?\)', css)
    assert images, "the stylesheets name their icons"
    for image in images:
        if not image.startswith("data:"):
            assert client.get(image).status_code == 200, image


def test_the_url_changes_with_the_content_and_unknown_names_are_404(client, tmp_path: Path):
    one = Bundle("page.js", b"(function () {})();")
    two = Bundle("page.js", b"(function () { 1; })();")
    assert one.url != two.url and one.url.startswith(BUNDLE_PREFIX)
    assert client.get(BUNDLE_PREFIX + "page.0000000000000000.js").status_code == 404
    assert client.get(BUNDLE_PREFIX + "../app/__init__.py").status_code == 404
    (tmp_path / "b.js").write_text("(function () { 'b'; })();")
    (tmp_path / "a.js").write_text("(function () { 'a'; })();")
    text = joined(sorted(tmp_path.glob("*.js"))).decode()
    assert text.index("'a'") < text.index("'b'")
    assert text.count(";\n") >= 2  # every seam is guarded


def test_bundles_are_read_from_the_assets_the_app_serves():
    names = [b.name for b in page_bundles(ASSETS)]
    assert names[:2] == ["page.css", "page.js"]
    assert any(n.startswith("plotly-hpo-") for n in names)

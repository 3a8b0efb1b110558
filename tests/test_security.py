"""Security headers, request limits, and safe defaults for serving."""

import re

import pytest

from hpo_race.app import create_app
from hpo_race.app.cli import build_parser
from hpo_race.app.security import parse_frame_ancestors


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_every_page_carries_the_security_headers(client):
    for path in ("/", "/no-such-page", "/assets/dice.svg"):
        reply = client.get(path)
        headers = reply.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, path
        assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_files_that_are_never_a_page_are_not_sent_the_policy(client):
    """Scripts, stylesheets and JSON are never shown as a page (``nosniff`` keeps them so):
    the policy and the frame rule would only add bytes to each of them."""
    page = client.get("/").get_data(as_text=True)
    files = [p for p in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', page)]
    assert files
    for path in [*files, "/_dash-layout", "/_dash-dependencies"]:
        reply = client.get(path)
        assert reply.status_code == 200, path
        assert reply.mimetype in (
            "application/javascript",
            "text/javascript",
            "text/css",
            "application/json",
        ), (path, reply.mimetype)
        assert "Content-Security-Policy" not in reply.headers, path
        assert "X-Frame-Options" not in reply.headers, path
        assert reply.headers["X-Content-Type-Options"] == "nosniff", path


def test_frame_ancestors_can_allow_a_course_site():
    app = create_app(frame_ancestors="'self' https://course.example.org")
    headers = app.server.test_client().get("/").headers
    assert "frame-ancestors 'self' https://course.example.org" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "'self'; script-src *", "https://a.org\nX-Evil: 1", "*"]
)
def test_frame_ancestors_refuses_anything_that_could_break_the_header(bad):
    with pytest.raises(ValueError, match="CSP sources"):
        parse_frame_ancestors(bad)


def test_oversized_requests_are_refused(client):
    reply = client.post(
        "/_dash-update-component", data=b"x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert reply.status_code == 413


def test_serving_defaults_are_loopback_and_no_debug():
    args = build_parser().parse_args([])
    assert args.host == "127.0.0.1" and args.port == 8050 and args.debug is False


def test_a_forged_request_gets_a_message_not_a_traceback(client):
    reply = client.post("/_dash-update-component", json={"output": "x.y", "inputs": []})
    assert reply.status_code == 400
    assert reply.get_json() == {"error": "Unknown callback."}

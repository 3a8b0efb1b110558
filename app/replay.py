"""The replay for slides: one self-contained HTML page that animates a race with no server.

The page inlines plotly.js (the vendored bundle the app itself serves) and the
figure of ``app.replay_figure``, so the file opens offline from a USB stick, with no server
and no internet; a header says the settings and who reached 95% of the optimum first.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from plotly.offline import get_plotlyjs

from hpo_race.app.replay_figure import replay_figure
from hpo_race.app.theme import INK, MUTED, STRATEGY_STYLE
from hpo_race.app.views import first_to_target as winner

VENDOR = Path(__file__).resolve().parent.parent / "assets" / "vendor"


def plotly_bundle() -> str:
    """The plotly.js bundle the app serves (core + heatmap, assets/vendor/NOTICE.txt), as text."""
    bundles = sorted(VENDOR.glob("plotly-hpo-*.min.js"))
    if bundles:
        return bundles[-1].read_text(encoding="utf-8")
    return get_plotlyjs()  # the full bundle, if the vendored one is missing


def _settings_lines(trace: Mapping[str, Any]) -> list[str]:
    settings = trace["settings"]
    scape = trace["landscape"]
    lines = [
        f"{scape['title']} landscape (layout #{settings['landscape_seed']}) · "
        f"budget {float(settings['budget']):g} GPU minutes each · seed {settings['seed']}"
    ]
    bayes = (settings.get("options") or {}).get("bayes")
    if bayes:
        acq = str(bayes.get("acquisition", "ei"))
        knob = f"κ = {bayes.get('kappa'):g}" if acq == "ucb" else f"ξ = {float(bayes.get('xi')):g}"
        scale = bayes.get("length_scale")
        lines.append(
            f"Bayesian settings: {acq.upper()} ({knob}) · kernel {bayes.get('kernel')} · "
            f"length scale {'fitted' if scale is None else f'{float(scale):g}'} · "
            f"{bayes.get('n_initial')} random starts"
        )
    return lines


def replay_html(
    trace: Mapping[str, Any],
    view: Mapping[str, Any],
    scape: Mapping[str, Any],
    order: Sequence[str],
    link: str | None = None,
) -> str:
    """A standalone HTML page (plotly.js inlined) that replays the race with no server."""
    figure = replay_figure(trace, view, scape, order)
    first = winner(trace, order)
    if first:
        style = STRATEGY_STYLE[first["strategy"]]
        verdict = (
            f"First to 95% of the optimum: {style.glyph} {style.label}, "
            f"at GPU minute {first['minute']:,.0f}."
        )
    else:
        verdict = "Nobody reached 95% of the optimum within the budget."
    # "<" escaped so nothing inside the figure (hover text) can close the script element
    payload = json.dumps(figure, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")
    title = f"hpo-race replay · {trace['landscape']['title']}"
    settings = "".join(f"<p>{html.escape(line)}</p>" for line in _settings_lines(trace))
    live = (
        f'<p class="link">Race it live: <a href="{html.escape(link)}">{html.escape(link)}</a></p>'
        if link
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hpo-race">
<title>{html.escape(title)}</title>
<style>
  html, body {{ margin: 0; height: 100%; background: #fff; color: {INK};
    font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }}
  body {{ display: flex; flex-direction: column; }}
  header {{ padding: 10px 18px 0; }}
  h1 {{ margin: 0 0 2px; font-size: 22px; }}
  header p {{ margin: 1px 0; font-size: 14px; color: {MUTED}; }}
  header p.verdict {{ color: {INK}; font-weight: 700; font-size: 15px; }}
  header p.link {{ font-size: 12px; }}
  #replay {{ flex: 1 1 auto; min-height: 520px; }}
</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
{settings}
<p class="verdict">{html.escape(verdict)} Press ▶ Play, or drag the slider.</p>
{live}
</header>
<div id="replay" data-frames="{len(figure["frames"])}"></div>
<script>{plotly_bundle()}</script>
<script>
(function () {{
  var fig = {payload};
  Plotly.newPlot("replay", {{data: fig.data, layout: fig.layout, frames: fig.frames,
    config: fig.config}});
}})();
</script>
</body>
</html>
"""

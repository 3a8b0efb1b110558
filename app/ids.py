"""Stable component ids: the layout, the callbacks, assets/*.js and the tests all use these."""

from __future__ import annotations

from hpo_race.strategies.registry import DEFAULT_RACERS, RACERS

#: The default line-up, in panel order.
STRATEGY_ORDER = DEFAULT_RACERS
#: Every registered racer has a panel, left to right; only the picked ones show.
PANEL_ORDER = tuple(RACERS)
#: The racer picker (a checklist of every registered racer; 2–5 race at once).
RACER_PICKER = "racer-picker"
#: dcc.Store: the options of racers without a settings panel, as a link gave them.
RACER_OPTIONS = "racer-options"
#: dcc.Store: the Bayesian settings panel's checked values (app/bayes_panel.py).
BAYES_STORE = "bayes-store"
#: dcc.Store: the drawn peaks as "u,v,h,w;…" ("" while nothing is drawn; app/draw.py).
PEAKS = "draw-peaks"

APP_ROOT = "app-root"

# Transport controls
RUN_BUTTON = "run-button"
PAUSE_BUTTON = "pause-button"
STEP_BUTTON = "step-button"
RESET_BUTTON = "reset-button"

# Settings
LANDSCAPE_SELECT = "landscape-select"
BUDGET_INPUT = "budget-input"
SPEED_SELECT = "speed-select"
SEED_INPUT = "seed-input"
DIMS_SELECT = "dims-select"  # how many knobs the racers tune (2 … 6)
WORKERS_INPUT = "workers-input"  # how many GPUs each racer runs trials on at once (1 … 32)
#: The menu holding those two ("2 knobs · 1 GPU"), and its summary's text.
SCENARIO_MENU = "scenario-menu"
SCENARIO_LABEL = "scenario-label"
DICE_BUTTON = "dice-button"
LANDSCAPE_SEED = "landscape-seed"  # dcc.Store holding the drawn landscape seed
LANDSCAPE_SEED_LABEL = "landscape-seed-label"
REVEAL_TOGGLE = "reveal-toggle"

# Panels, one per strategy, each with its budget bar
PANEL = {name: f"panel-{name}" for name in PANEL_ORDER}  # front layer: the probes
LANDSCAPE_LAYER = {name: f"landscape-{name}" for name in PANEL_ORDER}  # back layer
FOG = {name: f"fog-{name}" for name in PANEL_ORDER}  # hides the landscape until revealed
BUDGET = {name: f"budget-{name}" for name in PANEL_ORDER}
BEST_PLOT = "best-plot"
BEST_OVERLAY = "best-overlay"  # lies exactly over the best plot's plot area
NOW_LINE = "now-line"  # overlay on the best plot, moved every frame by race-renderer.js
NOW_LABEL = "now-label"
TAIL = {name: f"tail-{name}" for name in PANEL_ORDER}  # best-so-far from last trial to now
#: The line under each panel: what the strategy just did and why (assets/narration.js).
NARRATION = {name: f"narration-{name}" for name in PANEL_ORDER}
#: Under each panel with more than two knobs: a strip per extra knob (assets/knobs.js).
STRIPS = {name: f"strips-{name}" for name in PANEL_ORDER}
#: Under each panel with several GPUs: one row per GPU, a bar per trial (assets/workers.js).
GANTT = {name: f"gantt-{name}" for name in PANEL_ORDER}
#: The shared plot's clock: GPU minutes (cost) or the wall clock (time to a result).
TIME_AXIS = "time-axis"
SCRUBBER = "scrubber"  # the race clock's timeline over the best-score plot
#: On a phone one panel shows at a time: a tab per racer picks it (assets/screens.js).
RACER_TABS = "racer-tabs"
RACER_TAB = {name: f"racer-tab-{name}" for name in PANEL_ORDER}

# Read-outs
ALERT = "alert"
STATUS = "race-status"
LANDSCAPE_INFO = "landscape-info"
LESSON = "lesson"
#: Shown when the race went against its landscape's lesson: opens the Many seeds tab.
LESSON_MANY = "lesson-many"
HELP = "help"
#: Hidden element whose data-* attributes mirror the animation (clock, state, trials shown).
CLOCK = "race-clock"

#: dcc.Location: ?landscape=…&layout=…&budget=…&seed=… makes a race shareable as a link.
URL = "url"

# Stores
RACE_REQUEST = "race-request"  # settings of the race the browser asks for (clientside -> server)
RACE_STORE = "race-store"  # the computed race, ready to animate (server -> clientside)
LESSON_REQUEST = "lesson-request"  # the race settings whose lesson is counted (-> server)
LESSON_STORE = "lesson-store"  # how often the lesson held, or how far the count has got

#: Effect-only outputs of the clientside callbacks (each callback gets its own, so no duplicates).
SINK = {name: f"sink-{name}" for name in ("reveal", "settings", "speed", "race", "axis", "lesson")}

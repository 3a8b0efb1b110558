"""Many-seeds benchmark: how long "Repeat × N seeds" takes, whole and in chunks.

    .venv/bin/python bench/bench_many.py [--repeats 30] [--rounds 1]
                                         [--reference COMMIT | --no-reference]

Prints, for every landscape with the default settings (budget 800, grid + random + bayes):

- wall and CPU seconds of ``run_many(landscape, repeats=30)``;
- seconds per ``strategies.many.run_chunk`` of 5 races (the first six chunks: worst and median);
- the same ``run_many`` timed on a reference commit of the engine (default: the last commit
  before the many-seeds speed-ups), extracted with ``git archive`` into a temporary directory
  and run in the same way in this run, and the before/after ratio.

Every measurement runs in a fresh subprocess that first warms up (imports, the landscape's
optimum) with one short race, as a long-lived server worker is. The machine may be shared:
the load average is printed, ``--rounds R`` repeats everything and keeps the fastest round,
and CPU seconds are printed next to wall seconds (other processes inflate wall time, not
CPU time); the speed-up is given for both.

Measured on the 2-core development machine (load average ~2 from other work), before the
speed-ups: run_many N=30 took smooth 5.0 s, bumpy 5.5 s, one-knob 5.1 s, svm-digits 10.9 s.
svm-digits was slow not because of its spline or landscape (building it and its optimum takes
~25 ms once per process; scoring and costing all its trials ~40 ms per 10 races) but because
Bayesian optimisation runs ~92 trials there instead of ~47 — the accuracy ridge is also where
SVC fits fastest — and a BO step cost grew with n (hyperparameter refit every step, O(n²·m)
candidate scoring). See the commits touching strategies/gp.py and strategies/bayes.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANDSCAPE_NAMES = ("smooth", "bumpy", "one-knob", "svm-digits")
#: The engine just before the many-seeds speed-ups (what the "before" figures are).
REFERENCE = "a68c9b85fe0f22121b2d6c1d23dfba21d696cad2"
CHUNK = 5


def worker(root: str, landscape: str, repeats: int, chunks: bool) -> dict:
    """Runs inside a fresh subprocess with the engine at ``root`` first on sys.path."""
    sys.path.insert(0, root)
    from hpo_race.strategies.race import run, run_many

    run(landscape, ["grid", "random", "bayes"], 100.0, seed=10**6)  # warm-up
    out = {}
    wall, cpu = time.perf_counter(), time.process_time()
    run_many(landscape, repeats=repeats)
    out["run_many"] = time.perf_counter() - wall
    out["run_many_cpu"] = time.process_time() - cpu
    if chunks:
        from hpo_race.strategies.many import run_chunk

        times = []
        for start in range(0, min(repeats, 6 * CHUNK), CHUNK):
            t = time.perf_counter()
            run_chunk(landscape, start=start, count=CHUNK)
            times.append(time.perf_counter() - t)
        out["chunks"] = times
    return out


def measure(root: Path, landscape: str, repeats: int, chunks: bool) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(root), landscape, str(repeats), str(chunks)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def extract(commit: str, into: Path) -> Path:
    """The engine (landscapes/, strategies/) at ``commit``, without touching the work tree."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "landscapes", "strategies"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        root, landscape, repeats, chunks = sys.argv[2:6]
        print(json.dumps(worker(root, landscape, int(repeats), chunks == "True")))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reference", default=REFERENCE)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--landscapes", default=",".join(LANDSCAPE_NAMES))
    args = parser.parse_args()
    names = args.landscapes.split(",")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        ref = None if args.no_reference else extract(args.reference, Path(tmp))
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for name in names:
                now = measure(ROOT, name, args.repeats, chunks=True)
                was = measure(ref, name, args.repeats, chunks=False) if ref else None
                old = best.get(name)
                if old is None or now["run_many"] < old["now"]["run_many"]:
                    best.setdefault(name, {})["now"] = now
                if was and (
                    "was" not in best[name] or was["run_many"] < best[name]["was"]["run_many"]
                ):
                    best[name]["was"] = was
    n = args.repeats
    print(f"\nrun_many(landscape, repeats={n}), defaults (budget 800, grid+random+bayes)")
    head = f"{'landscape':<11} {'wall s':>7} {'cpu s':>6}  {'chunk of 5: max / median s':>27}"
    if not args.no_reference:
        head += f"  {'before wall':>11} {'cpu':>6}  {'speed-up wall':>13} {'cpu':>6}"
    print(head)
    for name in names:
        now = best[name]["now"]
        line = (
            f"{name:<11} {now['run_many']:7.2f} {now['run_many_cpu']:6.2f}  "
            f"{max(now['chunks']):13.2f} / {statistics.median(now['chunks']):.2f}"
        )
        if "was" in best[name]:
            was = best[name]["was"]
            line += (
                f"  {was['run_many']:11.2f} {was['run_many_cpu']:6.2f}  "
                f"{was['run_many'] / now['run_many']:12.2f}x "
                f"{was['run_many_cpu'] / now['run_many_cpu']:5.2f}x"
            )
        print(line)
    if not args.no_reference:
        print(f"\nbefore = engine at {args.reference[:10]}, measured in this run")


if __name__ == "__main__":
    main()

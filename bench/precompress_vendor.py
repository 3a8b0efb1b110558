"""Write the brotli copy of each vendored script (assets/vendor/*.js -> *.js.br) and print
what it saves.

    .venv/bin/python bench/precompress_vendor.py           # write the .br files
    .venv/bin/python bench/precompress_vendor.py --check   # exit 1 if one is missing or stale

The server compresses the page's files at brotli quality 6 (app/static_files.py), which costs
~0.1 s for plotly.js; quality 11 is ~10 % smaller but takes seconds of CPU, so the package
ships plotly.js compressed at 11 once, here. app/bundles.py sends the shipped copy only while
it decodes to exactly the file served (a rebuilt plotly.js without a new .br is sent at 6,
and tests/test_static_files.py fails until this script is run again). Prints, per file: its
size, quality 6 and 11 sizes, and the CPU seconds each took, measured in this run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hpo_race.app.bundles import shipped_brotli  # noqa: E402
from hpo_race.app.static_files import BEST_BROTLI, BROTLI_QUALITY  # noqa: E402

VENDOR = ROOT / "assets" / "vendor"


def timed(body: bytes, quality: int) -> tuple[bytes, float]:
    start = time.process_time()
    out = brotli.compress(body, quality=quality)
    return out, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the .br files")
    args = parser.parse_args(argv)
    stale = []
    for path in sorted(VENDOR.glob("*.js")):
        body = path.read_bytes()
        target = path.with_name(path.name + ".br")
        if args.check:
            if shipped_brotli(path, body) is None:
                stale.append(target.name)
            continue
        quick, quick_s = timed(body, BROTLI_QUALITY)
        best, best_s = timed(body, BEST_BROTLI)
        assert brotli.decompress(best) == body
        target.write_bytes(best)
        print(
            f"{path.name}: {len(body):,} bytes; brotli {BROTLI_QUALITY} {len(quick):,} "
            f"({quick_s:.2f} s), "
            f"{BEST_BROTLI} {len(best):,} ({best_s:.2f} s): {len(quick) - len(best):,} saved"
            f" -> {target.relative_to(ROOT)}"
        )
    if stale:
        print(f"missing or stale: {', '.join(stale)} (run bench/precompress_vendor.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

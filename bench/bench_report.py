"""How big is the class report, how long does it take to make, and to load in a browser?

For classes of each size (`--sizes`, default 30 and 1,000 students), builds stored results
cheaply (`tests/class_of_results.py`: a few notebooks graded on the fake session, each student
given one of their reports with their own code from a generated class), then measures:

- similarity: seconds of the similarity check (`class_similarity`, also writes
  similarity.json);
- render: seconds to summarize the class and render report.html (our side, no browser);
- size: report.html in bytes (and similarity.json);
- Chromium: headless Chromium opens the report in a frame of a small measuring page and reports
  the milliseconds to its load event, the page's height and its element count; the median of
  `--loads` loads. The whole command's wall time (browser start included) is printed too.
- a screenshot of the top of the report (1280 x 2400) into `--screenshots` (default /tmp).

Chromium is looked for as chromium, chromium-browser, google-chrome (Debian:
`apt-get install chromium`); without it, the browser figures are skipped and it says so.

Usage:
    python bench/bench_report.py [--sizes 30,1000] [--loads 3] [--screenshots /tmp]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from class_of_results import build_class  # noqa: E402  (the tests' class builder)

from grader.batch.class_report import write_class_report  # noqa: E402
from grader.similarity.batch import class_similarity  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars")
# Opens the page named after '#' in a frame; writes the timings as JSON into the DOM, which
# --dump-dom prints once the outer page (and so the frame) has loaded.
MEASURE = """<!DOCTYPE html><html><body>
<iframe id="f" style="width:1280px;height:900px"></iframe><pre id="out">pending</pre>
<script>
const frame = document.getElementById('f'), start = performance.now();
frame.onload = () => {
  const loaded = performance.now() - start, doc = frame.contentDocument;
  const height = doc.documentElement.scrollHeight;
  document.getElementById('out').textContent = JSON.stringify({load_ms: loaded,
    height_px: height, elements: doc.getElementsByTagName('*').length});
};
frame.src = location.hash.slice(1);
</script></body></html>
"""


def browser() -> str | None:
    """The first Chromium found on the PATH."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def load_in_browser(chrome: str, page: Path, measure: Path) -> tuple[dict[str, float], float]:
    """The frame's load figures and the command's wall seconds (browser start included)."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            chrome,
            *FLAGS,
            "--allow-file-access-from-files",
            "--dump-dom",
            f"{measure.as_uri()}#{page}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    wall = time.perf_counter() - start
    found = re.search(r"\{.*\}", done.stdout)
    if not found:
        raise RuntimeError(f"no measurement from the browser: {done.stderr[-500:]}")
    return json.loads(found.group(0)), wall


def screenshot(chrome: str, page: Path, target: Path) -> None:
    """The top of the page, 1280 x 2400 pixels, as PNG."""
    subprocess.run(
        [chrome, *FLAGS, f"--screenshot={target}", "--window-size=1280,2400", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )


def bench(size: int, loads: int, shots: Path, chrome: str | None) -> None:
    """Build, check, render and load one class; print its figures."""
    folder = Path(tempfile.mkdtemp(prefix=f"report-{size}-"))
    stored = build_class(size)
    start = time.perf_counter()
    similarity = class_similarity(folder, stored)
    checked = time.perf_counter() - start
    start = time.perf_counter()
    page = write_class_report(folder, stored, similarity)
    rendered = time.perf_counter() - start
    pairs = len(similarity.report.pairs) if similarity.report else 0
    print(
        f"{size} students: similarity {checked:.2f} s ({pairs} pairs), render {rendered:.3f} s, "
        f"report.html {page.stat().st_size / 1e6:.2f} MB, similarity.json "
        f"{(folder / 'similarity.json').stat().st_size / 1e6:.2f} MB"
    )
    if chrome is None:
        print("  no Chromium found (apt-get install chromium): browser figures skipped")
        return
    measure = folder / "measure.html"
    measure.write_text(MEASURE)
    runs = [load_in_browser(chrome, page, measure) for _ in range(loads)]
    load = statistics.median(run["load_ms"] for run, _ in runs)
    wall = statistics.median(seconds for _, seconds in runs)
    height, elements = runs[0][0]["height_px"], runs[0][0]["elements"]
    target = shots / f"class_report_{size}.png"
    screenshot(chrome, page, target)
    print(
        f"  Chromium: loaded in {load:.0f} ms (median of {loads}; {wall:.2f} s with browser "
        f"start), {height:.0f} px tall, {elements:.0f} elements; screenshot {target}"
    )


def main() -> None:
    """Parse the options and measure each class size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,1000", help="class sizes, comma-separated")
    parser.add_argument("--loads", type=int, default=3, help="browser loads per size")
    parser.add_argument("--screenshots", type=Path, default=Path("/tmp"), help="PNG folder")
    options = parser.parse_args()
    chrome = browser()
    for size in (int(s) for s in options.sizes.split(",")):
        bench(size, options.loads, options.screenshots, chrome)


if __name__ == "__main__":
    main()

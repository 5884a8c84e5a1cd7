"""Render a report in headless Chromium and probe it (used by test_browser.py and
docs/img/make_screenshots.py).

No driver package: the page is copied with two small scripts added, one at the top of
``<head>`` that records every error (script errors, resources that fail to load, and
``console.error`` calls), one that runs on ``load`` and writes its findings as JSON into a
``<pre id="infodiv-probe">`` element; ``chromium --headless --dump-dom`` prints the DOM after
the load, and its log (``--enable-logging=stderr``) lists every console message. The report
itself has no script.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

WIDTH = 1400

HEAD_PROBE = """<script>window.__infodiv_errors = [];
window.addEventListener("error", function (e) {
  var t = e.target;
  window.__infodiv_errors.push(t && t.tagName ? "failed to load " + t.tagName + " " +
    String(t.src || t.href).slice(0, 80) : String(e.message));
}, true);
var __ce = console.error;
console.error = function () { window.__infodiv_errors.push([].join.call(arguments, " "));
  __ce.apply(console, arguments); };</script>"""

LOAD_PROBE = """<script>window.addEventListener("load", function () {
  var W = window.innerWidth, out = [];
  var all = document.body.getElementsByTagName("*");
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    if (el.closest(".scroll") && !el.classList.contains("scroll")) continue;
    if (el.tagName === "SCRIPT" || el.id === "infodiv-probe") continue;
    var r = el.getBoundingClientRect();
    if (r.right > W + 0.5 || r.left < -0.5)
      out.push(el.tagName + (el.id ? "#" + el.id : "") + " right=" + Math.round(r.right));
    else if (!el.classList.contains("scroll") && el.tagName !== "DETAILS" &&
             el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      out.push(el.tagName + (el.id ? "#" + el.id : "") + " content " + el.scrollWidth +
               " px in " + el.clientWidth + " px");
  }
  var imgs = Array.prototype.map.call(document.images, function (im) {
    return {alt: im.alt, complete: im.complete, width: im.naturalWidth, height: im.naturalHeight};
  });
  var scrollers = Array.prototype.filter.call(document.querySelectorAll(".scroll"),
    function (d) { return d.scrollWidth > d.clientWidth; }).length;
  var p = document.createElement("pre");
  p.id = "infodiv-probe";
  p.style.display = "none";
  p.textContent = JSON.stringify({errors: window.__infodiv_errors, inner_width: W,
    page_width: document.documentElement.scrollWidth, overflow: out, images: imgs,
    scrolling_tables: scrollers, tables: document.querySelectorAll("table").length,
    details: document.querySelectorAll("details").length});
  document.body.appendChild(p);
});</script>"""


def chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _base_args(exe: str, width: int, height: int) -> list[str]:
    return [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--allow-file-access-from-files",
        f"--window-size={width},{height}",
    ]


def probe(html_path: Path, work: Path, width: int = WIDTH) -> dict:
    """Render ``html_path`` at ``width`` px and return the probe's findings plus
    ``console_errors`` (console messages of level error or warning from Chromium's log)."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    text = Path(html_path).read_text(encoding="utf-8")
    text = text.replace("<head>", "<head>" + HEAD_PROBE, 1)
    text = text.replace("</body>", LOAD_PROBE + "</body>", 1)
    page = Path(work) / "probed.html"
    page.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [
            *_base_args(exe, width, 1000),
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    m = re.search(r'<pre id="infodiv-probe"[^>]*>(.*?)</pre>', proc.stdout, re.S)
    if m is None:
        raise RuntimeError(f"no probe output; chromium said: {proc.stderr[-2000:]}")
    import html

    found = json.loads(html.unescape(m.group(1)))
    # console lines of the page: '...:INFO:CONSOLE:1] "text", source: file:///... (1)'; the
    # level of console.error is not in the line, so every console line of the page counts
    found["console_lines"] = [
        line for line in proc.stderr.splitlines() if ":CONSOLE" in line and "file://" in line
    ]
    return found


def screenshot(html_path: Path, out_png: Path, width: int = WIDTH, height: int = 900) -> None:
    """A PNG of the top ``height`` px of the page at ``width`` px."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    subprocess.run(
        [
            *_base_args(exe, width, height),
            f"--screenshot={Path(out_png).resolve()}",
            Path(html_path).resolve().as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )


def section_page(html_path: Path, key: str, out_html: Path) -> Path:
    """A copy of the report holding only its title and the section ``key`` (for a screenshot
    of one section)."""
    text = Path(html_path).read_text(encoding="utf-8")
    head, _, rest = text.partition("<body>")
    m = re.search(rf'<section id="{re.escape(key)}">.*?</section>', rest, re.S)
    if m is None:
        raise ValueError(f"no section {key!r} in {html_path}")
    out_html.write_text(f"{head}<body>{m.group(0)}</body></html>\n", encoding="utf-8")
    return out_html


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.reporting.browser REPORT.html OUT_DIR [SECTION]``: screenshots of the
    summary (``report_summary.png``) and of one section (``report_section.png``) at 1,400 px,
    as committed under docs/img/."""
    import sys
    import tempfile

    args = sys.argv[1:] if argv is None else argv
    page, out = Path(args[0]), Path(args[1])
    key = args[2] if len(args) > 2 else "calibration"
    out.mkdir(parents=True, exist_ok=True)
    screenshot(page, out / "report_summary.png", height=1100)
    with tempfile.TemporaryDirectory() as tmp:
        one = section_page(page, key, Path(tmp) / "section.html")
        screenshot(one, out / "report_section.png", height=1300)


if __name__ == "__main__":
    main()

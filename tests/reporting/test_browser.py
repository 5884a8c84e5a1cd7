"""The report's HTML in a real browser (headless Chromium): no console error, every image
loads, nothing wider than 1,400 px outside the scroll boxes of wide tables.

Skipped when Chromium is not installed (``apt-get install chromium``); ``.ci/run`` installs it,
so CI always runs these tests.
"""

import os

import numpy as np
import pandas as pd
import pytest

from infodiv.cli import main
from infodiv.reporting import Report, Section
from tests.reporting import browser

if browser.chromium() is None and os.environ.get("INFODIV_REQUIRE_BROWSER"):
    raise RuntimeError("INFODIV_REQUIRE_BROWSER is set (CI) but Chromium is not installed")
pytestmark = pytest.mark.skipif(
    browser.chromium() is None,
    reason="Chromium not installed (apt-get install chromium; .ci/run installs it)",
)


def _check(found, n_images):
    assert found["errors"] == [], found["errors"]
    assert found["console_lines"] == [], found["console_lines"]
    assert len(found["images"]) == n_images
    for im in found["images"]:
        assert im["complete"] and im["width"] > 0 and im["height"] > 0, im
    assert found["inner_width"] == browser.WIDTH
    assert found["page_width"] <= browser.WIDTH, found
    assert found["overflow"] == [], found["overflow"]


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    """`infodiv report` on a small file with a protected attribute, plus a 40-column table."""
    tmp = tmp_path_factory.mktemp("browser")
    rng = np.random.default_rng(3)
    n = 1500
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "z": rng.normal(size=n),
            "g": rng.choice(["a", "b", "c"], n),
            "sex": rng.choice(["f", "m"], n),
        }
    )
    df["default"] = (rng.random(n) < 1 / (1 + np.exp(1.5 - df["x"]))).astype(int)
    df.to_csv(tmp / "d.csv", index=False)
    out = tmp / "out"
    argv = ["report", str(tmp / "d.csv"), "--target", "default", "--protected", "sex"]
    assert main([*argv, "--no-frontier", "--quiet", "--format", "html", "--out", str(out)]) == 0
    return out / "report.html"


def test_report_renders_clean_at_1400px(small_report, tmp_path):
    html = small_report.read_text()
    n_images = html.count("<img ")
    assert n_images >= 5
    found = browser.probe(small_report, tmp_path)
    _check(found, n_images)
    assert found["details"] >= 3  # the per-feature WoE tables are folded


def test_a_wide_table_scrolls_inside_its_box(tmp_path):
    rep = Report("wide")
    sec = rep.add(Section("wide", "A wide table"))
    wide = pd.DataFrame(
        np.arange(5 * 40, dtype=float).reshape(5, 40) * 12345.678,
        columns=[f"a_rather_long_column_{i}" for i in range(40)],
    )
    sec.table("Wide", wide, "Forty columns.")
    path = tmp_path / "wide.html"
    path.write_text(rep.to_html())
    found = browser.probe(path, tmp_path)
    _check(found, 0)
    assert found["scrolling_tables"] == 1  # wider than the page, so it scrolls in its box


def test_the_probe_sees_errors_broken_images_and_overflow(tmp_path):
    """The checks can fail: a broken image, a script error and a too-wide block are caught."""
    path = tmp_path / "bad.html"
    path.write_text(
        "<!DOCTYPE html><html><head></head><body><img alt='x' src='data:image/png;base64,AAAA'>"
        "<div style='width:2000px'>wide</div><script>console.error('boom')</script></body></html>"
    )
    found = browser.probe(path, tmp_path)
    assert any("boom" in e for e in found["errors"])
    assert any("failed to load IMG" in e for e in found["errors"])
    assert found["images"][0]["width"] == 0
    assert found["page_width"] > browser.WIDTH and found["overflow"]


def test_validation_report_renders_clean_at_1400px(tmp_path):
    import infodiv.credit

    if not hasattr(infodiv.credit, "validation_pack"):
        pytest.skip("infodiv.credit.validation_pack not in this tree yet")
    rng = np.random.default_rng(4)
    frames = []
    for n, shift in ((1500, 0.0), (1000, 0.4)):
        x = rng.normal(shift, 1, n)
        p = 1 / (1 + np.exp(2 - x))
        frames.append(
            pd.DataFrame({"id": np.arange(n), "x": x, "score": p, "default": rng.random(n) < p})
        )
    for name, f in zip(("dev", "cur"), frames, strict=True):
        f.astype({"default": int}).to_csv(tmp_path / f"{name}.csv", index=False)
    argv = ["validate", str(tmp_path / "dev.csv"), str(tmp_path / "cur.csv")]
    argv += ["--target", "default", "--score", "score", "--id", "id", "--quiet"]
    assert main([*argv, "--format", "html", "--out", str(tmp_path / "o")]) == 0
    page = tmp_path / "o" / "validation.html"
    n_images = page.read_text().count("<img ")
    assert n_images >= 4
    _check(browser.probe(page, tmp_path), n_images)

"""Known-answer fixtures: small, reproducible, and their estimates recover the truth."""

from __future__ import annotations

import subprocess
import sys

import pyreadstat
import pytest

from ss_core.authoring.smoke_plan import EXPECTED_FILE, decode_expected
from tests.library.conftest import LIBRARY, REPO

FIXTURES = LIBRARY / "fixtures"
EXPECTED = decode_expected((FIXTURES / EXPECTED_FILE).read_bytes())


def test_fixtures_are_small() -> None:
    # five small simulated datasets plus the plan's data cases (a few kB each)
    total = sum(p.stat().st_size for p in FIXTURES.iterdir())
    assert total < 250_000


@pytest.mark.parametrize("name", sorted(EXPECTED.fixtures))
def test_fixture_file_matches_its_description(name: str) -> None:
    fixture = EXPECTED.fixtures[name]
    frame, meta = pyreadstat.read_dta(str(FIXTURES / fixture.file))
    assert meta.number_rows == fixture.rows == len(frame)
    # missing = never treated / not the adoption row / the unbalanced-panel gaps
    nullable = {"treat_time", "treat_time_adopt", "y_gaps"}
    assert frame.drop(columns=[c for c in nullable if c in frame]).notna().all().all()


@pytest.mark.parametrize(("fixture", "estimate", "truth", "tolerance"), [
    ("cross_section", "ols_x1", 2.0, 0.15),
    ("cross_section", "ols_x2", 0.5, 0.15),
    ("cross_section", "poisson_x1", 0.5, 0.15),
    ("cross_section", "logit_x1", 1.0, 0.35),
    ("cross_section", "iv_xend", 1.0, 0.25),
    ("cross_section", "indirect_x1_m", 0.4, 0.15),
    ("panel", "did_twfe", 1.5, 0.3),
    ("panel", "staggered_twfe", 1.5, 0.3),
    ("panel", "fe_x", 0.8, 0.1),
    ("time_series", "ar1_ols", 0.6, 0.1),
    ("time_series", "ar1_mle", 0.6, 0.1),
    ("survival", "cox_x", 0.5, 0.15),
])
def test_estimates_recover_the_simulated_truth(
        fixture: str, estimate: str, truth: float, tolerance: float) -> None:
    assert abs(EXPECTED.fixtures[fixture].estimates[estimate] - truth) < tolerance


def test_the_instrument_removes_the_endogeneity_bias() -> None:
    est = EXPECTED.fixtures["cross_section"].estimates
    assert abs(est["iv_xend"] - 1.0) < abs(est["ols_xend_biased"] - 1.0)


def test_twfe_and_interaction_did_agree_on_a_balanced_panel() -> None:
    est = EXPECTED.fixtures["panel"].estimates
    assert est["did_twfe"] == pytest.approx(est["did_2x2"], abs=1e-6)


@pytest.mark.slow
def test_fixtures_regenerate_identically(tmp_path) -> None:
    out = tmp_path / "fixtures"
    check = subprocess.run([sys.executable, str(REPO / "scripts" / "make_fixtures.py"),
                            "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    assert (out / EXPECTED_FILE).read_text() == (FIXTURES / EXPECTED_FILE).read_text()
    for name, fixture in EXPECTED.fixtures.items():
        fresh, _ = pyreadstat.read_dta(str(out / fixture.file))
        committed, _ = pyreadstat.read_dta(str(FIXTURES / fixture.file))
        assert fresh.equals(committed), name

"""Spellings of one technical term become the term the library's keywords use."""

from ss_core.library.query_terms import normalize


def test_granger_cause_verbs_read_as_granger_causality():
    for text in ("does m2 Granger-cause cpi", "m2 granger causes cpi", "x Granger caused y",
                 "is x granger-causing y"):
        assert "granger causality" in " ".join(normalize(text).split()), text
    assert normalize("granger causality test").split() == ["granger", "causality", "test"]

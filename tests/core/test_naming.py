from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.stata.names import RESERVED_WORDS, is_valid_stata_name, normalize_names
from tests.core.strategies import headers


@given(headers)
def test_normalised_names_are_always_valid_stata_names(originals):
    assert all(is_valid_stata_name(n) for n in normalize_names(originals))


@given(headers)
def test_normalised_names_are_unique_ignoring_case(originals):
    names = normalize_names(originals)
    assert len({n.lower() for n in names}) == len(names)


@given(headers)
def test_normalisation_is_stable(originals):
    assert normalize_names(originals) == normalize_names(list(originals))


@given(headers)
def test_valid_unique_names_are_kept_verbatim(originals):
    names = normalize_names(originals)
    seen: set[str] = set()
    for original, name in zip(originals, names, strict=True):
        if is_valid_stata_name(original) and original.lower() not in seen:
            assert name == original
        seen.add(name.lower())


@settings(max_examples=50)
@given(st.lists(st.sampled_from(sorted(RESERVED_WORDS)[:40]), min_size=1, max_size=5))
def test_reserved_words_are_renamed(words):
    for name in normalize_names(words):
        assert name not in RESERVED_WORDS


def test_chinese_headers_become_stable_ascii_names():
    first = normalize_names(["工资", "教育年限", "工资"])
    assert first == normalize_names(["工资", "教育年限", "工资"])
    assert first[0].startswith("v1_") and first[1].startswith("v2_")
    assert first[2] != first[0]


def test_long_names_are_cut_to_32_characters():
    [name] = normalize_names(["a_very_long_column_name_that_goes_beyond_32_chars"])
    assert len(name) <= 32 and is_valid_stata_name(name)

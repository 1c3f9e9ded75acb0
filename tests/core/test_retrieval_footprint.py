"""The retrieval index lives for the whole life of every API process that selects templates:
it is built on the first query (a process that only answers status requests never holds it)
and stays compact (each term string stored once, keyword terms worked out on demand). Built
over the packaged 169-template library it keeps well under 2.5 MiB; the index that stored a
string per occurrence and a term set per keyword kept 3.7 MiB."""

from __future__ import annotations

import tracemalloc

from ss_core.library.loader import load_library
from ss_core.library.packaged import default_library_root
from ss_core.library.retrieval import Retriever


def test_the_index_is_built_on_the_first_query_and_is_compact() -> None:
    library = load_library(default_library_root())
    tracemalloc.start()
    try:
        retriever = Retriever(library)
        before_query, _peak = tracemalloc.get_traced_memory()
        assert retriever.score("OLS regression of wage on educ")
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert before_query < 64 * 2**10, f"an unqueried retriever keeps {before_query} bytes"
    assert 2**20 / 2 < kept < 2.5 * 2**20, f"the retrieval index keeps {kept / 2**20:.2f} MiB"

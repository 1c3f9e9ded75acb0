"""The retrieval index lives for the whole life of every API process: it stays compact (each
term string stored once, keyword terms worked out on demand). Built over the packaged
169-template library it keeps well under 2.5 MiB; the index that stored a string per
occurrence and a term set per keyword kept 3.7 MiB."""

from __future__ import annotations

import tracemalloc

from ss_core.library.loader import load_library
from ss_core.library.packaged import default_library_root
from ss_core.library.retrieval import Retriever


def test_the_index_of_the_packaged_library_is_compact() -> None:
    library = load_library(default_library_root())
    tracemalloc.start()
    try:
        retriever = Retriever(library)
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert retriever.score("OLS regression of wage on educ")
    assert kept < 2.5 * 2**20, f"the retrieval index keeps {kept / 2**20:.2f} MiB"

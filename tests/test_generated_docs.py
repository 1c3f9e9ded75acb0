from ss_http.cli.docs import error_codes_markdown, stale_documents


def test_generated_docs_are_current():
    assert stale_documents() == [], "run `ssctl docs generate` and commit the result"


def test_error_code_doc_lists_every_registered_code():
    from ss_core.errors import ERROR_CODES

    text = error_codes_markdown()
    assert all(f"`{code}`" in text for code in ERROR_CODES)

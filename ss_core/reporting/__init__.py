"""The results report: what a researcher reads after a run, built from the frozen plan and the
indexed outputs, with an interpretation whose every number is traceable to a results cell.

``tables`` reads the CSV outputs, ``numbers`` finds and compares numbers as written,
``grounding`` and ``wording`` judge an interpretation, ``interpretation`` asks the LLM and
repairs or refuses, ``model`` is the report as a value, ``compose`` builds it, ``html`` renders
the self-contained page. Word and Excel renderings are adapters behind ``ports.report_writer``.
"""

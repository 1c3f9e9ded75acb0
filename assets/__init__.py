"""Data package ``ss_assets``: the do-template library (templates, metas, schemas, fixtures).

In the repository this directory is ``assets/``; the build maps it to the package
``ss_assets`` so the wheel carries every file and code finds them with importlib.resources
(``ss_core.library.packaged``). It holds no code.
"""

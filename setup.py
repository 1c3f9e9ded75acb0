"""Build hook: the ``assets/`` directory ships inside the wheel as the data package ``ss_assets``.

Everything else (metadata, dependencies, package data) is declared in ``pyproject.toml``;
only the directory mapping, which pyproject's package discovery cannot express, lives here.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["ss_core*", "ss_adapters*", "ss_http*", "ss_web*"]),
              "ss_assets"],
    package_dir={"ss_assets": "assets"},
)

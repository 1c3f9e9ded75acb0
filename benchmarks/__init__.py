"""Benchmarks of SS (figures, not tests): ``python -m benchmarks.run --help``."""

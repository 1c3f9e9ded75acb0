"""Process observability: one logging configuration, secret redaction, Prometheus metrics and
the port decorators that turn run, Stata and LLM activity into log events and metrics."""

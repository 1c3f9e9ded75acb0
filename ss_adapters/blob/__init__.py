"""Object stores: a local directory (embedded default) and an S3-compatible service."""

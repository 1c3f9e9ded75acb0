"""The Litestar /v1 service and the ssctl command line."""

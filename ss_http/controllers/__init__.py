"""One controller per resource of the /v1 contract, plus admin and health."""

from tests.http.conftest import client, kit  # noqa: F401  (the in-process app fixtures)

# The home page shows the directory: its tests use the directory's organizations.
from tests.directory.conftest import directory  # noqa: F401

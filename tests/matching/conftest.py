import io

import pytest
from django.core.management import call_command

from kbio.matching.services import match_index_invalidate


@pytest.fixture
def real_directory(db):
    """The taxonomy and the real organizations of the Korea–Japan programme."""
    call_command("loaddata", "taxonomy", "organizations", "partnering", verbosity=0)
    match_index_invalidate()


@pytest.fixture
def generated_directory(db):
    """`generated_directory(n)`: the taxonomy and n synthetic organizations (seed 1)."""

    def generate(count: int) -> None:
        call_command("loaddata", "taxonomy", verbosity=0)
        call_command("generate_demo", organizations=count, seed=1, stdout=io.StringIO())

    return generate

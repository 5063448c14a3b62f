"""gunicorn's master builds, before it forks, what each worker would otherwise build on its
first requests (kbio/core/warm.py), and closes its database connections."""

import pytest
from django.db import connections
from django.template import engines

from kbio.core import warm
from kbio.matching import index
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_master_builds_the_templates_and_the_matching_index(monkeypatch):
    OrganizationFactory(slug="first-bio")
    OrganizationFactory(slug="second-bio")
    OrganizationFactory(slug="gone-bio", is_active=False)
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    monkeypatch.setattr(index, "_cached", None)
    built = warm.warm()
    assert closed == [True]
    # Every template of the site loads, and the index holds the active organizations.
    assert built["templates"] == len(warm.site_templates()) > 50
    assert built["organizations"] == 2
    assert index._cached is not None and set(index._cached[1].by_slug) == {
        "first-bio",
        "second-bio",
    }
    assert engines["django"].engine.template_loaders[0].get_template_cache


def test_the_connections_are_closed_when_the_index_cannot_be_built(monkeypatch):
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))

    def broken():
        raise RuntimeError("database down")

    monkeypatch.setattr(index, "current_index", broken)
    with pytest.raises(RuntimeError):
        warm.warm()
    assert closed == [True]

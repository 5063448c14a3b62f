"""What a server process would otherwise build on its first requests, built once in gunicorn's
master before it forks the workers (gunicorn.conf.py, `when_ready`; preload_app).

Each worker, and each new one that replaces a worker retired after `max_requests`, then starts
with the URL patterns resolved, the site's templates compiled, the translations of every
language read and the matching index (every active organization with its criteria) in memory,
instead of spending its first requests on them: seconds with 10,000 organizations on a busy
machine, felt as the slowest answers. A worker still rebuilds the matching index when the
directory changed after the master built it (kbio/matching/index.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def site_templates() -> list[str]:
    """The names of the site's own templates (templates/), not the e-mails' text parts."""
    found = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        found += sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))
    return found


def warm() -> dict[str, object]:
    """Build what each process keeps in memory; what was built, for the log. The database
    connections it opened are closed: the workers must not share the master's."""
    built: dict[str, object] = {}
    try:
        get_resolver().url_patterns  # noqa: B018  (imports every view and URL module)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Organizations")
        built["templates"] = 0
        for name in site_templates():
            try:
                get_template(name)
                built["templates"] += 1
            except (TemplateDoesNotExist, TemplateSyntaxError):
                logger.warning("warm: the template %s does not load", name)
        from kbio.matching.index import current_index

        built["organizations"] = len(current_index().info)
    finally:
        connections.close_all()
    return built

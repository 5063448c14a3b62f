import difflib
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kbio.directory.models import Organization

from ...index import load_index
from ...models import MatchingProfile
from ...suggestions import explain, ranked


class Command(BaseCommand):
    help = (
        "Print the ranked partner suggestions for one organization, with the reasons behind "
        "each (the same ranking as its matches page)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The organization's slug, e.g. ips-bio.")
        parser.add_argument(
            "--kind", choices=Organization.Kind.values, help="Only partners of this kind."
        )
        parser.add_argument("--country", help="Only partners from this country (e.g. JP).")
        parser.add_argument("--limit", type=int, default=10, help="How many (default 10).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument(
            "--language", default="en", choices=["en", "ko", "ja"], help="Language of reasons."
        )

    def handle(self, *args, slug, kind, country, limit, json: bool, language, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        index = load_index()
        viewer = index.by_slug.get(slug)
        if viewer is None:
            inactive = Organization.objects.filter(slug=slug, is_active=False).exists()
            if inactive:
                raise CommandError(f"The organization “{slug}” is not active.")
            close = difflib.get_close_matches(slug, index.by_slug, n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise CommandError(f"No organization with the slug “{slug}”.{hint}")
        country = (country or "").upper()
        if country and country not in index.countries:
            raise CommandError(
                f"No organization from “{country}”; "
                f"countries in the directory: {', '.join(index.countries)}."
            )
        weights = MatchingProfile.objects.weights()
        candidates = index.candidates(kind=kind or "", country=country)
        with translation.override(language):
            rows = [
                explain(index, viewer, candidate, weights)
                for candidate, _ in ranked(
                    index, viewer, weights, candidates=candidates, limit=limit
                )
            ]
            if json:
                self._print_json(rows)
            else:
                self._print_text(index.info[viewer.key], rows)

    def _print_json(self, rows) -> None:
        data = [
            {
                "slug": row.org.slug,
                "name": row.org.name,
                "kind": row.org.kind,
                "country": row.org.country,
                "score": row.score,
                "role": row.role,
                "reasons": _lines(row.reasons),
                "missing": _lines(row.missing),
                "unknown": _lines(row.unknown),
                "flags": _lines(row.flags),
            }
            for row in rows
        ]
        self.stdout.write(json_dumps(data))

    def _print_text(self, organization, rows) -> None:
        self.stdout.write(
            f"Partner suggestions for {organization} ({organization.kind_label}, "
            f"{organization.country_name})"
        )
        if not rows:
            self.stdout.write("  None: nothing in common with anyone yet.")
        for number, row in enumerate(rows, 1):
            self.stdout.write(
                f"\n{number:2}. {row.score:3}  {row.org} · {row.org.kind_label} · "
                f"{row.org.country_name} · {row.role_label}"
            )
            for line in row.flags:
                self.stdout.write(f"         ! {line.text}")
            for line in row.strongest:
                self.stdout.write(f"         + {line.text} ({line.points})")
            for line in row.missing[:2]:
                self.stdout.write(f"         − {line.text} (−{line.points})")
            for line in row.unknown[:2]:
                self.stdout.write(f"         ? {line.text}")


def _lines(lines) -> list[dict]:
    return [{"code": line.code, "text": line.text, "points": line.points} for line in lines]


def json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

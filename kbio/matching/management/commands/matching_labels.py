import csv

from django.core.management.base import BaseCommand

from ...index import load_index
from ...labels import labelled_pairs
from ...models import MatchingProfile


class Command(BaseCommand):
    help = (
        "Write the labelled pairs (meetings accepted, outcomes, declines, not-interested marks) "
        "as CSV with today's score and role of each pair, for evaluating the matching."
    )

    def handle(self, *args, **options):
        index = load_index()
        weights = MatchingProfile.objects.weights()
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["organization", "partner", "label", "evidence", "on", "score", "role"])
        for label in labelled_pairs():
            viewer = index.by_slug.get(label.organization)
            partner = index.by_slug.get(label.partner)
            score, role = "", ""
            if viewer is not None and partner is not None:
                found = index.engine.explain(index.row(viewer), index.row(partner), weights)
                score, role = round(found.score), found.role or ""
            writer.writerow(
                [label.organization, label.partner, label.label, label.evidence, label.on]
                + [score, role]
            )

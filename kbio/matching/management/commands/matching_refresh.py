from django.core.management.base import BaseCommand

from ...services import match_index_invalidate


class Command(BaseCommand):
    help = (
        "Make running servers rebuild their matching index on the next page view. Needed only "
        "after writes that bypass the app (loaddata into a running site, SQL by hand)."
    )

    def handle(self, *args, **options):
        match_index_invalidate()
        self.stdout.write("Matching index marked for rebuild.")

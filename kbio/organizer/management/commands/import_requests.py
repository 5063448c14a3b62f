from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kbio.events.models import Event
from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import meeting_requests_import


class Command(BaseCommand):
    help = (
        "Create or update the meeting requests of an event from a CSV file (UTF-8, columns in "
        "docs/csv.md). A file with any bad row is refused whole, with every bad line listed. "
        "No email goes out."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="The event's slug, e.g. kbio-2025.")
        parser.add_argument("file", type=Path, help="The CSV file to import.")

    def handle(self, *args, event: str, file: Path, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            result = meeting_requests_import(event=found, data=data)
        except ImportRefused as exc:
            raise CommandError(
                "The file was refused; nothing was imported.\n"
                + "\n".join(str(error) for error in exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Meeting requests of {found.slug}: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )

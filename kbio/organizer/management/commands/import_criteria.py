from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kbio.organizer.csvfiles import ImportRefused
from kbio.organizer.services import criteria_import


class Command(BaseCommand):
    help = (
        "Create or update partnering criteria (interests, exclusions, investor mandates, "
        "service capabilities, relationships) from a CSV file (UTF-8, columns in docs/csv.md). "
        "A file with any bad row is refused whole, with every bad line listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to import.")

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            result = criteria_import(data=data)
        except ImportRefused as exc:
            raise CommandError(
                "The file was refused; nothing was imported.\n"
                + "\n".join(str(error) for error in exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Partnering criteria: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )

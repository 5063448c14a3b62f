from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from kbio.events.demo import DemoSetupError, demo_event_create, demo_logins_create

DEMO_ADMIN = ("admin", "kbio-admin-demo")


class Command(BaseCommand):
    help = (
        "Create the local demo logins (an organizer and two delegates) and an open practice "
        "round of the partnering event. Development only; refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo logins are for local development only (DEBUG is off).")
        username, password = DEMO_ADMIN
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": "admin@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Organizer (staff) login for /admin/: username {username!r}, password {password!r}"
            )
        )
        try:
            logins = demo_logins_create()
            event = demo_event_create()
        except DemoSetupError as exc:
            raise CommandError(str(exc)) from exc
        for login in logins:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Delegate login ({login.organization}): username {login.username!r}, "
                    f"password {login.password!r}"
                )
            )
        url = reverse("events:detail", args=[event.slug])
        self.stdout.write(f"Practice round open for meeting requests: {url}")

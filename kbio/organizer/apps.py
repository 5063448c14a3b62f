from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizerConfig(AppConfig):
    name = "kbio.organizer"
    verbose_name = _("Organizer tools")

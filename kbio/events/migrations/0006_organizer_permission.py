"""The run-events permission and the "Organizers" group that holds it.

A staff flag only opens the admin site; the organizer's pages and the admin actions that change
an event need `events.run_events`. The group also holds the model permissions an organizer uses
in the admin (the partnering apps' models).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZERS = "Organizers"
ORGANIZER_APPS = ("accounts", "directory", "events", "matching", "outcomes")


def organizers_group_create(apps, schema_editor):
    # Permissions are otherwise created after all migrations ran (post_migrate): create them now
    # so the group can hold them on a fresh database.
    for label in ORGANIZER_APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ORGANIZERS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))


def organizers_group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANIZERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_invitations_applications"),
        ("directory", "0008_cross_script_search_indexes"),
        ("events", "0005_text_name_and_date_validators"),
        ("matching", "0004_shortlist"),
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["-created"],
                "permissions": [
                    (
                        "run_events",
                        "Can run events: requests window, imports, schedule, publish, outcomes",
                    )
                ],
                "verbose_name": "event",
                "verbose_name_plural": "events",
            },
        ),
        migrations.RunPython(organizers_group_create, organizers_group_delete),
    ]

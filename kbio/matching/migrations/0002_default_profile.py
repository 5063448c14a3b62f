from django.db import migrations

DEFAULT_NOTES = (
    "Built-in weights, explained in docs/matching.md: partnership types 25, modalities 20, "
    "therapeutic areas 20, stage window 15, needed services 25; Korea–Japan pairs score 15% "
    "more; organizations of the same kind are not suggested to each other."
)


def create_default(apps, schema_editor):
    MatchingProfile = apps.get_model("matching", "MatchingProfile")
    if not MatchingProfile.objects.filter(is_default=True).exists():
        MatchingProfile.objects.create(
            name="Default",
            slug="default",
            is_default=True,
            weight_deal=25,
            weight_modality=20,
            weight_therapeutic_area=20,
            weight_stage=15,
            weight_services=25,
            cross_border_bonus=15,
            include_same_kind=False,
            notes=DEFAULT_NOTES,
        )


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]

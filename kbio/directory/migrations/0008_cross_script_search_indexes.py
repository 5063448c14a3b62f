"""Trigram indexes for the columns the directory search reads since it searches across scripts:
other names, the former name and the Korean and Japanese descriptions (PostgreSQL only, as in
0005)."""

from django.db import migrations

INDEXES = {
    "organization_aliases_trgm": ("directory_organization", "aliases"),
    "organization_former_name_trgm": ("directory_organization", "former_name"),
    "organization_description_ko_trgm": ("directory_organization", "description_ko"),
    "organization_description_ja_trgm": ("directory_organization", "description_ja"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_members_aliases")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

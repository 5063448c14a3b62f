"""Trigram indexes for the directory's text search (case-insensitive "contains") on PostgreSQL.

Django's icontains compares UPPER(column) LIKE UPPER('%word%'); a GIN trigram index on the same
expression answers it without reading every row. SQLite has no such index and needs none at the
sizes it is used for; the operations do nothing there.
"""

from django.db import migrations

INDEXES = {
    "organization_name_trgm": ("directory_organization", "name"),
    "organization_native_name_trgm": ("directory_organization", "native_name"),
    "organization_description_trgm": ("directory_organization", "description"),
    "asset_name_trgm": ("directory_asset", "name"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:  # the extension stays: other tables may use it
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_directory_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

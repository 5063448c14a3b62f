import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kbio.directory.models import Asset, FocusArea, Organization, PartnershipType
from kbio.lib.synthetic import generate

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Generate plausible synthetic organizations (with assets) in bulk, deterministic per "
        "seed. Needs the taxonomy fixture. Re-running with the same seed replaces that seed's "
        "organizations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default=None, help="Slug prefix (default demo-<seed>).")

    def handle(self, *args, organizations: int, seed: int, prefix: str | None, **options):
        if organizations < 1:
            raise CommandError("--organizations must be at least 1.")
        areas = dict(FocusArea.objects.values_list("slug", "id"))
        kinds = dict(FocusArea.objects.values_list("slug", "kind"))
        types = dict(PartnershipType.objects.values_list("slug", "id"))
        if not areas or not types:
            raise CommandError("Load the taxonomy first: manage.py loaddata taxonomy")
        prefix = prefix or f"demo-{seed}"
        by_kind = {
            kind: sorted(slug for slug, k in kinds.items() if k == kind)
            for kind in FocusArea.Kind.values
        }
        started = time.monotonic()
        with transaction.atomic():
            removed, _ = Organization.objects.filter(slug__startswith=f"{prefix}-").delete()
            if removed:
                self.stdout.write(f"Replaced an earlier run with prefix {prefix}.")
            batch = []
            done = 0
            for org in generate(
                organizations,
                seed=seed,
                modalities=by_kind[FocusArea.Kind.MODALITY],
                therapeutic_areas=by_kind[FocusArea.Kind.THERAPEUTIC_AREA],
                services=by_kind[FocusArea.Kind.SERVICE],
                slug_prefix=prefix,
            ):
                batch.append(org)
                if len(batch) == BATCH:
                    done += self._write(batch, areas, types)
                    batch = []
                    self._progress(done, organizations, started)
            if batch:
                done += self._write(batch, areas, types)
                self._progress(done, organizations, started)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {done} organizations (prefix {prefix}) in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} organizations "
            f"({time.monotonic() - started:.1f} s)",
            ending="\n" if done == total else "",
        )
        self.stderr.flush()

    def _write(self, batch, areas, types) -> int:
        created = Organization.objects.bulk_create(
            [
                Organization(
                    slug=o.slug,
                    name=o.name,
                    native_name=o.native_name,
                    kind=o.kind,
                    country=o.country,
                    city=o.city,
                    founded=o.founded,
                    description=o.description,
                    lead_stage=o.lead_stage,
                    preferred_stages=o.preferred_stages,
                    languages=o.languages,
                )
                for o in batch
            ]
        )
        if created[0].pk is None:  # backends that do not return ids from bulk inserts
            ids = dict(
                Organization.objects.filter(slug__in=[o.slug for o in batch]).values_list(
                    "slug", "id"
                )
            )
        else:
            ids = {org.slug: org.pk for org in created}
        FocusThrough = Organization.focus_areas.through
        SeeksThrough = Organization.seeks.through
        OffersThrough = Organization.offers.through
        FocusThrough.objects.bulk_create(
            FocusThrough(organization_id=ids[o.slug], focusarea_id=areas[slug])
            for o in batch
            for slug in o.focus_areas
        )
        SeeksThrough.objects.bulk_create(
            SeeksThrough(organization_id=ids[o.slug], partnershiptype_id=types[slug])
            for o in batch
            for slug in o.seeks
        )
        OffersThrough.objects.bulk_create(
            OffersThrough(organization_id=ids[o.slug], partnershiptype_id=types[slug])
            for o in batch
            for slug in o.offers
        )
        assets = [
            (
                Asset(
                    organization_id=ids[o.slug],
                    slug=a.slug,
                    name=a.name,
                    modality_id=areas[a.modality],
                    indications=a.indications,
                    stage=a.stage,
                    teaser=f"{a.name}: {a.indications}.",
                ),
                a.therapeutic_areas,
            )
            for o in batch
            for a in o.assets
        ]
        created_assets = Asset.objects.bulk_create([asset for asset, _ in assets])
        if created_assets and created_assets[0].pk is None:
            lookup = {
                (org_id, slug): pk
                for pk, org_id, slug in Asset.objects.filter(
                    organization_id__in=ids.values()
                ).values_list("id", "organization_id", "slug")
            }
            asset_ids = [lookup[(a.organization_id, a.slug)] for a, _ in assets]
        else:
            asset_ids = [a.pk for a in created_assets]
        AreaThrough = Asset.therapeutic_areas.through
        AreaThrough.objects.bulk_create(
            AreaThrough(asset_id=asset_id, focusarea_id=areas[slug])
            for asset_id, (_, slugs) in zip(asset_ids, assets, strict=True)
            for slug in slugs
        )
        return len(batch)

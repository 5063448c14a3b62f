import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from kbio.directory.models import (
    Asset,
    Exclusion,
    FocusArea,
    Interest,
    InvestorMandate,
    Organization,
    PartnershipType,
    Relationship,
    ServiceCapability,
)
from kbio.lib.synthetic import CHECKED_ON, generate
from kbio.matching.services import match_index_invalidate

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Generate plausible synthetic organizations (with assets and partnering criteria) in "
        "bulk, deterministic per seed. Needs the taxonomy fixture. Re-running with the same seed "
        "replaces that seed's organizations."
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
            # Generated rows are written without history (bulk inserts), so their removal
            # records none either: one history row per deleted row would be one query each.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                removed, _ = Organization.objects.filter(slug__startswith=f"{prefix}-").delete()
            if removed:
                self.stdout.write(f"Replaced an earlier run with prefix {prefix}.")
            batch = []
            done = 0
            ids: dict[str, int] = {}  # every organization of this run: relationships point back
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
                    done += self._write(batch, areas, types, ids)
                    batch = []
                    self._progress(done, organizations, started)
            if batch:
                done += self._write(batch, areas, types, ids)
                self._progress(done, organizations, started)
            match_index_invalidate()
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

    def _write(self, batch, areas, types, ids) -> int:
        """Write one batch with bulk inserts, never a query per row."""
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
                    intents=o.intents,
                    languages=o.languages,
                )
                for o in batch
            ]
        )
        if created[0].pk is None:  # backends that do not return ids from bulk inserts
            ids.update(
                Organization.objects.filter(slug__in=[o.slug for o in batch]).values_list(
                    "slug", "id"
                )
            )
        else:
            ids.update((org.slug, org.pk) for org in created)
        batch_ids = [ids[o.slug] for o in batch]
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
        assets = [(o, a) for o in batch for a in o.assets]
        asset_ids = _insert(
            Asset,
            [
                Asset(
                    organization_id=ids[o.slug],
                    slug=a.slug,
                    name=a.name,
                    modality_id=areas[a.modality],
                    indications=a.indications,
                    stage=a.stage,
                    teaser=f"{a.name}: {a.indications}.",
                    direction=a.direction,
                    rights_available=a.rights_available,
                    platform_class=a.platform_class,
                )
                for o, a in assets
            ],
            batch_ids,
            ("organization_id", "slug"),
        )
        AreaThrough = Asset.therapeutic_areas.through
        AreaThrough.objects.bulk_create(
            AreaThrough(asset_id=asset_id, focusarea_id=areas[slug])
            for asset_id, (_, a) in zip(asset_ids, assets, strict=True)
            for slug in a.therapeutic_areas
        )
        self._write_criteria(batch, areas, types, ids, batch_ids)
        return len(batch)

    def _write_criteria(self, batch, areas, types, ids, batch_ids) -> None:
        evidence = {"source_url": "", "checked_on": CHECKED_ON}
        interests = [(o, i) for o in batch for i in o.interests]
        interest_ids = _insert(
            Interest,
            [
                Interest(
                    organization_id=ids[o.slug],
                    slug=i.slug,
                    stage_from=i.stage_from,
                    stage_to=i.stage_to,
                    territories=i.territories,
                    **evidence,
                )
                for o, i in interests
            ],
            batch_ids,
            ("organization_id", "slug"),
        )
        interests = list(zip(interest_ids, (i for _, i in interests), strict=True))
        ModalityThrough = Interest.modalities.through
        AreaThrough = Interest.therapeutic_areas.through
        DealThrough = Interest.deal_types.through
        ModalityThrough.objects.bulk_create(
            ModalityThrough(interest_id=pk, focusarea_id=areas[slug])
            for pk, i in interests
            for slug in i.modalities
        )
        AreaThrough.objects.bulk_create(
            AreaThrough(interest_id=pk, focusarea_id=areas[slug])
            for pk, i in interests
            for slug in i.therapeutic_areas
        )
        DealThrough.objects.bulk_create(
            DealThrough(interest_id=pk, partnershiptype_id=types[slug])
            for pk, i in interests
            for slug in i.deal_types
        )
        Exclusion.objects.bulk_create(
            Exclusion(
                organization_id=ids[o.slug],
                slug=e.slug,
                focus_area_id=areas[e.focus_area],
                since=e.since,
                **evidence,
            )
            for o in batch
            for e in o.exclusions
        )
        InvestorMandate.objects.bulk_create(
            InvestorMandate(
                organization_id=ids[o.slug],
                vehicle=o.mandate.vehicle,
                sectors=o.mandate.sectors,
                rounds=o.mandate.rounds,
                countries=o.mandate.countries,
                **evidence,
            )
            for o in batch
            if o.mandate
        )
        capabilities = [(o, c) for o in batch for c in o.capabilities]
        capability_ids = _insert(
            ServiceCapability,
            [
                ServiceCapability(
                    organization_id=ids[o.slug],
                    service_id=areas[c.service],
                    all_modalities=c.all_modalities,
                    standards=c.standards,
                    regulators=c.regulators,
                    **evidence,
                )
                for o, c in capabilities
            ],
            batch_ids,
            ("organization_id", "service_id"),
        )
        CoveredThrough = ServiceCapability.modalities.through
        CoveredThrough.objects.bulk_create(
            CoveredThrough(servicecapability_id=pk, focusarea_id=areas[slug])
            for pk, (_, c) in zip(capability_ids, capabilities, strict=True)
            for slug in c.modalities
        )
        Relationship.objects.bulk_create(
            Relationship(
                organization_id=ids[o.slug],
                partner_id=ids[r.partner],
                kind=r.kind,
                since=r.since,
                **evidence,
            )
            for o in batch
            for r in o.relationships
        )


def _insert(model, objects, organization_ids, key) -> list[int]:
    """Bulk-insert rows of an organization-scoped model and return their ids in order, also on
    backends that do not return ids from bulk inserts (then one query finds them by `key`)."""
    created = model.objects.bulk_create(objects)
    if not created or created[0].pk is not None:
        return [row.pk for row in created]
    found = {
        tuple(values[1:]): values[0]
        for values in model.objects.filter(organization_id__in=organization_ids).values_list(
            "pk", *key
        )
    }
    return [found[tuple(getattr(row, field) for field in key)] for row in created]

"""What an organization looks for, will not do, can do and already has: the partnering
criteria that the matching reads.

Every fact carries where it comes from and when it was last checked (`Evidence`): the world
changes (a modality exited, a fund's mandate narrowed, a company renamed) and a reader must be
able to tell how fresh a criterion is. Edits are kept in history (django-simple-history), so
an organizer can see who changed a criterion and what it said before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from kbio.core.fields import ChoiceListField
from kbio.lib import stages

from .models import Stage, Territory

# A stage window is a range on the ladder: "not applicable" is no stage.
LADDER_CHOICES = [(code, label) for code, label in Stage.choices if code in stages.STAGE_RANK]


class Regulator(models.TextChoices):
    PMDA = "pmda", _("PMDA (Japan)")
    MFDS = "mfds", _("MFDS (Korea)")
    FDA = "fda", _("FDA (United States)")
    EMA = "ema", _("EMA (Europe)")


def today():
    return timezone.localdate()


class Evidence(models.Model):
    """Where a fact comes from and when someone last checked it."""

    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("A public page that states this fact. Empty: stated by the organization."),
    )
    checked_on = models.DateField(
        _("last checked"), default=today, help_text=_("When the fact was last confirmed.")
    )

    class Meta:
        abstract = True


class OrgScopedManager(models.Manager):
    """Natural keys of the form (organization slug, slug)."""

    def get_by_natural_key(self, organization_slug, slug):
        return self.get(organization__slug=organization_slug, slug=slug)


class Interest(Evidence):
    """One combination an organization looks for: modalities × therapeutic areas × a stage
    window × deal types, in some territories. "Any" where a part is left empty."""

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    modalities = models.ManyToManyField(
        "directory.FocusArea",
        verbose_name=_("modalities"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "modality"},
        help_text=_("Empty: any modality."),
    )
    therapeutic_areas = models.ManyToManyField(
        "directory.FocusArea",
        verbose_name=_("therapeutic areas"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "therapeutic_area"},
        help_text=_("Empty: any therapeutic area."),
    )
    stage_from = models.CharField(
        _("from stage"),
        max_length=20,
        blank=True,
        choices=LADDER_CHOICES,
        help_text=_("The earliest stage it takes. Empty: not stated."),
    )
    stage_to = models.CharField(
        _("to stage"),
        max_length=20,
        blank=True,
        choices=LADDER_CHOICES,
        help_text=_("The latest stage it takes. Empty: not stated."),
    )
    deal_types = models.ManyToManyField(
        "directory.PartnershipType",
        verbose_name=_("deal types"),
        blank=True,
        related_name="+",
        help_text=_("Empty: any deal."),
    )
    territories = ChoiceListField(
        _("territories"),
        item_choices=Territory,
        help_text=_("Where it wants the rights. Empty: not stated."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[modalities, therapeutic_areas, deal_types])

    objects = OrgScopedManager()

    class Meta:
        ordering = ["organization", "slug"]
        verbose_name = _("partnering interest")
        verbose_name_plural = _("partnering interests")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="interest_slug_unique_per_org"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="interest_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(stage_from="") | Q(stage_from__in=list(stages.STAGE_ORDER)),
                name="interest_stage_from_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage_to="") | Q(stage_to__in=list(stages.STAGE_ORDER)),
                name="interest_stage_to_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.slug}"

    def natural_key(self):
        return (self.organization.slug, self.slug)

    natural_key.dependencies = ["directory.organization"]

    def clean(self):
        window = (self.stage_from, self.stage_to)
        if all(stage in stages.STAGE_RANK for stage in window) and (
            stages.STAGE_RANK[self.stage_from] > stages.STAGE_RANK[self.stage_to]
        ):
            raise ValidationError(
                {"stage_to": _("The latest stage comes before the earliest one.")}
            )


class Exclusion(Evidence):
    """A modality, therapeutic area or deal an organization has left or will not do."""

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="exclusions",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    focus_area = models.ForeignKey(
        "directory.FocusArea",
        verbose_name=_("modality or therapeutic area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["modality", "therapeutic_area"]},
    )
    deal_type = models.ForeignKey(
        "directory.PartnershipType",
        verbose_name=_("deal type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    since = models.DateField(_("since"), help_text=_("When it stopped or ruled this out."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = OrgScopedManager()

    class Meta:
        ordering = ["organization", "since", "slug"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="exclusion_slug_unique_per_org"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="exclusion_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(focus_area__isnull=False, deal_type__isnull=True)
                | Q(focus_area__isnull=True, deal_type__isnull=False),
                name="exclusion_one_subject",
                violation_error_message=_("Name either a focus area or a deal type, not both."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.focus_area or self.deal_type
        return f"{self.organization.name}: not {subject}"

    def natural_key(self):
        return (self.organization.slug, self.slug)

    natural_key.dependencies = ["directory.organization"]

    def clean(self):
        # Keyed to a field, so a form shows the message next to what to correct (and the
        # constraint on the same fields is not reported a second time).
        if self.focus_area_id is None and self.deal_type_id is None:
            raise ValidationError(
                {"focus_area": _("Name a focus area or a deal type that it rules out.")}
            )
        if self.focus_area_id is not None and self.deal_type_id is not None:
            raise ValidationError(
                {"focus_area": _("Name either a focus area or a deal type, not both.")}
            )
        if self.focus_area_id and self.focus_area.kind == "service":
            raise ValidationError(
                {"focus_area": _("Exclude a modality or a therapeutic area, not a service.")}
            )


class Vehicle(models.TextChoices):
    DIRECT = "direct", _("Invests directly in companies")
    FUND_OF_FUNDS = "fund_of_funds", _("Invests in funds (fund of funds)")
    BOTH = "both", _("Both companies and funds")


class Sector(models.TextChoices):
    LIFE_SCIENCES = "life_sciences", _("Life sciences and biotech")
    MEDTECH = "medtech", _("Medical devices")
    DIGITAL_HEALTH = "digital_health", _("Digital health")
    AI = "ai", _("AI")
    SOFTWARE = "software", _("Software and SaaS")
    ECOMMERCE = "ecommerce", _("E-commerce")
    BLOCKCHAIN = "blockchain", _("Blockchain")
    GENERALIST = "generalist", _("Any sector")


class Round(models.TextChoices):
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B = "series_b", _("Series B")
    LATER = "later", _("Series C and later")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    PUBLIC = "public", _("Listed companies")


class LeadRole(models.TextChoices):
    LEAD = "lead", _("Leads rounds")
    FOLLOW = "follow", _("Follows a lead")
    EITHER = "either", _("Leads or follows")


# Sectors a bio venture, pharma, CRO or hospital belongs to.
BIO_SECTORS = frozenset({Sector.LIFE_SCIENCES, Sector.GENERALIST})


class InvestorMandateManager(models.Manager):
    def get_by_natural_key(self, organization_slug):
        return self.get(organization__slug=organization_slug)


class InvestorMandate(Evidence):
    """What an investor may invest in."""

    organization = models.OneToOneField(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="mandate",
    )
    vehicle = models.CharField(_("invests in"), max_length=20, choices=Vehicle.choices)
    sectors = ChoiceListField(_("sectors"), item_choices=Sector, help_text=_("Empty: not stated."))
    rounds = ChoiceListField(_("rounds"), item_choices=Round, help_text=_("Empty: not stated."))
    cheque_min_usd = models.PositiveBigIntegerField(
        _("smallest cheque (US$)"), null=True, blank=True
    )
    cheque_max_usd = models.PositiveBigIntegerField(
        _("largest cheque (US$)"), null=True, blank=True
    )
    lead_role = models.CharField(
        _("lead or follow"), max_length=10, choices=LeadRole.choices, blank=True
    )
    countries = CountryField(
        _("countries it invests in"),
        multiple=True,
        blank=True,
        help_text=_("Empty: not limited."),
    )
    geography_rule = models.CharField(
        _("geography rule"),
        max_length=300,
        blank=True,
        help_text=_("E.g. a share that must go to Korean companies."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = InvestorMandateManager()

    class Meta:
        verbose_name = _("investor mandate")
        verbose_name_plural = _("investor mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(vehicle__in=Vehicle.values), name="mandate_vehicle_valid"
            ),
            models.CheckConstraint(
                condition=Q(cheque_min_usd__isnull=True)
                | Q(cheque_max_usd__isnull=True)
                | Q(cheque_min_usd__lte=F("cheque_max_usd")),
                name="mandate_cheque_range",
                violation_error_message=_("The smallest cheque is larger than the largest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.get_vehicle_display()}"

    def natural_key(self):
        return (self.organization.slug,)

    natural_key.dependencies = ["directory.organization"]

    def clean(self):
        low, high = self.cheque_min_usd, self.cheque_max_usd
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"cheque_max_usd": _("The smallest cheque is larger than the largest.")}
            )

    @property
    def sector_labels(self) -> list[str]:
        return [Sector(code).label for code in self.sectors if code in Sector.values]

    @property
    def round_labels(self) -> list[str]:
        return [Round(code).label for code in self.rounds if code in Round.values]


class CapabilityManager(models.Manager):
    def get_by_natural_key(self, organization_slug, service_slug):
        return self.get(organization__slug=organization_slug, service__slug=service_slug)


class Standard(models.TextChoices):
    GLP = "glp", _("GLP")
    GMP = "gmp", _("GMP")
    GCP = "gcp", _("GCP")


class ServiceCapability(Evidence):
    """One service a provider offers, with the modalities it covers."""

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="capabilities",
    )
    service = models.ForeignKey(
        "directory.FocusArea",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "service"},
    )
    modalities = models.ManyToManyField(
        "directory.FocusArea",
        verbose_name=_("modalities covered"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "modality"},
    )
    all_modalities = models.BooleanField(
        _("every modality"),
        default=False,
        help_text=_(
            "The service does not depend on the modality (clinical operations, regulatory "
            "consulting). Otherwise list the modalities: a service whose modalities are not "
            "stated is not counted for any."
        ),
    )
    standards = ChoiceListField(_("quality standards"), item_choices=Standard)
    regulators = ChoiceListField(_("regulators it has worked with"), item_choices=Regulator)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[modalities])

    objects = CapabilityManager()

    class Meta:
        ordering = ["organization", "service"]
        verbose_name = _("service capability")
        verbose_name_plural = _("service capabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "service"], name="capability_one_per_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.service}"

    def natural_key(self):
        return (self.organization.slug, self.service.slug)

    natural_key.dependencies = ["directory.organization", "directory.focusarea"]


class RelationshipKind(models.TextChoices):
    TENANCY = "tenancy", _("Tenancy")
    MOU = "mou", _("Memorandum of understanding")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    CLIENT = "client", _("Client")
    LICENCE = "licence", _("Licence or past deal")
    INVESTMENT = "investment", _("Investment")
    AFFILIATE = "affiliate", _("Same group")
    RESEARCH = "research", _("Joint research or clinical site")
    PAST_MEETING = "past_meeting", _("Past partnering meeting")


class RelationshipManager(models.Manager):
    def get_by_natural_key(self, organization_slug, partner_slug, kind):
        return self.get(organization__slug=organization_slug, partner__slug=partner_slug, kind=kind)


class Relationship(Evidence):
    """Two organizations that already work together. Not a direction: either side may be
    `organization`. Existing relationships are shown as such, never suggested as new."""

    Kind = RelationshipKind

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="relationships",
    )
    partner = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="relationships_as_partner",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RelationshipKind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: ongoing."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RelationshipManager()

    class Meta:
        ordering = ["organization", "since"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner", "kind"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("partner")),
                name="relationship_not_with_itself",
                violation_error_message=_("An organization has no relationship with itself."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationshipKind.values), name="relationship_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="relationship_until_after_since",
                violation_error_message=_("A relationship cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} – {self.partner.name}: {self.get_kind_display()}"

    def natural_key(self):
        return (self.organization.slug, self.partner.slug, self.kind)

    natural_key.dependencies = ["directory.organization"]

    def clean(self):
        if self.organization_id and self.organization_id == self.partner_id:
            raise ValidationError(
                {"partner": _("An organization has no relationship with itself.")}
            )
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": _("A relationship cannot end before it starts.")})
        # Either side may record it, but only one side does: the pair and kind are one fact.
        recorded_by_partner = Relationship.objects.filter(
            organization_id=self.partner_id, partner_id=self.organization_id, kind=self.kind
        ).exclude(pk=self.pk)
        if self.organization_id and self.partner_id and recorded_by_partner.exists():
            raise ValidationError(
                {
                    "partner": _(
                        "The partner already records a relationship of this kind with this "
                        "organization."
                    )
                }
            )


@dataclass
class Criteria:
    """An organization's partnering criteria as its profile shows them."""

    interests: list[Interest]
    exclusions: list[Exclusion]
    mandate: InvestorMandate | None
    capabilities: list[ServiceCapability]
    relationships: list[tuple[Relationship, object]]  # (relationship, the other organization)

    def __bool__(self) -> bool:
        return bool(
            self.interests
            or self.exclusions
            or self.mandate
            or self.capabilities
            or self.relationships
        )


def criteria_of(organization) -> Criteria:
    """Everything in ten queries, however many criteria there are (none included)."""
    from .models import FocusArea, PartnershipType

    interests = list(Interest.objects.filter(organization=organization).order_by("slug"))
    by_id = {i.pk: i for i in interests}
    for name, model in (
        ("modalities", FocusArea),
        ("therapeutic_areas", FocusArea),
        ("deal_types", PartnershipType),
    ):
        through = getattr(Interest, name).through
        column = "focusarea" if model is FocusArea else "partnershiptype"
        found: dict[int, list] = {pk: [] for pk in by_id}
        for link in through.objects.filter(interest__organization=organization).select_related(
            column
        ):
            found[link.interest_id].append(getattr(link, column))
        for pk, items in found.items():
            setattr(by_id[pk], f"{name}_list", items)
    capabilities = list(
        ServiceCapability.objects.filter(organization=organization)
        .select_related("service")
        .order_by("service__order", "service__name_en")
    )
    by_capability = {c.pk: c for c in capabilities}
    for c in capabilities:
        c.modality_list = []
    through = ServiceCapability.modalities.through
    for link in through.objects.filter(servicecapability__organization=organization).select_related(
        "focusarea"
    ):
        by_capability[link.servicecapability_id].modality_list.append(link.focusarea)
    relationships = [
        (r, r.partner)
        for r in Relationship.objects.filter(organization=organization).select_related("partner")
    ] + [
        (r, r.organization)
        for r in Relationship.objects.filter(partner=organization).select_related("organization")
    ]
    relationships.sort(key=lambda pair: pair[0].since)
    return Criteria(
        interests=interests,
        exclusions=list(
            Exclusion.objects.filter(organization=organization).select_related(
                "focus_area", "deal_type"
            )
        ),
        mandate=InvestorMandate.objects.filter(organization=organization).first(),
        capabilities=capabilities,
        relationships=relationships,
    )

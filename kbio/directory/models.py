"""The directory: who is who in Korea–Japan bio partnering, and what they work on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from kbio.core.fields import ChoiceListField
from kbio.core.validators import validate_single_line, validate_text
from kbio.lib import stages


class Stage(models.TextChoices):
    """Development stage, in ladder order (kbio.lib.stages holds the same order as plain data)."""

    DISCOVERY = "discovery", _("Discovery")
    LEAD_OPTIMIZATION = "lead_optimization", _("Lead optimisation")
    PRECLINICAL = "preclinical", _("Preclinical (IND-enabling)")
    IND_CLEARED = "ind_cleared", _("IND cleared")
    PHASE_1 = "phase_1", _("Phase 1")
    PHASE_1_2 = "phase_1_2", _("Phase 1/2")
    PHASE_2 = "phase_2", _("Phase 2")
    PHASE_2_3 = "phase_2_3", _("Phase 2/3")
    PHASE_3 = "phase_3", _("Phase 3")
    FILED = "filed", _("Filed for approval")
    APPROVED = "approved", _("Approved / marketed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


assert tuple(Stage.values) == stages.ALL_STAGES, "Stage and kbio.lib.stages must agree"


class Designation(models.TextChoices):
    ORPHAN_MFDS = "orphan_mfds", _("Orphan drug (MFDS, Korea)")
    ORPHAN_EMA = "orphan_ema", _("Orphan medicinal product (EMA)")
    ORPHAN_FDA = "orphan_fda", _("Orphan drug (FDA)")
    FDA_PRE_IND = "fda_pre_ind", _("FDA pre-IND meeting held")
    MFDS_BIO_CHALLENGER = "mfds_bio_challenger", _("MFDS Bio Challenger programme")
    INVESTIGATOR_INITIATED = (
        "investigator_initiated",
        _("Investigator-initiated clinical research (Korea, advanced regenerative medicine)"),
    )
    SAKIGAKE = "sakigake", _("SAKIGAKE (Japan)")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    KOREAN = "ko", _("Korean")
    JAPANESE = "ja", _("Japanese")
    CHINESE = "zh", _("Chinese")


class Territory(models.TextChoices):
    WORLDWIDE = "worldwide", _("Worldwide")
    JAPAN = "japan", _("Japan")
    KOREA = "korea", _("Korea")
    CHINA = "china", _("China")
    ASIA = "asia", _("Asia")
    US = "us", _("United States")
    EUROPE = "europe", _("Europe")


class Intent(models.TextChoices):
    """What an organization comes to a partnering event for."""

    LICENSEES = "licensees", _("Licensees or buyers for our assets")
    ASSETS = "assets", _("Assets to in-license or acquire")
    CO_DEVELOPMENT = "co_development", _("Co-development partners")
    RESEARCH = "research", _("Research partners")
    INVESTORS = "investors", _("Investors")
    INVESTEES = "investees", _("Companies or funds to invest in")
    PROVIDERS = "providers", _("Service providers (CRO, CDMO)")
    CLIENTS = "clients", _("Clients for our services")
    SUPPORT = "support", _("Funding, lab space or market-entry support")
    SUPPORTED = "supported", _("Companies to support")


# The languages the interface and the emails are written in (settings.LANGUAGES).
INTERFACE_LANGUAGES = [
    (Language.ENGLISH.value, Language.ENGLISH.label),
    (Language.KOREAN.value, Language.KOREAN.label),
    (Language.JAPANESE.value, Language.JAPANESE.label),
]


class TranslatedName(models.Model):
    """English, Korean and Japanese names; `name` gives the one for the active language."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", None) or self.name_en


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class FocusAreaQuerySet(models.QuerySet):
    def modalities(self):
        return self.filter(kind=FocusArea.Kind.MODALITY)

    def therapeutic_areas(self):
        return self.filter(kind=FocusArea.Kind.THERAPEUTIC_AREA)

    def services(self):
        return self.filter(kind=FocusArea.Kind.SERVICE)


class FocusAreaKind(models.TextChoices):
    MODALITY = "modality", _("Modality")
    THERAPEUTIC_AREA = "therapeutic_area", _("Therapeutic area")
    SERVICE = "service", _("Service")


class FocusArea(TranslatedName):
    """One taxonomy for modalities, therapeutic areas and services."""

    Kind = FocusAreaKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugManager.from_queryset(FocusAreaQuerySet)()

    class Meta:
        ordering = ["kind", "order", "name_en"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FocusAreaKind.values),
                name="focusarea_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="focusarea_not_own_parent"
            ),
        ]

    def natural_key(self):
        return (self.slug,)


class PartnershipType(TranslatedName):
    """One vocabulary for what an organization seeks and what it offers."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")

    def natural_key(self):
        return (self.slug,)


class OrganizationKind(models.TextChoices):
    VENTURE = "venture", _("Bio venture")
    PHARMA = "pharma", _("Pharma")
    CRO_CDMO = "cro_cdmo", _("CRO / CDMO")
    INVESTOR = "investor", _("Investor")
    ACADEMIA = "academia", _("Academia / hospital")
    AGENCY = "agency", _("Agency / support")


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_profile(self):
        """Everything a list or profile shows, in a fixed number of queries."""
        return self.prefetch_related("focus_areas", "seeks", "offers")

    def alphabetical(self):
        """By name whatever the letter case (an index serves it); the id keeps pages stable."""
        return self.order_by(Lower("name"), "id")

    def with_pipeline(self):
        """The assets with their modality, in one more query."""
        return self.prefetch_related(
            Prefetch("assets", queryset=Asset.objects.select_related("modality"))
        )


class OrganizationManager(SlugManager.from_queryset(OrganizationQuerySet)):
    def active_countries(self) -> list[str]:
        """The country codes of active organizations, in code order.

        Hops from one country to the next along the active-country index (a few index probes)
        instead of reading every organization, as SELECT DISTINCT would.
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE present(country) AS (
                    SELECT MIN(country) FROM {table} WHERE is_active
                    UNION ALL
                    SELECT (
                        SELECT MIN(country) FROM {table}
                        WHERE is_active AND country > present.country
                    )
                    FROM present WHERE present.country IS NOT NULL
                )
                SELECT country FROM present WHERE country IS NOT NULL
                """
            )
            return [country for (country,) in cursor.fetchall()]


class Organization(models.Model):
    Kind = OrganizationKind

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    native_name = models.CharField(
        _("native name"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The name in Korean or Japanese script, as the organization writes it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(
        _("city"), max_length=100, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(_("website"), blank=True)
    founded = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    former_name = models.CharField(
        _("former name"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The name it had before a rename or a merger, with the date it changed."),
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other ways people write the name, one per line: in Hangul, Katakana or Kanji, "
            "abbreviations, former names. Search finds the organization by any of them."
        ),
    )
    description = models.TextField(
        _("description (English)"), blank=True, validators=[validate_text]
    )
    description_ko = models.TextField(
        _("description (Korean)"), blank=True, validators=[validate_text]
    )
    description_ja = models.TextField(
        _("description (Japanese)"), blank=True, validators=[validate_text]
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="organizations"
    )
    lead_stage = models.CharField(
        _("lead stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.NOT_APPLICABLE,
        help_text=_("The stage of the most advanced programme."),
    )
    seeks = models.ManyToManyField(
        PartnershipType, verbose_name=_("seeks"), blank=True, related_name="sought_by"
    )
    offers = models.ManyToManyField(
        PartnershipType, verbose_name=_("offers"), blank=True, related_name="offered_by"
    )
    preferred_stages = ChoiceListField(
        _("preferred stages"),
        item_choices=Stage,
        help_text=_("The stages of assets this organization looks at (pharma, investors)."),
    )
    intents = ChoiceListField(
        _("comes for"),
        item_choices=Intent,
        help_text=_(
            "What it wants from partnering meetings. Suggestions that serve one of these rank "
            "first; the rest rank lower."
        ),
    )
    languages = ChoiceListField(_("working languages"), item_choices=Language)
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Public pages behind this profile, one address per line."),
    )
    checked_on = models.DateField(
        _("last checked"), null=True, blank=True, help_text=_("When the profile was last checked.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Plain defaults rather than auto_now: fixtures load with raw saves, which skip auto_now.
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    history = HistoricalRecords(m2m_fields=[focus_areas, seeks, offers])

    objects = OrganizationManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(lead_stage__in=list(stages.ALL_STAGES)),
                name="organization_lead_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1800, founded__lte=2100),
                name="organization_founded_plausible",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="organization_slug_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="organization_name_not_empty"),
        ]
        indexes = [
            models.Index(fields=["kind", "country"]),
            # The directory lists organizations alphabetically whatever the letter case.
            models.Index(Lower("name"), F("id"), name="organization_name_order"),
            models.Index(
                fields=["country"], condition=Q(is_active=True), name="organization_active_country"
            ),
        ]

    def __str__(self) -> str:
        if self.native_name:
            return f"{self.name} ({self.native_name})"
        return self.name

    def save(self, *args, **kwargs):
        self.updated = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.slug])

    def clean(self):
        check = URLValidator(schemes=["http", "https"])
        for address in self.source_list:
            try:
                check(address)
            except ValidationError:
                raise ValidationError(
                    {"sources": _("“%(address)s” is not a web address.") % {"address": address}}
                ) from None

    def natural_key(self):
        return (self.slug,)

    @property
    def kind_label(self) -> str:
        # One label, rather than get_kind_display(), which translates every choice each call.
        return OrganizationKind(self.kind).label

    @property
    def lead_stage_label(self) -> str:
        return Stage(self.lead_stage).label

    @property
    def native_language(self) -> str:
        """The language code of the native name's script, for the HTML lang attribute."""
        return NATIVE_LANGUAGES.get(self.country.code, "")

    @property
    def preferred_stage_labels(self) -> list[str]:
        return [Stage(code).label for code in self.preferred_stages if code in Stage.values]

    @property
    def language_labels(self) -> list[str]:
        return [Language(code).label for code in self.languages if code in Language.values]

    @property
    def email_language(self) -> str:
        """The language to write to its people in when they chose none: its first working
        language that the site speaks, else English."""
        spoken = {code for code, _label in INTERFACE_LANGUAGES}
        return next((code for code in self.languages if code in spoken), "en")

    @property
    def intent_labels(self) -> list[str]:
        return [Intent(code).label for code in self.intents if code in Intent.values]

    @property
    def localized_description(self) -> str:
        """The description in the active language, English when there is none."""
        language = (get_language() or "en")[:2]
        return getattr(self, f"description_{language}", "") or self.description

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


# Native names of Korean organizations are written in Hangul, of Japanese ones in Japanese.
NATIVE_LANGUAGES = {"KR": "ko", "JP": "ja"}


class AssetDirection(models.TextChoices):
    """What the owner wants done with an asset."""

    OUT_LICENSING = "out_licensing", _("Available to license")
    CO_DEVELOPMENT = "co_development", _("Seeking a co-development partner")
    DIVESTING = "divesting", _("Offered for a partner to take over")
    IN_DISCUSSION = "in_discussion", _("In partnering discussions")
    PARTNERED = "partnered", _("Partnered (not available)")
    IN_HOUSE = "in_house", _("In-house only (not available)")


# Directions in which a partner can still take an asset on.
OPEN_DIRECTIONS = frozenset(
    {
        AssetDirection.OUT_LICENSING,
        AssetDirection.CO_DEVELOPMENT,
        AssetDirection.DIVESTING,
        AssetDirection.IN_DISCUSSION,
    }
)


class AssetManager(models.Manager):
    def get_by_natural_key(self, organization_slug, slug):
        return self.get(organization__slug=organization_slug, slug=slug)


class Asset(models.Model):
    """A pipeline programme: what a partner would license, co-develop or fund."""

    Direction = AssetDirection

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="assets",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name or code"), max_length=200, validators=[validate_single_line])
    modality = models.ForeignKey(
        FocusArea,
        verbose_name=_("modality"),
        on_delete=models.PROTECT,
        related_name="assets",
        limit_choices_to={"kind": FocusArea.Kind.MODALITY},
    )
    therapeutic_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("therapeutic areas"),
        blank=True,
        related_name="assets_in_area",
        limit_choices_to={"kind": FocusArea.Kind.THERAPEUTIC_AREA},
    )
    indications = models.CharField(
        _("indications"), max_length=300, blank=True, validators=[validate_single_line]
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    designations = ChoiceListField(_("designations"), item_choices=Designation)
    teaser = models.TextField(
        _("public teaser"), blank=True, help_text=_("Shown to everyone on the profile.")
    )
    confidential_details = models.TextField(
        _("confidential details"),
        blank=True,
        help_text=_(
            "Shown only to the organization itself and to partners in an accepted meeting."
        ),
    )
    direction = models.CharField(
        _("partnering direction"),
        max_length=20,
        choices=AssetDirection.choices,
        default=AssetDirection.OUT_LICENSING,
        help_text=_(
            "Offered to license, looking for a co-developer, offered for a partner to take "
            "over, or not available (partnered, in-house only)."
        ),
    )
    rights_available = ChoiceListField(
        _("rights available"),
        item_choices=Territory,
        help_text=_("Territories whose rights are free. Empty: not stated."),
    )
    platform_class = models.SlugField(
        _("platform class"),
        max_length=60,
        blank=True,
        help_text=_(
            "A short code for the technology class, e.g. adc-topoisomerase-1-payload. A "
            "pharma with its own platform of the same class competes for this asset."
        ),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    checked_on = models.DateField(_("last checked"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[therapeutic_areas])

    objects = AssetManager()

    class Meta:
        ordering = ["organization", "order", "name"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="asset_slug_unique_per_org"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=list(stages.ALL_STAGES)), name="asset_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=AssetDirection.values),
                name="asset_direction_valid",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="asset_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization.name})"

    @property
    def is_open(self) -> bool:
        return self.direction in OPEN_DIRECTIONS

    @property
    def designation_labels(self) -> list[str]:
        return [Designation(code).label for code in self.designations if code in Designation.values]

    def natural_key(self):
        return (self.organization.slug, self.slug)

    natural_key.dependencies = ["directory.organization"]


class MemberRole(models.TextChoices):
    """What a person with a login may do for their organization."""

    OWNER = "owner", _("Owner: edits the profile and invites colleagues")
    EDITOR = "editor", _("Editor: edits the profile, pipeline and requests")
    VIEWER = "viewer", _("Viewer: reads only")


# The role's name alone, inside a sentence or after a person's name ("Mina (editor)").
ROLE_NAMES = {
    MemberRole.OWNER: pgettext_lazy("member role", "owner"),
    MemberRole.EDITOR: pgettext_lazy("member role", "editor"),
    MemberRole.VIEWER: pgettext_lazy("member role", "viewer"),
}


class ContactManager(models.Manager):
    def get_by_natural_key(self, organization_slug, email):
        return self.get(organization__slug=organization_slug, email=email)


class Contact(models.Model):
    """A delegate of an organization; linked to a login once the person has one."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    native_name = models.CharField(
        _("native name"), max_length=200, blank=True, validators=[validate_single_line]
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_single_line]
    )
    email = models.EmailField(_("email"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
    )
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=INTERFACE_LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the emails this person receives. Empty: the organization's first "
            "working language that the site speaks."
        ),
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=MemberRole.choices,
        default=MemberRole.EDITOR,
        help_text=_("What this person may do once they have a login."),
    )
    history = HistoricalRecords()

    objects = ContactManager()

    Role = MemberRole

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], name="contact_email_unique_per_org"
            ),
            models.CheckConstraint(condition=~Q(email=""), name="contact_email_not_empty"),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="contact_role_valid"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.name} ({self.native_name})" if self.native_name else self.name
        return f"{label}, {self.organization.name}"

    @property
    def role_name(self) -> str:
        return str(ROLE_NAMES.get(self.role, self.role))

    @property
    def can_edit(self) -> bool:
        """Owners and editors change the profile, pipeline, criteria and requests."""
        return self.role in (MemberRole.OWNER, MemberRole.EDITOR)

    @property
    def can_invite(self) -> bool:
        """Only owners bring colleagues in."""
        return self.role == MemberRole.OWNER

    @property
    def is_last_owner(self) -> bool:
        """The organization's only owner: nobody may remove or demote them (one query)."""
        if self.role != MemberRole.OWNER:
            return False
        owners = Contact.objects.filter(organization_id=self.organization_id, role=MemberRole.OWNER)
        return not owners.exclude(pk=self.pk).exists()

    @property
    def email_language(self) -> str:
        """The language to write to this person in: their own choice, else their organization's."""
        return self.language or self.organization.email_language

    def natural_key(self):
        return (self.organization.slug, self.email)

    natural_key.dependencies = ["directory.organization"]


from .partnering import (  # noqa: E402  (models of this app, defined in their own module)
    Exclusion,
    Interest,
    InvestorMandate,
    Relationship,
    ServiceCapability,
)

__all__ = [
    "Asset",
    "Contact",
    "Exclusion",
    "FocusArea",
    "Interest",
    "InvestorMandate",
    "MemberRole",
    "Organization",
    "PartnershipType",
    "Relationship",
    "ServiceCapability",
]

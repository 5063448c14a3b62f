"""Matching profiles (the weights of the score) and the version of the matching index."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .engine import Weights

DEFAULTS = Weights()


class MatchingProfileQuerySet(models.QuerySet):
    def default(self) -> "MatchingProfile | None":
        return self.filter(is_default=True).first()

    def weights(self) -> Weights:
        """The default profile's weights, or the built-in defaults when there is none."""
        profile = self.default()
        return profile.weights() if profile else Weights()


def _weight(label, default, help_text):
    return models.PositiveSmallIntegerField(
        label, default=int(default), validators=[MaxValueValidator(100)], help_text=help_text
    )


class MatchingProfile(models.Model):
    """How much each criterion counts. One profile is the default; a partnering event will be
    able to name its own (see docs/matching.md)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    is_default = models.BooleanField(
        _("default profile"),
        default=False,
        help_text=_("Used wherever no other profile is chosen. Exactly one profile should be."),
    )
    weight_deal = _weight(
        _("partnership types"),
        DEFAULTS.deal,
        _("What one side seeks, the other offers (licensing, joint research, investment...)."),
    )
    weight_modality = _weight(
        _("modalities"), DEFAULTS.modality, _("They work on the same modalities.")
    )
    weight_therapeutic_area = _weight(
        _("therapeutic areas"),
        DEFAULTS.therapeutic_area,
        _("They are active in the same therapeutic areas (not compared with CROs and CDMOs)."),
    )
    weight_stage = _weight(
        _("stage window"),
        DEFAULTS.stage,
        _("A pharma's or investor's preferred stages take the other side's assets."),
    )
    weight_services = _weight(
        _("service providers (%)"),
        DEFAULTS.services,
        _(
            "How much a service provider's suggestion (a CRO or CDMO offering what the next "
            "milestone needs) counts, in percent of a partner's."
        ),
    )
    off_intent = models.PositiveSmallIntegerField(
        _("outside what a side came for (%)"),
        default=int(DEFAULTS.off_intent),
        validators=[MaxValueValidator(100)],
        help_text=_(
            "How much a suggestion keeps, for a side that did not come for this kind of "
            "partner (an investor to a venture that came only for licensees), in percent."
        ),
    )
    cross_border_bonus = models.PositiveSmallIntegerField(
        _("Korea–Japan bonus (%)"),
        default=int(DEFAULTS.cross_border_bonus),
        validators=[MaxValueValidator(100)],
        help_text=_("How much more a Korea–Japan pair scores than any other pair, in percent."),
    )
    minimum_score = models.PositiveSmallIntegerField(
        _("lowest score suggested"),
        default=int(DEFAULTS.minimum),
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Partners below this score are not suggested; a reader can still list them with "
            "the minimum-score filter."
        ),
    )
    include_same_kind = models.BooleanField(
        _("suggest the same kind"),
        default=DEFAULTS.include_same_kind,
        help_text=_("Also suggest ventures to ventures, pharma to pharma, and so on."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Why these weights."))
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = MatchingProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("matching profile")
        verbose_name_plural = _("matching profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="matchingprofile_one_default",
                violation_error_message=_("Another profile is already the default."),
            ),
            models.CheckConstraint(
                condition=Q(weight_deal__gt=0)
                | Q(weight_modality__gt=0)
                | Q(weight_therapeutic_area__gt=0)
                | Q(weight_services__gt=0),
                name="matchingprofile_some_weight",
                violation_error_message=_(
                    "Give at least one of partnership types, modalities, therapeutic areas "
                    "or needed services a weight above zero."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight_deal__lte=100)
                & Q(weight_modality__lte=100)
                & Q(weight_therapeutic_area__lte=100)
                & Q(weight_stage__lte=100)
                & Q(weight_services__lte=100)
                & Q(off_intent__lte=100)
                & Q(minimum_score__lte=100)
                & Q(cross_border_bonus__lte=100),
                name="matchingprofile_weights_at_most_100",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="matchingprofile_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> Weights:
        return Weights(
            deal=self.weight_deal,
            modality=self.weight_modality,
            therapeutic_area=self.weight_therapeutic_area,
            stage=self.weight_stage,
            services=self.weight_services,
            off_intent=self.off_intent,
            cross_border_bonus=self.cross_border_bonus,
            include_same_kind=self.include_same_kind,
            minimum=self.minimum_score,
        )


class MatchIndexVersion(models.Model):
    """One row whose token changes whenever directory data the matching reads changes.

    Each server process keeps the ranking index in memory and rebuilds it when the token it
    built from is no longer the current one (`services.match_index_invalidate`).
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching index version")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="matchindexversion_single")]

    def __str__(self) -> str:
        return str(self.token)


class FeedbackReason(models.TextChoices):
    OUTSIDE_FOCUS = "outside_focus", _("Outside our focus")
    ALREADY_IN_CONTACT = "already_in_contact", _("Already in contact")
    NOT_NOW = "not_now", _("Not now")
    OTHER = "other", _("Other")


class SuggestionFeedback(models.Model):
    """An organization does not want a suggested partner suggested again.

    "Outside our focus" also ranks lower the partners of the same kind working on the same
    modalities. Kept as labelled pairs for evaluating the suggestions."""

    Reason = FeedbackReason

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="suggestion_feedback",
    )
    partner = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FeedbackReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("not-interested mark")
        verbose_name_plural = _("not-interested marks")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner"], name="suggestionfeedback_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("partner")), name="suggestionfeedback_not_itself"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=FeedbackReason.values),
                name="suggestionfeedback_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.partner}: {self.get_reason_display()}"


class ShortlistQuerySet(models.QuerySet):
    def for_organization(self, organization) -> "ShortlistQuerySet":
        """Entries an organization keeps: a shortlist is private to its organization."""
        return self.filter(organization=organization)


class ShortlistEntry(models.Model):
    """A partner an organization keeps an eye on. Private to the organization; a shortlisted
    partner is never also marked "not interested" (`services.shortlist_add`)."""

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="shortlist",
    )
    partner = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    objects = ShortlistQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner"], name="shortlistentry_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("partner")), name="shortlistentry_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.partner}"

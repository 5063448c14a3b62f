"""Sentences for the reasons and missing pieces of `kbio.lib.scoring`, in the active language.

The score module returns codes and parameters (slugs, stage codes, asset names); this module
owns every word. Each code (and variant: with or without an asset, stage- or modality-driven)
maps to one whole sentence, so translators can reorder it freely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from kbio.lib import stages as ladder
from kbio.lib.scoring import Reason

from .index import MatchIndex

# Stage names inside a sentence ("your preclinical asset", "They look at phase 1 and later").
STAGE_IN_SENTENCE = {
    "discovery": pgettext_lazy("stage in a sentence", "discovery"),
    "lead_optimization": pgettext_lazy("stage in a sentence", "lead optimisation"),
    "preclinical": pgettext_lazy("stage in a sentence", "preclinical"),
    "ind_cleared": pgettext_lazy("stage in a sentence", "IND-cleared"),
    "phase_1": pgettext_lazy("stage in a sentence", "phase 1"),
    "phase_1_2": pgettext_lazy("stage in a sentence", "phase 1/2"),
    "phase_2": pgettext_lazy("stage in a sentence", "phase 2"),
    "phase_2_3": pgettext_lazy("stage in a sentence", "phase 2/3"),
    "phase_3": pgettext_lazy("stage in a sentence", "phase 3"),
    "filed": pgettext_lazy("stage in a sentence", "filed"),
    "approved": pgettext_lazy("stage in a sentence", "approved"),
    "not_applicable": pgettext_lazy("stage in a sentence", "no stage"),
}

# Reasons, by code and variant.
REASONS = {
    "offers_what_you_seek": gettext_lazy("They offer what you seek: %(deals)s"),
    "seeks_what_you_offer": gettext_lazy("They seek what you offer: %(deals)s"),
    "both_seek": gettext_lazy("You both look for %(deals)s"),
    "shared_modality": gettext_lazy("Both work on %(areas)s"),
    "shared_area": gettext_lazy("Both are active in %(areas)s"),
    ("related_focus", "yours narrower"): gettext_lazy(
        "Your work on %(yours)s falls within their focus on %(theirs)s"
    ),
    ("related_focus", "theirs narrower"): gettext_lazy(
        "Their work on %(theirs)s falls within your focus on %(yours)s"
    ),
    "they_name_no_modality": gettext_lazy("They name no modality, so yours is not ruled out"),
    "you_name_no_modality": gettext_lazy("You name no modality, so theirs is not ruled out"),
    "they_name_no_area": gettext_lazy("They name no therapeutic area, so yours are not ruled out"),
    "you_name_no_area": gettext_lazy("You name no therapeutic area, so theirs are not ruled out"),
    ("you_name_no_modality", "asset"): gettext_lazy(
        "Your asset %(asset)s names no modality, so theirs is not ruled out"
    ),
    ("they_name_no_modality", "asset"): gettext_lazy(
        "Their asset %(asset)s names no modality, so yours is not ruled out"
    ),
    ("you_name_no_area", "asset"): gettext_lazy(
        "Your asset %(asset)s names no therapeutic area, so theirs are not ruled out"
    ),
    ("they_name_no_area", "asset"): gettext_lazy(
        "Their asset %(asset)s names no therapeutic area, so yours are not ruled out"
    ),
    ("theirs_window_fits", "lead"): gettext_lazy(
        "Their stage window (%(window)s) covers your lead asset %(asset)s (%(stage)s)"
    ),
    ("theirs_window_fits", "asset"): gettext_lazy(
        "Their stage window (%(window)s) covers your asset %(asset)s (%(stage)s)"
    ),
    ("theirs_window_fits", "no asset"): gettext_lazy(
        "Their stage window (%(window)s) covers your lead stage (%(stage)s)"
    ),
    ("theirs_window_near", "lead"): gettext_lazy(
        "Your lead asset %(asset)s (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("theirs_window_near", "asset"): gettext_lazy(
        "Your asset %(asset)s (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("theirs_window_near", "no asset"): gettext_lazy(
        "Your lead stage (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("yours_window_fits", "lead"): gettext_lazy(
        "Their lead asset %(asset)s (%(stage)s) is in your stage window (%(window)s)"
    ),
    ("yours_window_fits", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is in your stage window (%(window)s)"
    ),
    ("yours_window_fits", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is in your stage window (%(window)s)"
    ),
    ("yours_window_near", "lead"): gettext_lazy(
        "Their lead asset %(asset)s (%(stage)s) is close to your stage window (%(window)s)"
    ),
    ("yours_window_near", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is close to your stage window (%(window)s)"
    ),
    ("yours_window_near", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is close to your stage window (%(window)s)"
    ),
    ("they_offer_what_you_need", "asset"): gettext_lazy(
        "They offer what your asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("they_offer_what_you_need", "no asset"): gettext_lazy(
        "They offer what your %(stage)s programme needs next: %(services)s"
    ),
    ("you_offer_what_they_need", "asset"): gettext_lazy(
        "You offer what their asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("you_offer_what_they_need", "no asset"): gettext_lazy(
        "You offer what their %(stage)s programme needs next: %(services)s"
    ),
    "cross_border": gettext_lazy("Korea–Japan cross-border pair"),
}

# Missing pieces ("why not higher"), by code and variant.
MISSING = {
    "they_offer_nothing_you_seek": gettext_lazy("They offer none of what you seek: %(deals)s"),
    "you_offer_nothing_they_seek": gettext_lazy("You offer none of what they seek: %(deals)s"),
    "they_seek_nothing_you_offer": gettext_lazy("They seek none of what you offer: %(deals)s"),
    "you_seek_nothing_they_offer": gettext_lazy("You seek none of what they offer: %(deals)s"),
    "they_skip_some_you_offer": gettext_lazy("Of what you offer, they do not seek: %(deals)s"),
    "you_skip_some_they_offer": gettext_lazy("Of what they offer, you do not seek: %(deals)s"),
    "they_lack_some_you_seek": gettext_lazy("Of what you seek, they do not offer: %(deals)s"),
    "you_lack_some_they_seek": gettext_lazy("Of what they seek, you do not offer: %(deals)s"),
    "they_lack_your_modality": gettext_lazy("Not among their modalities: %(areas)s"),
    "they_lack_your_area": gettext_lazy("Not among their therapeutic areas: %(areas)s"),
    "their_modality_elsewhere": gettext_lazy("Their modalities you do not work on: %(areas)s"),
    "their_area_elsewhere": gettext_lazy(
        "Their therapeutic areas you are not active in: %(areas)s"
    ),
    "they_name_no_modality": gettext_lazy("They name no modality, so a fit is not confirmed"),
    "you_name_no_modality": gettext_lazy("You name no modality, so a fit is not confirmed"),
    "they_name_no_area": gettext_lazy("They name no therapeutic area, so a fit is not confirmed"),
    "you_name_no_area": gettext_lazy("You name no therapeutic area, so a fit is not confirmed"),
    ("you_name_no_modality", "asset"): gettext_lazy(
        "Your asset %(asset)s names no modality, so a fit is not confirmed"
    ),
    ("they_name_no_modality", "asset"): gettext_lazy(
        "Their asset %(asset)s names no modality, so a fit is not confirmed"
    ),
    ("you_name_no_area", "asset"): gettext_lazy(
        "Your asset %(asset)s names no therapeutic area, so a fit is not confirmed"
    ),
    ("they_name_no_area", "asset"): gettext_lazy(
        "Their asset %(asset)s names no therapeutic area, so a fit is not confirmed"
    ),
    ("theirs_window_misses", "asset"): gettext_lazy(
        "They look at %(window)s; your lead asset %(asset)s is at the %(stage)s stage"
    ),
    ("theirs_window_misses", "no asset"): gettext_lazy(
        "They look at %(window)s; your lead stage is %(stage)s"
    ),
    ("yours_window_misses", "asset"): gettext_lazy(
        "You look at %(window)s; their lead asset %(asset)s is at the %(stage)s stage"
    ),
    ("yours_window_misses", "no asset"): gettext_lazy(
        "You look at %(window)s; their lead stage is %(stage)s"
    ),
    ("they_lack_what_you_need", "asset"): gettext_lazy(
        "They do not offer what your asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("they_lack_what_you_need", "no asset"): gettext_lazy(
        "They do not offer what your %(stage)s programme needs next: %(services)s"
    ),
    ("you_lack_what_they_need", "asset"): gettext_lazy(
        "You do not offer what their asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("you_lack_what_they_need", "no asset"): gettext_lazy(
        "You do not offer what their %(stage)s programme needs next: %(services)s"
    ),
    "not_cross_border": gettext_lazy("Not a Korea–Japan pair"),
    "nothing_in_common": gettext_lazy(
        "Nothing in common yet: no shared science, deal or needed service"
    ),
    "nothing_for_you": gettext_lazy("Nothing they state meets what you look for"),
    "nothing_for_them": gettext_lazy("Nothing you state meets what they look for"),
}


# Sentence templates already translated, by (language, table, variant).
_translated: dict[tuple, str] = {}


def stage_name(code: str) -> str:
    return str(STAGE_IN_SENTENCE.get(code, code))


def _in_sentence(name: str, language: str) -> str:
    """'Oncology' → 'oncology' in English running text; 'iPSC…', 'GLP…', 'CRO…' stay."""
    if language == "en" and len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def listing(items: Sequence[str]) -> str:
    """Items after a colon: 'A; B; C' (names such as 'GLP toxicology and safety' contain
    commas and 'and' themselves)."""
    if len(items) < 2:
        return "".join(items)
    # Translators: separator between the items of a list that follows a colon
    return _("; ").join(items)


def join(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' in running text (and the Korean and Japanese
    equivalents); a listing when a name itself holds a comma or 'and'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    if any("," in item or " and " in item for item in items):
        return listing(items)
    # Translators: separator between the items of a list, except before the last one
    head = _(", ").join(items[:-1])
    # Translators: the end of a list, e.g. "A, B and C"
    return _("%(items)s and %(last)s") % {"items": head, "last": items[-1]}


def window_text(window: Sequence[str]) -> str:
    """A stage window in words: 'phase 1 – phase 3', 'phase 1 and later', 'up to phase 2'."""
    ranks = [ladder.STAGE_RANK[s] for s in window if s in ladder.STAGE_RANK]
    if not ranks:
        return ""
    names = [stage_name(ladder.STAGE_ORDER[r]) for r in ranks]
    if ranks != list(range(ranks[0], ranks[-1] + 1)):
        return join(names)
    if len(ranks) == 1:
        return names[0]
    if ranks[-1] == len(ladder.STAGE_ORDER) - 1:
        return _("%(first)s and later") % {"first": names[0]}
    if ranks[0] == 0:
        return _("up to %(last)s") % {"last": names[-1]}
    return _("%(first)s – %(last)s") % {"first": names[0], "last": names[-1]}


# Reasons that only say nothing speaks against a pair: listed, never among the strongest.
NEUTRAL_CODES = frozenset(
    {
        "they_name_no_modality",
        "you_name_no_modality",
        "they_name_no_area",
        "you_name_no_area",
    }
)


class Renderer:
    """Turns the reasons of one match into sentences, with names from the index in the
    active language. `via_asset` is the match's ("yours" | "theirs", asset name), if any:
    when the match is through an asset, "you name no modality" is about that asset."""

    def __init__(self, index: MatchIndex, via_asset: tuple[str, str] | None = None):
        self.index = index
        self.via_asset = via_asset
        self.language = (get_language() or "en")[:2]

    def area(self, slug: str) -> str:
        names = self.index.area_names.get(slug)
        return _in_sentence(names.get(self.language), self.language) if names else slug

    def areas(self, slugs: Iterable[str], after_colon: bool = False) -> str:
        names = [self.area(slug) for slug in slugs]
        return listing(names) if after_colon else join(names)

    def deals(self, slugs: Iterable[str], after_colon: bool = True) -> str:
        found = []
        for slug in slugs:
            names = self.index.deal_names.get(slug)
            found.append(_in_sentence(names.get(self.language), self.language) if names else slug)
        return listing(found) if after_colon else join(found)

    def _narrower(self, narrow: str, broad: str) -> bool:
        parent, seen = self.index.taxonomy.parents.get(narrow), set()
        while parent and parent not in seen:
            if parent == broad:
                return True
            seen.add(parent)
            parent = self.index.taxonomy.parents.get(parent)
        return False

    def _values(self, p: Mapping[str, object], shared: bool = False) -> dict[str, str]:
        values: dict[str, str] = {}
        if "deals" in p:
            values["deals"] = self.deals(p["deals"], after_colon=not shared)
        if "areas" in p:
            values["areas"] = self.areas(p["areas"], after_colon=not shared)
        if "services" in p:
            values["services"] = self.areas(p["services"], after_colon=True)
        for key in ("yours", "theirs"):
            if key in p:
                values[key] = self.area(p[key])
        if "window" in p:
            values["window"] = window_text(p["window"])
        if "stage" in p:
            values["stage"] = stage_name(p["stage"])
        if p.get("asset"):
            values["asset"] = str(p["asset"])
        return values

    def _variant(self, reason: Reason) -> tuple[str, ...] | str:
        p, code = reason.params, reason.code
        if (
            code in NEUTRAL_CODES
            and self.via_asset
            and code.startswith("you_" if self.via_asset[0] == "yours" else "they_")
        ):
            return code, "asset"
        if code == "related_focus":
            narrower = self._narrower(p["yours"], p["theirs"])
            return code, "yours narrower" if narrower else "theirs narrower"
        asset = "asset" if p.get("asset") else "no asset"
        if code.endswith(("_window_fits", "_window_near")):
            return code, "lead" if p.get("asset") and p.get("lead") else asset
        if code.endswith(("_window_misses", "_what_you_need", "_what_they_need")):
            return code, asset
        return code

    def _render(self, templates, reason: Reason, shared: bool = False) -> str:
        key = (self.language, id(templates), self._variant(reason))
        template = _translated.get(key)
        if template is None:
            lazy = templates.get(key[2])
            if lazy is None:
                return reason.code
            template = _translated[key] = str(lazy)
        values = self._values(reason.params, shared)
        if self.via_asset and "asset" not in values:
            values["asset"] = self.via_asset[1]
        return template % values

    def reason(self, reason: Reason) -> str:
        shared = reason.code in ("shared_modality", "shared_area", "both_seek")
        return self._render(REASONS, reason, shared)

    def missing(self, reason: Reason) -> str:
        return self._render(MISSING, reason)


def rounded_points(reasons: Sequence[Reason], total: int) -> list[int]:
    """Whole points per reason that add up to the rounded score (largest remainder)."""
    floors = [int(r.points) for r in reasons]
    by_remainder = sorted(
        range(len(reasons)), key=lambda i: reasons[i].points - floors[i], reverse=True
    )
    for i in by_remainder[: max(0, total - sum(floors))]:
        floors[i] += 1
    return floors

"""What is missing from a profile that would change suggestions, and for how many.

Each hint is given only when the piece is really missing and the matching engine really
reads it (kbio/matching/engine/); its count comes from the matching index already in
memory, so a hint list costs one or two queries whatever the size of the directory.
Hints are codes with a count; `Hint.text` words them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from kbio.lib import stages as ladder
from kbio.matching.engine import model as m
from kbio.matching.engine.tables import UNKNOWN
from kbio.matching.index import MatchIndex, current_index
from kbio.matching.models import MatchingProfile

from .models import Organization


@dataclass(frozen=True)
class Hint:
    code: str
    count: int
    section: str  # "profile", "criteria", "assets" or "asset"
    anchor: str = ""  # the id of the field to fill
    asset: int | None = None  # the asset to complete (section "asset")
    name: str = ""  # the asset's name

    def url(self, slug: str) -> str:
        if self.section == "asset":
            return reverse("directory:edit_asset", args=[slug, self.asset])
        target = reverse(f"directory:edit_{self.section}", args=[slug])
        return f"{target}#{self.anchor}" if self.anchor else target

    @property
    def text(self) -> str:
        n = self.count
        words = {
            "stage_window": lambda: ngettext(
                "Add the stages you take assets at: %(n)d organization offers an asset at a "
                "stated stage and would be scored on it.",
                "Add the stages you take assets at: %(n)d organizations offer assets at a "
                "stated stage and would be scored on it.",
                n,
            ),
            "investor_stage_window": lambda: ngettext(
                "Add the stages you invest at: %(n)d company seeking investment would be "
                "scored on it.",
                "Add the stages you invest at: %(n)d companies seeking investment would be "
                "scored on it.",
                n,
            ),
            "lead_stage": lambda: ngettext(
                "Add your lead programme's stage: %(n)d investor or service provider scores "
                "partners on it.",
                "Add your lead programme's stage: %(n)d investors and service providers score "
                "partners on it.",
                n,
            ),
            "asset_stage": lambda: ngettext(
                "Add the stage of %(name)s: %(n)d organization looks for assets in a stage window.",
                "Add the stage of %(name)s: %(n)d organizations look for assets in a stage window.",
                n,
            ),
            "intents": lambda: ngettext(
                "Say what you come for: %(n)d suggested partner would be ranked by it.",
                "Say what you come for: %(n)d suggested partners would be ranked by it.",
                n,
            ),
            "service_modalities": lambda: ngettext(
                "Say which modalities your services cover: a service without them counts for "
                "nobody, and %(n)d organization needs such services.",
                "Say which modalities your services cover: a service without them counts for "
                "nobody, and %(n)d organizations need such services.",
                n,
            ),
            "services": lambda: ngettext(
                "List the services you provide: %(n)d organization needs services for its "
                "programmes.",
                "List the services you provide: %(n)d organizations need services for their "
                "programmes.",
                n,
            ),
            "mandate": lambda: ngettext(
                "State your investment mandate (sectors, countries): %(n)d company seeking "
                "investment would be checked against it.",
                "State your investment mandate (sectors, countries): %(n)d companies seeking "
                "investment would be checked against it.",
                n,
            ),
            "description_ko": lambda: ngettext(
                "Add a Korean description: Korean readers see English (%(n)d Korean "
                "organization in the directory).",
                "Add a Korean description: Korean readers see English (%(n)d Korean "
                "organizations in the directory).",
                n,
            ),
            "description_ja": lambda: ngettext(
                "Add a Japanese description: Japanese readers see English (%(n)d Japanese "
                "organization in the directory).",
                "Add a Japanese description: Japanese readers see English (%(n)d Japanese "
                "organizations in the directory).",
                n,
            ),
        }
        return words.get(self.code, lambda: gettext("Complete your profile."))() % {
            "n": n,
            "name": self.name,
        }


def _others(rows, v: int) -> int:
    return len({int(r) for r in rows} - {v})


def completeness_hints(organization: Organization, index: MatchIndex | None = None) -> list[Hint]:
    """The hints for one organization, most useful first. One query for the index version
    (plus a rebuild when the directory changed), one for the weights when intents are
    missing."""
    index = index or current_index()
    hints: list[Hint] = []
    viewer = index.by_slug.get(organization.slug)
    if viewer is not None:
        hints += _matching_hints(index, viewer)
    countries = [info.country for key, info in index.info.items() if key != organization.pk]
    has_text = bool(organization.description or organization.description_ja)
    if has_text and not organization.description_ko:
        count = countries.count("KR")
        if count:
            hints.append(Hint("description_ko", count, "profile", "field-description_ko"))
    has_text = bool(organization.description or organization.description_ko)
    if has_text and not organization.description_ja:
        count = countries.count("JP")
        if count:
            hints.append(Hint("description_ja", count, "profile", "field-description_ja"))
    return hints


def _matching_hints(index: MatchIndex, org: m.Org) -> list[Hint]:
    t = index.engine.t
    v = index.row(org)
    hints: list[Hint] = []
    # A taker (pharma, venture, academia) whose interests name no stage window loses the
    # stage points of every licensing fit (fits.license: stage_credit is 0 for no window).
    interests = t.interests_by_owner[v]
    if len(interests) and np.all(
        (t.int_low[interests] == UNKNOWN) & (t.int_high[interests] == UNKNOWN)
    ):
        staged = np.array([item.asset is not None for item in t.items], bool)
        staged &= t.item_stage != UNKNOWN
        count = _others(t.item_owner[staged], v)
        if count:
            # A stated interest carries its own window; an implied one reads the profile's.
            section, anchor = (
                ("criteria", "interest") if org.interests else ("profile", "field-preferred_stages")
            )
            hints.append(Hint("stage_window", count, section, anchor))
    # An investor with no stage window loses the stage points of every investment fit.
    if t.vehicle[v] != 0 and t.inv_low[v] == UNKNOWN and t.inv_high[v] == UNKNOWN:
        count = _others(np.flatnonzero(t.seeks_investment & (t.stage != UNKNOWN)), v)
        if count:
            hints.append(Hint("investor_stage_window", count, "profile", "field-preferred_stages"))
    # A developer with no programme stage: investors cannot score its stage and providers
    # cannot tell what its next milestone needs (tables.needs_of).
    if org.kind in m.DEVELOPER_KINDS and t.stage[v] == UNKNOWN:
        readers = {int(r) for r in t.providers}
        if t.seeks_investment[v]:
            windowed = (t.inv_low[t.investors] != UNKNOWN) | (t.inv_high[t.investors] != UNKNOWN)
            readers |= {int(r) for r in t.investors[windowed]}
        count = len(readers - {v})
        if count:
            hints.append(Hint("lead_stage", count, "profile", "field-lead_stage"))
    # An open asset without a stage earns no stage points from any interest with a window.
    unstaged = [a for a in org.open_assets if a.stage not in ladder.STAGE_RANK]
    if unstaged:
        windowed = (t.int_low != UNKNOWN) | (t.int_high != UNKNOWN)
        count = _others(t.int_owner[windowed], v)
        if count:
            asset = unstaged[0]
            hints.append(Hint("asset_stage", count, "asset", asset=asset.key, name=asset.name))
    # A provider's services listed without modalities count for no need (tables._services).
    if t.provider[v] and t.cap_unknown[v]:
        unknown = set(t.service.decode(int(t.cap_unknown[v])))
        services = {t.service.codes[s] for s in t.need_service} if len(t.need_service) else set()
        wanted = [t.service.index[s] for s in unknown & services]
        count = _others(t.need_owner[np.isin(t.need_service, wanted)], v) if wanted else 0
        if count:
            hints.append(Hint("service_modalities", count, "criteria", "capability"))
    elif org.kind == m.CRO_CDMO and not t.provider[v]:
        count = _others(np.flatnonzero(t.has_needs), v)
        if count:
            hints.append(Hint("services", count, "profile", "field-services"))
    # An investor without a mandate is scored as a direct investor in any sector and country,
    # or, when it does not offer equity investment either, not as an investor at all.
    if org.kind == m.INVESTOR and org.mandate is None:
        count = _others(t.investees, v)
        if count:
            hints.append(Hint("mandate", count, "criteria", "mandate"))
    # Without intents no role of a suggestion counts for less (engine._intent_factor).
    if not org.intents:
        weights = MatchingProfile.objects.weights()
        count = len(index.engine.top(v, weights, minimum=weights.minimum))
        if count:
            hints.append(Hint("intents", count, "profile", "field-intents"))
    return hints

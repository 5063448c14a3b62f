"""Supply against demand per focus area among an event's participants (no Django).

Who *seeks* and who *offers* a focus area depends on its kind:

- Modalities and therapeutic areas: the developers (ventures, academia) that work on it offer
  it (their own focus areas, or the modality and therapeutic areas of an asset they have open
  to partnering); pharma companies and investors that name it among their interests seek it.
- Services: a developer seeks a service when the next step of one of its open assets needs it
  (`needs`, worked out by the caller from the asset's stage and modality, or from the lead
  stage of a developer that lists no assets: GLP toxicology before a first clinical trial,
  cell manufacturing for a cell therapy, and so on); any participant
  that is not a developer and lists the service among its focus areas offers it (CROs,
  CDMOs, and the odd agency that gives regulatory advice).

Each participant counts once per area. An area also collects the counts of the areas under
it (a venture working on immuno-oncology works on oncology too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MODALITY = "modality"
THERAPEUTIC_AREA = "therapeutic_area"
SERVICE = "service"

DEVELOPER_KINDS = frozenset({"venture", "academia"})
SEEKER_KINDS = frozenset({"pharma", "investor"})


@dataclass(frozen=True)
class Participant:
    kind: str  # the organization's kind: venture, pharma, cro_cdmo...
    focus_areas: frozenset[str]  # slugs of the organization's own focus areas, any kind
    asset_areas: frozenset[str] = frozenset()  # modalities and areas of its open assets
    needs: frozenset[str] = frozenset()  # services its open assets' next steps need


@dataclass(frozen=True)
class Balance:
    slug: str
    seek: int
    offer: int


def _with_ancestors(slugs: Iterable[str], parents: Mapping[str, str | None]) -> set[str]:
    found: set[str] = set()
    for slug in slugs:
        while slug and slug not in found:
            found.add(slug)
            slug = parents.get(slug)
    return found


def balances(
    participants: Iterable[Participant],
    kinds: Mapping[str, str],
    parents: Mapping[str, str | None],
    order: Iterable[str],
) -> dict[str, list[Balance]]:
    """Per kind of focus area, in `order` (taxonomy order), the areas someone seeks or offers."""
    seek: dict[str, int] = {}
    offer: dict[str, int] = {}

    def count(into: dict[str, int], slugs: Iterable[str], wanted: tuple[str, ...]) -> None:
        for slug in _with_ancestors(slugs, parents):
            if kinds.get(slug) in wanted:
                into[slug] = into.get(slug, 0) + 1

    science = (MODALITY, THERAPEUTIC_AREA)
    for participant in participants:
        if participant.kind in DEVELOPER_KINDS:
            count(offer, participant.focus_areas | participant.asset_areas, science)
            count(seek, participant.needs, (SERVICE,))
        else:
            count(offer, participant.focus_areas, (SERVICE,))
            if participant.kind in SEEKER_KINDS:
                count(seek, participant.focus_areas, science)
    grouped: dict[str, list[Balance]] = {MODALITY: [], THERAPEUTIC_AREA: [], SERVICE: []}
    for slug in order:
        kind = kinds.get(slug)
        if kind in grouped and (seek.get(slug) or offer.get(slug)):
            grouped[kind].append(Balance(slug, seek.get(slug, 0), offer.get(slug, 0)))
    return grouped

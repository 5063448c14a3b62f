from django import template

from kbio.matching.shortlist import PartnerState

register = template.Library()

NOTHING = PartnerState()


@register.filter
def state_of(states: dict, key: int) -> PartnerState:
    """What the organization said about partner `key` (`shortlist.partner_states`)."""
    return states.get(key, NOTHING) if states else NOTHING

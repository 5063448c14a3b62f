"""Sentences for the codes of the matching engine, in the active language.

The engine returns codes and parameters (slugs, stage codes, asset names, dates); this module
owns every word. Each code maps to one whole sentence, so translators can reorder it freely,
and names are filled in the active language.

Two perspectives: the sentences speak to the organization the suggestions are for ("You look
for..., their asset fits") when one of its members reads, and about it by name ("Astellas
looks for...") to anyone else; the *_ABOUT tables hold the second, under the same codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from kbio.directory.models import Intent, Relationship, Territory
from kbio.directory.partnering import Sector
from kbio.formats import year_month
from kbio.lib import stages as ladder

from .engine import Line
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

ROLE_LABELS = {
    "licensee": pgettext_lazy("role of a partner", "Licensee or co-developer"),
    "licensor": pgettext_lazy("role of a partner", "Asset or research partner"),
    "investor": pgettext_lazy("role of a partner", "Investor"),
    "investee": pgettext_lazy("role of a partner", "Company to invest in"),
    "fund": pgettext_lazy("role of a partner", "Fund to invest in"),
    "limited_partner": pgettext_lazy("role of a partner", "Fund of funds"),
    "provider": pgettext_lazy("role of a partner", "Service provider"),
    "client": pgettext_lazy("role of a partner", "Client"),
    "supporter": pgettext_lazy("role of a partner", "Support"),
    "supported": pgettext_lazy("role of a partner", "Company to support"),
}
# The role inside a sentence ("they would be a service provider").
ROLE_IN_SENTENCE = {
    "licensee": pgettext_lazy("role in a sentence", "a licensee or co-developer"),
    "licensor": pgettext_lazy("role in a sentence", "a source of assets or research"),
    "investor": pgettext_lazy("role in a sentence", "an investor"),
    "investee": pgettext_lazy("role in a sentence", "a company to invest in"),
    "fund": pgettext_lazy("role in a sentence", "a fund to invest in"),
    "limited_partner": pgettext_lazy("role in a sentence", "a fund of funds"),
    "provider": pgettext_lazy("role in a sentence", "a service provider"),
    "client": pgettext_lazy("role in a sentence", "a client"),
    "supporter": pgettext_lazy("role in a sentence", "a supporter"),
    "supported": pgettext_lazy("role in a sentence", "a company to support"),
}

REASONS = {
    # Licensing, co-development, research: an interest of one side takes an item of the other.
    "they_seek_your_asset": gettext_lazy(
        "They look for %(interest)s: your asset %(asset)s (%(item)s) fits"
    ),
    "they_seek_your_work": gettext_lazy("They look for %(interest)s: your work on %(item)s fits"),
    "they_focus_on_your_asset": gettext_lazy(
        "Your asset %(asset)s (%(item)s) is within their focus on %(interest)s"
    ),
    "they_focus_on_your_work": gettext_lazy(
        "Your work on %(item)s is within their focus on %(interest)s"
    ),
    "you_seek_their_asset": gettext_lazy(
        "You look for %(interest)s: their asset %(asset)s (%(item)s) fits"
    ),
    "you_seek_their_work": gettext_lazy("You look for %(interest)s: their work on %(item)s fits"),
    "you_focus_on_their_asset": gettext_lazy(
        "Their asset %(asset)s (%(item)s) is within your focus on %(interest)s"
    ),
    "you_focus_on_their_work": gettext_lazy(
        "Their work on %(item)s is within your focus on %(interest)s"
    ),
    ("theirs_window_fits", "asset"): gettext_lazy(
        "Their stage window (%(window)s) covers your asset %(asset)s (%(stage)s)"
    ),
    ("theirs_window_fits", "no asset"): gettext_lazy(
        "Their stage window (%(window)s) covers your lead stage (%(stage)s)"
    ),
    ("theirs_window_near", "asset"): gettext_lazy(
        "Your asset %(asset)s (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("theirs_window_near", "no asset"): gettext_lazy(
        "Your lead stage (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("yours_window_fits", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is in your stage window (%(window)s)"
    ),
    ("yours_window_fits", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is in your stage window (%(window)s)"
    ),
    ("yours_window_near", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is close to your stage window (%(window)s)"
    ),
    ("yours_window_near", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is close to your stage window (%(window)s)"
    ),
    "also_fits": gettext_lazy("Other assets that fit too: %(assets)s"),
    "they_take_deal": gettext_lazy("They want the deal you offer: %(deals)s"),
    "you_take_deal": gettext_lazy("You want the deal they offer: %(deals)s"),
    # Investment.
    "they_invest_in_sector": gettext_lazy("Their investment mandate covers %(sectors)s"),
    "you_invest_in_sector": gettext_lazy("Your investment mandate covers %(sectors)s"),
    "they_invest_in_science": gettext_lazy("They invest in %(science)s, which you work on"),
    "you_invest_in_science": gettext_lazy("You invest in %(science)s, which they work on"),
    "they_fund_sectors": gettext_lazy("Their fund-of-funds mandate shares a sector with your fund"),
    "you_fund_sectors": gettext_lazy("Your fund-of-funds mandate shares a sector with their fund"),
    "they_fund_country": gettext_lazy("Their fund of funds backs funds for your country"),
    "you_fund_country": gettext_lazy("Your fund of funds backs funds for their country"),
    # Services.
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
    ("they_offer_what_you_need", "portfolio"): gettext_lazy(
        "For your work on %(portfolio)s they offer: %(services)s"
    ),
    ("you_offer_what_they_need", "portfolio"): gettext_lazy(
        "For their work on %(portfolio)s you offer: %(services)s"
    ),
    # Support.
    "they_offer_support": gettext_lazy("They offer the support you seek: %(deals)s"),
    "you_offer_support": gettext_lazy("You offer the support they seek: %(deals)s"),
    "cross_border": gettext_lazy("Korea–Japan cross-border pair"),
}

MISSING = {
    ("theirs_window_misses", "asset"): gettext_lazy(
        "They look at %(window)s; your asset %(asset)s is at the %(stage)s stage"
    ),
    ("theirs_window_misses", "no asset"): gettext_lazy(
        "They look at %(window)s; your lead stage is %(stage)s"
    ),
    ("yours_window_misses", "asset"): gettext_lazy(
        "You look at %(window)s; their asset %(asset)s is at the %(stage)s stage"
    ),
    ("yours_window_misses", "no asset"): gettext_lazy(
        "You look at %(window)s; their lead stage is %(stage)s"
    ),
    ("they_want_other_deal", "asset"): gettext_lazy(
        "They look for %(wanted)s; your asset %(asset)s is offered for %(offered)s"
    ),
    ("they_want_other_deal", "no asset"): gettext_lazy(
        "They look for %(wanted)s; you offer %(offered)s"
    ),
    ("you_want_other_deal", "asset"): gettext_lazy(
        "You look for %(wanted)s; their asset %(asset)s is offered for %(offered)s"
    ),
    ("you_want_other_deal", "no asset"): gettext_lazy(
        "You look for %(wanted)s; they offer %(offered)s"
    ),
    "territory_clash": gettext_lazy(
        "Rights wanted in %(wanted)s, but %(asset)s is free only in %(free)s"
    ),
    "they_invest_elsewhere": gettext_lazy("Their investment focus is not your science"),
    "you_invest_elsewhere": gettext_lazy("Your investment focus is not their science"),
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
    ("they_lack_what_you_need", "portfolio"): gettext_lazy(
        "Your work on %(portfolio)s is beyond their capabilities"
    ),
    ("you_lack_what_they_need", "portfolio"): gettext_lazy(
        "Their work on %(portfolio)s is beyond your capabilities"
    ),
    "you_not_asking_services": gettext_lazy("You do not say you are looking for service providers"),
    "they_not_asking_services": gettext_lazy(
        "They do not say they are looking for service providers"
    ),
    "off_your_intents": gettext_lazy("You came for %(intents)s; they would be %(role)s"),
    "off_their_intents": gettext_lazy("They came for %(intents)s; you would be %(role)s"),
    "lowered_by_your_feedback": gettext_lazy(
        "Ranked lower: you turned down %(partners)s as outside your focus"
    ),
    "lowered_by_their_feedback": gettext_lazy(
        "Ranked lower: they turned down a partner like you as outside their focus"
    ),
    "they_lack_support_you_seek": gettext_lazy(
        "Support you seek that they do not offer: %(deals)s"
    ),
    "you_lack_support_they_seek": gettext_lazy(
        "Support they seek that you do not offer: %(deals)s"
    ),
    ("you_not_looking_abroad", "asset"): gettext_lazy(
        "They could do what your asset %(asset)s (%(stage)s) needs next (%(services)s), but you "
        "do not say you look to their country"
    ),
    ("you_not_looking_abroad", "no asset"): gettext_lazy(
        "They could do what your %(stage)s programme needs next (%(services)s), but you do not "
        "say you look to their country"
    ),
    ("they_not_looking_abroad", "asset"): gettext_lazy(
        "You could do what their asset %(asset)s (%(stage)s) needs next (%(services)s), but "
        "they do not say they look to your country"
    ),
    ("they_not_looking_abroad", "no asset"): gettext_lazy(
        "You could do what their %(stage)s programme needs next (%(services)s), but they do not "
        "say they look to your country"
    ),
    "needs_partly_served": gettext_lazy(
        "The services that fit cover only part of what the next milestone needs"
    ),
    "services_count_less": gettext_lazy(
        "A provider and a client count for %(percent)s%% of partners for the science"
    ),
    "support_counts_less": gettext_lazy(
        "Support counts for less than a partner for your science or a service you need"
    ),
    "not_cross_border": gettext_lazy("Not a Korea–Japan pair"),
    "nothing_in_common": gettext_lazy(
        "Nothing fits yet: no interest takes what the other offers, no investment, service "
        "or support one seeks and the other gives"
    ),
}

UNKNOWN = {
    "theirs_window_unknown": gettext_lazy("They state no stage window"),
    "yours_window_unknown": gettext_lazy("You state no stage window"),
    ("stage_unknown", "asset"): gettext_lazy("The stage of %(asset)s is not stated"),
    ("stage_unknown", "no asset"): gettext_lazy("The stage of the programme is not stated"),
    "their_interest_implied": gettext_lazy(
        "They have not stated what they look for: read from their focus areas"
    ),
    "your_interest_implied": gettext_lazy(
        "You have not stated what you look for: read from your focus areas"
    ),
    "their_interest_modalities_unknown": gettext_lazy(
        "They name no modality for what they look for"
    ),
    "your_interest_modalities_unknown": gettext_lazy("You name no modality for what you look for"),
    "their_interest_areas_unknown": gettext_lazy(
        "They name no therapeutic area for what they look for"
    ),
    "your_interest_areas_unknown": gettext_lazy(
        "You name no therapeutic area for what you look for"
    ),
    "their_deals_unknown": gettext_lazy("They have not said which deals they do"),
    "your_deals_unknown": gettext_lazy("You have not said which deals you do"),
    "their_sectors_unknown": gettext_lazy("Their investment sectors are not stated"),
    "your_sectors_unknown": gettext_lazy("Your investment sectors are not stated"),
    "fund_sectors_unknown": gettext_lazy("Whether the two funds share a sector is not stated"),
    "fund_country_unknown": gettext_lazy(
        "Whether the fund of funds backs this fund's country is not stated"
    ),
    "their_coverage_unknown": gettext_lazy("They list %(services)s but not for which modalities"),
    "your_coverage_unknown": gettext_lazy("You list %(services)s but not for which modalities"),
    "their_intents_unknown": gettext_lazy("They have not said what they come to partnering for"),
}

FLAGS = {
    "they_compete": gettext_lazy(
        "Competing platform: they own a platform of the same class (%(platform)s) as your %(asset)s"
    ),
    "you_compete": gettext_lazy(
        "Competing platform: you own a platform of the same class (%(platform)s) as their %(asset)s"
    ),
    "they_left": gettext_lazy("They stopped work on %(subject)s (%(since)s)"),
    "you_left": gettext_lazy("You stopped work on %(subject)s (%(since)s)"),
}

BLOCKED = {
    "existing_relationship": gettext_lazy("Already working together since %(since)s: %(kinds)s"),
    "you_not_interested": gettext_lazy("You marked them not interested"),
    "they_not_interested": gettext_lazy("They marked you not interested"),
    "funds_not_companies_theirs": gettext_lazy("They invest in funds, not in companies"),
    "funds_not_companies_yours": gettext_lazy("You invest in funds, not in companies"),
    "sector_outside_mandate_theirs": gettext_lazy(
        "They invest in %(sectors)s, which leaves you out"
    ),
    "sector_outside_mandate_yours": gettext_lazy(
        "You invest in %(sectors)s, which leaves them out"
    ),
    "country_outside_mandate_theirs": gettext_lazy("They invest only in %(countries)s"),
    "country_outside_mandate_yours": gettext_lazy("You invest only in %(countries)s"),
    "they_left_all": gettext_lazy(
        "They stopped work on %(subjects)s (%(since)s), which is all you offer"
    ),
    "you_left_all": gettext_lazy(
        "You stopped work on %(subjects)s (%(since)s), which is all they offer"
    ),
    **FLAGS,
}

# --- The same sentences about the organization, for a reader who is not one of its members.
# Keyed by the same codes and variants; %(name)s is the organization whose page it is ("you" in
# the tables above). A code whose sentence does not address the reader has no entry here: the
# sentence above serves both readers.

REASONS_ABOUT = {
    "they_seek_your_asset": gettext_lazy(
        "They look for %(interest)s: %(name)s's asset %(asset)s (%(item)s) fits"
    ),
    "they_seek_your_work": gettext_lazy(
        "They look for %(interest)s: %(name)s's work on %(item)s fits"
    ),
    "they_focus_on_your_asset": gettext_lazy(
        "%(name)s's asset %(asset)s (%(item)s) is within their focus on %(interest)s"
    ),
    "they_focus_on_your_work": gettext_lazy(
        "%(name)s's work on %(item)s is within their focus on %(interest)s"
    ),
    "you_seek_their_asset": gettext_lazy(
        "%(name)s looks for %(interest)s: their asset %(asset)s (%(item)s) fits"
    ),
    "you_seek_their_work": gettext_lazy(
        "%(name)s looks for %(interest)s: their work on %(item)s fits"
    ),
    "you_focus_on_their_asset": gettext_lazy(
        "Their asset %(asset)s (%(item)s) is within %(name)s's focus on %(interest)s"
    ),
    "you_focus_on_their_work": gettext_lazy(
        "Their work on %(item)s is within %(name)s's focus on %(interest)s"
    ),
    ("theirs_window_fits", "asset"): gettext_lazy(
        "Their stage window (%(window)s) covers %(name)s's asset %(asset)s (%(stage)s)"
    ),
    ("theirs_window_fits", "no asset"): gettext_lazy(
        "Their stage window (%(window)s) covers %(name)s's lead stage (%(stage)s)"
    ),
    ("theirs_window_near", "asset"): gettext_lazy(
        "%(name)s's asset %(asset)s (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("theirs_window_near", "no asset"): gettext_lazy(
        "%(name)s's lead stage (%(stage)s) is close to their stage window (%(window)s)"
    ),
    ("yours_window_fits", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is in %(name)s's stage window (%(window)s)"
    ),
    ("yours_window_fits", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is in %(name)s's stage window (%(window)s)"
    ),
    ("yours_window_near", "asset"): gettext_lazy(
        "Their asset %(asset)s (%(stage)s) is close to %(name)s's stage window (%(window)s)"
    ),
    ("yours_window_near", "no asset"): gettext_lazy(
        "Their lead stage (%(stage)s) is close to %(name)s's stage window (%(window)s)"
    ),
    "they_take_deal": gettext_lazy("They want the deal %(name)s offers: %(deals)s"),
    "you_take_deal": gettext_lazy("%(name)s wants the deal they offer: %(deals)s"),
    "you_invest_in_sector": gettext_lazy("%(name)s's investment mandate covers %(sectors)s"),
    "they_invest_in_science": gettext_lazy("They invest in %(science)s, which %(name)s works on"),
    "you_invest_in_science": gettext_lazy("%(name)s invests in %(science)s, which they work on"),
    "they_fund_sectors": gettext_lazy(
        "Their fund-of-funds mandate shares a sector with %(name)s's fund"
    ),
    "you_fund_sectors": gettext_lazy(
        "%(name)s's fund-of-funds mandate shares a sector with their fund"
    ),
    "they_fund_country": gettext_lazy("Their fund of funds backs funds for %(name)s's country"),
    "you_fund_country": gettext_lazy("%(name)s's fund of funds backs funds for their country"),
    ("they_offer_what_you_need", "asset"): gettext_lazy(
        "They offer what %(name)s's asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("they_offer_what_you_need", "no asset"): gettext_lazy(
        "They offer what %(name)s's %(stage)s programme needs next: %(services)s"
    ),
    ("you_offer_what_they_need", "asset"): gettext_lazy(
        "%(name)s offers what their asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("you_offer_what_they_need", "no asset"): gettext_lazy(
        "%(name)s offers what their %(stage)s programme needs next: %(services)s"
    ),
    ("they_offer_what_you_need", "portfolio"): gettext_lazy(
        "For %(name)s's work on %(portfolio)s they offer: %(services)s"
    ),
    ("you_offer_what_they_need", "portfolio"): gettext_lazy(
        "For their work on %(portfolio)s %(name)s offers: %(services)s"
    ),
    "they_offer_support": gettext_lazy("They offer the support %(name)s seeks: %(deals)s"),
    "you_offer_support": gettext_lazy("%(name)s offers the support they seek: %(deals)s"),
}

MISSING_ABOUT = {
    ("theirs_window_misses", "asset"): gettext_lazy(
        "They look at %(window)s; %(name)s's asset %(asset)s is at the %(stage)s stage"
    ),
    ("theirs_window_misses", "no asset"): gettext_lazy(
        "They look at %(window)s; %(name)s's lead stage is %(stage)s"
    ),
    ("yours_window_misses", "asset"): gettext_lazy(
        "%(name)s looks at %(window)s; their asset %(asset)s is at the %(stage)s stage"
    ),
    ("yours_window_misses", "no asset"): gettext_lazy(
        "%(name)s looks at %(window)s; their lead stage is %(stage)s"
    ),
    ("they_want_other_deal", "asset"): gettext_lazy(
        "They look for %(wanted)s; %(name)s's asset %(asset)s is offered for %(offered)s"
    ),
    ("they_want_other_deal", "no asset"): gettext_lazy(
        "They look for %(wanted)s; %(name)s offers %(offered)s"
    ),
    ("you_want_other_deal", "asset"): gettext_lazy(
        "%(name)s looks for %(wanted)s; their asset %(asset)s is offered for %(offered)s"
    ),
    ("you_want_other_deal", "no asset"): gettext_lazy(
        "%(name)s looks for %(wanted)s; they offer %(offered)s"
    ),
    "they_invest_elsewhere": gettext_lazy("Their investment focus is not %(name)s's science"),
    "you_invest_elsewhere": gettext_lazy("%(name)s's investment focus is not their science"),
    ("they_lack_what_you_need", "asset"): gettext_lazy(
        "They do not offer what %(name)s's asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("they_lack_what_you_need", "no asset"): gettext_lazy(
        "They do not offer what %(name)s's %(stage)s programme needs next: %(services)s"
    ),
    ("you_lack_what_they_need", "asset"): gettext_lazy(
        "%(name)s does not offer what their asset %(asset)s (%(stage)s) needs next: %(services)s"
    ),
    ("you_lack_what_they_need", "no asset"): gettext_lazy(
        "%(name)s does not offer what their %(stage)s programme needs next: %(services)s"
    ),
    ("they_lack_what_you_need", "portfolio"): gettext_lazy(
        "%(name)s's work on %(portfolio)s is beyond their capabilities"
    ),
    ("you_lack_what_they_need", "portfolio"): gettext_lazy(
        "Their work on %(portfolio)s is beyond %(name)s's capabilities"
    ),
    "you_not_asking_services": gettext_lazy(
        "%(name)s does not say it is looking for service providers"
    ),
    "off_your_intents": gettext_lazy("%(name)s came for %(intents)s; they would be %(role)s"),
    "off_their_intents": gettext_lazy("They came for %(intents)s; %(name)s would be %(role)s"),
    "lowered_by_your_feedback": gettext_lazy(
        "Ranked lower: %(name)s turned down %(partners)s as outside its focus"
    ),
    "lowered_by_their_feedback": gettext_lazy(
        "Ranked lower: they turned down a partner like %(name)s as outside their focus"
    ),
    "they_lack_support_you_seek": gettext_lazy(
        "Support %(name)s seeks that they do not offer: %(deals)s"
    ),
    "you_lack_support_they_seek": gettext_lazy(
        "Support they seek that %(name)s does not offer: %(deals)s"
    ),
    ("you_not_looking_abroad", "asset"): gettext_lazy(
        "They could do what %(name)s's asset %(asset)s (%(stage)s) needs next (%(services)s), "
        "but %(name)s does not say it looks to their country"
    ),
    ("you_not_looking_abroad", "no asset"): gettext_lazy(
        "They could do what %(name)s's %(stage)s programme needs next (%(services)s), but "
        "%(name)s does not say it looks to their country"
    ),
    ("they_not_looking_abroad", "asset"): gettext_lazy(
        "%(name)s could do what their asset %(asset)s (%(stage)s) needs next (%(services)s), "
        "but they do not say they look to %(name)s's country"
    ),
    ("they_not_looking_abroad", "no asset"): gettext_lazy(
        "%(name)s could do what their %(stage)s programme needs next (%(services)s), but they "
        "do not say they look to %(name)s's country"
    ),
    "support_counts_less": gettext_lazy(
        "Support counts for less than a partner for %(name)s's science or a service it needs"
    ),
}

UNKNOWN_ABOUT = {
    "yours_window_unknown": gettext_lazy("%(name)s states no stage window"),
    "your_interest_implied": gettext_lazy(
        "%(name)s has not stated what it looks for: read from its focus areas"
    ),
    "your_interest_modalities_unknown": gettext_lazy(
        "%(name)s names no modality for what it looks for"
    ),
    "your_interest_areas_unknown": gettext_lazy(
        "%(name)s names no therapeutic area for what it looks for"
    ),
    "your_deals_unknown": gettext_lazy("%(name)s has not said which deals it does"),
    "your_sectors_unknown": gettext_lazy("%(name)s's investment sectors are not stated"),
    "your_coverage_unknown": gettext_lazy(
        "%(name)s lists %(services)s but not for which modalities"
    ),
}

FLAGS_ABOUT = {
    "they_compete": gettext_lazy(
        "Competing platform: they own a platform of the same class (%(platform)s) as "
        "%(name)s's %(asset)s"
    ),
    "you_compete": gettext_lazy(
        "Competing platform: %(name)s owns a platform of the same class (%(platform)s) as "
        "their %(asset)s"
    ),
    "you_left": gettext_lazy("%(name)s stopped work on %(subject)s (%(since)s)"),
}

BLOCKED_ABOUT = {
    "you_not_interested": gettext_lazy("%(name)s marked them not interested"),
    "they_not_interested": gettext_lazy("They marked %(name)s not interested"),
    "funds_not_companies_yours": gettext_lazy("%(name)s invests in funds, not in companies"),
    "sector_outside_mandate_theirs": gettext_lazy(
        "They invest in %(sectors)s, which leaves %(name)s out"
    ),
    "sector_outside_mandate_yours": gettext_lazy(
        "%(name)s invests in %(sectors)s, which leaves them out"
    ),
    "country_outside_mandate_yours": gettext_lazy("%(name)s invests only in %(countries)s"),
    "they_left_all": gettext_lazy(
        "They stopped work on %(subjects)s (%(since)s), which is all %(name)s offers"
    ),
    "you_left_all": gettext_lazy(
        "%(name)s stopped work on %(subjects)s (%(since)s), which is all they offer"
    ),
    **FLAGS_ABOUT,
}


# Sentence templates already translated, by (language, table, variant): translating a lazy
# string goes through Django's translation machinery on every use.
_TRANSLATED: dict[tuple, str] = {}
# Names of stages and separators already translated, by (language, key).
_WORDS: dict[tuple, str] = {}


def _word(key: str, lazy) -> str:
    language = get_language() or "en"
    found = _WORDS.get((language, key))
    if found is None:
        found = _WORDS[(language, key)] = str(lazy)
    return found


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def stage_name(code: str) -> str:
    lazy = STAGE_IN_SENTENCE.get(code)
    return _word(f"stage:{code}", lazy) if lazy is not None else code


def month(iso: str) -> str:
    """A date as year and month: precise enough for when a fact became true."""
    return year_month(iso)


def _in_sentence(name: str, language: str) -> str:
    """'Oncology' → 'oncology' in English running text; 'iPSC…', 'GLP…', 'CRO…' stay."""
    if language == "en" and len(name) > 2 and (name[1].islower() or name[1:3] == "-c"):
        return name[0].lower() + name[1:]
    return name


def listing(items: Sequence[str]) -> str:
    """Items after a colon: 'A; B; C' (names such as 'GLP toxicology and safety' contain
    commas and 'and' themselves)."""
    if len(items) < 2:
        return "".join(items)
    # Translators: separator between the items of a list that follows a colon
    return _word("; ", gettext_lazy("; ")).join(items)


def join(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' in running text (and the Korean and Japanese
    equivalents); a listing when a name itself holds a comma or 'and'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    if any("," in item or " and " in item for item in items):
        return listing(items)
    # Translators: separator between the items of a list, except before the last one
    head = _word(", ", gettext_lazy(", ")).join(items[:-1])
    # Translators: the end of a list, e.g. "A, B and C"
    end = _word("and", gettext_lazy("%(items)s and %(last)s"))
    return end % {"items": head, "last": items[-1]}


def window_text(first: str, last: str) -> str:
    """A stage window in words: 'phase 1 – phase 3', 'phase 1 and later', 'up to phase 2'."""
    if first and last:
        if first == last:
            return stage_name(first)
        if last == ladder.STAGE_ORDER[-1]:
            return _("%(first)s and later") % {"first": stage_name(first)}
        if first == ladder.STAGE_ORDER[0]:
            return _("up to %(last)s") % {"last": stage_name(last)}
        return _("%(first)s – %(last)s") % {"first": stage_name(first), "last": stage_name(last)}
    if first:
        return _("%(first)s and later") % {"first": stage_name(first)}
    if last:
        return _("up to %(last)s") % {"last": stage_name(last)}
    return ""


class Renderer:
    """Turns the lines of one explanation into sentences, with names from the index in the
    active language.

    The sentences speak to the organization the suggestions are for ("your asset") unless
    `third_person` names it: then they speak about it by that name ("Pinotbio's asset"), for
    a reader who is not one of its members."""

    def __init__(
        self,
        index: MatchIndex,
        via_asset: tuple[str, str] | None = None,
        *,
        third_person: str | None = None,
    ):
        self.index = index
        self.via_asset = via_asset
        self.third_person = third_person
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

    def interest(self, modalities: Sequence[str], areas: Sequence[str]) -> str:
        if modalities and areas:
            return _("%(modalities)s in %(areas)s") % {
                "modalities": self.areas(modalities),
                "areas": self.areas(areas),
            }
        if modalities:
            return _("%(modalities)s (area not stated)") % {"modalities": self.areas(modalities)}
        return _("%(areas)s (modality not stated)") % {"areas": self.areas(areas)}

    def science(self, modalities: Sequence[str], areas: Sequence[str]) -> str:
        names = [self.area(s) for s in (*modalities, *areas)]
        return listing(names)

    def _labels(self, choices, codes) -> str:
        labels = dict(choices)
        return join([_in_sentence(str(labels.get(c, c)), self.language) for c in codes])

    def _values(self, p: Mapping[str, object]) -> dict[str, str]:
        values: dict[str, str] = {}
        if "interest" in p or "item_modalities" in p:
            values["interest"] = self.interest(p.get("modalities", []), p.get("areas", []))
            values["item"] = self.science(p.get("item_modalities", []), p.get("item_areas", []))
        for key in ("deals", "wanted", "offered"):
            if key in p:
                values[key] = self.deals(p[key])
        if "services" in p:
            values["services"] = self.areas(p["services"], after_colon=True)
        if "from" in p or "to" in p:
            values["window"] = window_text(p.get("from", ""), p.get("to", ""))
        if "stage" in p:
            values["stage"] = stage_name(p["stage"]) if p["stage"] else ""
        values["asset"] = str(p.get("asset") or (self.via_asset[1] if self.via_asset else ""))
        if "sectors" in p:
            values["sectors"] = self._labels(Sector.choices, p["sectors"]) or _("life sciences")
        if "modalities" in p and "science" not in values:
            values["science"] = self.areas([*p.get("modalities", []), *p.get("areas", [])])
        if "intents" in p:
            values["intents"] = self._labels(Intent.choices, p["intents"])
        if "role" in p:
            values["role"] = str(ROLE_IN_SENTENCE.get(p["role"], p["role"]))
        if "assets" in p:
            values["assets"] = listing([str(a) for a in p["assets"]]) or (
                _("%(name)s's platform") % {"name": self.third_person}
                if self.third_person
                else _("your platform")
            )
        if "partners" in p:
            values["partners"] = join(
                [self.index.info[k].name for k in p["partners"] if k in self.index.info]
            )
        if "since" in p:
            values["since"] = month(str(p["since"]))
        if "kinds" in p:
            values["kinds"] = self._labels(Relationship.Kind.choices, p["kinds"])
        if "subject" in p:
            values["subject"] = self._subject(p["subject"])
        if "subjects" in p:
            values["subjects"] = join([self._subject(s) for s in p["subjects"]])
        if "percent" in p:
            values["percent"] = f"{p['percent']:g}"
        if p.get("portfolio"):
            values["portfolio"] = self.areas(p["portfolio"])
        if "platform" in p:
            values["platform"] = str(p["platform"]).replace("-", " ")
        if self.third_person:
            values["name"] = self.third_person
        if "countries" in p:
            values["countries"] = join([str(countries.name(c) or c) for c in p["countries"]])
        if "wanted" in p and "free" in p:
            values["wanted"] = self._labels(Territory.choices, p["wanted"])
            values["free"] = self._labels(Territory.choices, p["free"])
        return values

    def _subject(self, slug: str) -> str:
        if slug in self.index.area_names:
            return self.area(slug)
        return self.deals([slug])

    def _variant(self, line: Line, table) -> str | tuple[str, str]:
        if line.code in table:
            return line.code
        if line.params.get("portfolio"):
            return line.code, "portfolio"
        return line.code, "asset" if line.params.get("asset") else "no asset"

    def _render(self, table, about, line: Line) -> str:
        if self.third_person and self._variant(line, about) in about:
            table = about
        variant = self._variant(line, table)
        key = (self.language, id(table), variant)
        template = _TRANSLATED.get(key)
        if template is None:
            lazy = table.get(variant)
            if lazy is None:
                return line.code
            template = _TRANSLATED[key] = str(lazy)
        return template % self._values(line.params)

    def reason(self, line: Line) -> str:
        return self._render(REASONS, REASONS_ABOUT, line)

    def missing(self, line: Line) -> str:
        return self._render(MISSING, MISSING_ABOUT, line)

    def unknown(self, line: Line) -> str:
        return self._render(UNKNOWN, UNKNOWN_ABOUT, line)

    def flag(self, line: Line) -> str:
        return self._render(FLAGS, FLAGS_ABOUT, line)

    def blocked(self, line: Line) -> str:
        return self._render(BLOCKED, BLOCKED_ABOUT, line)


def rounded_points(points: Sequence[float], total: int) -> list[int]:
    """Whole points per reason that add up to the rounded score (largest remainder)."""
    floors = [int(p) for p in points]
    by_remainder = sorted(range(len(points)), key=lambda i: points[i] - floors[i], reverse=True)
    for i in by_remainder[: max(0, total - sum(floors))]:
        floors[i] += 1
    return floors

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info

from kbio import formats
from kbio.core import auth

register = template.Library()


@register.filter
def year_month(iso: str) -> str:
    """An ISO date kept as text (the matching index's) as its month, in the page's language."""
    return formats.year_month(str(iso))


@register.simple_tag(takes_context=True)
def login_url(context) -> str:
    """The login page, coming back here afterwards (unless here is a login or password page)."""
    return auth.login_url(context.get("request"))


@register.simple_tag(takes_context=True)
def language_choices(context) -> list[dict]:
    """Each interface language with the current page's address in it (query string kept).

    The address is worked out here, while the page's own language is active, because Django's
    set_language can only translate addresses that resolve in the language it runs in.
    """
    request = context.get("request")
    here = request.get_full_path() if request else "/"
    current = get_language()
    choices = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        choose = reverse("choose_language", args=[code])
        choices.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                # The switcher's link: sets the language cookie, then opens `url`.
                "choose_url": f"{choose}?{urlencode({'next': url})}",
                "current": code == current,
            }
        )
    return choices

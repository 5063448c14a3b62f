from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_choices(context) -> list[dict]:
    """Each interface language with the current page's address in it (query string kept).

    The address is worked out here, while the page's own language is active, because Django's
    set_language can only translate addresses that resolve in the language it runs in.
    """
    request = context.get("request")
    here = request.get_full_path() if request else "/"
    current = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(here, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]

"""Whether the reader of a page may edit the organization it shows."""

from django import template

from kbio.accounts.access import delegate_of

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_organization(context, organization) -> bool:
    """An owner or editor of `organization` (no query beyond the login's own delegate record,
    which the profile page reads anyway)."""
    request = context.get("request")
    if request is None:
        return False
    contact = delegate_of(request)
    return bool(contact and contact.organization_id == organization.pk and contact.can_edit)

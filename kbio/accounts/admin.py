from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Application, ApplicationStatus, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the organization's "Invite a person" page, which e-mails the
    one-time link; here organizers follow them up and withdraw them."""

    list_display = ["email", "organization", "role", "created", "expires_at", "state_label"]
    list_filter = ["role"]
    list_select_related = ["organization"]
    search_fields = ["email", "name", "organization__name"]
    readonly_fields = [
        "organization",
        "email",
        "name",
        "role",
        "language",
        "invited_by",
        "created",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("state"))
    def state_label(self, invitation):
        return invitation.state().label

    @admin.action(description=_("Withdraw the selected invitations"))
    def withdraw(self, request, queryset):
        for invitation in queryset:
            services.invitation_revoke(invitation=invitation)
        self.message_user(request, _("Withdrawn."), messages.SUCCESS)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["organization_name", "event", "kind", "country", "email", "status", "created"]
    list_filter = ["status", "event", "kind"]
    list_select_related = ["event"]
    search_fields = ["organization_name", "native_name", "email", "contact_name"]
    readonly_fields = ["status", "decided_at", "decided_by", "organization", "created"]
    actions = ["approve", "reject"]

    @admin.action(
        description=_("Approve: add to the directory and the event, invite the applicant")
    )
    def approve(self, request, queryset):
        self._decide(request, queryset, services.application_approve)

    @admin.action(description=_("Do not accept the selected applications"))
    def reject(self, request, queryset):
        self._decide(request, queryset, services.application_reject)

    def _decide(self, request, queryset, decide):
        done = 0
        for application in queryset.filter(status=ApplicationStatus.PENDING):
            try:
                decide(application=application, decided_by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        self.message_user(request, _("%(n)d decided.") % {"n": done}, messages.SUCCESS)


def invite_link(organization) -> str:
    """A link from the organization's admin page to its invitation page."""
    if not organization.pk:
        return "—"
    return format_html(
        '<a href="{}">{}</a>',
        reverse("accounts:invite", args=[organization.slug]),
        _("Invite a person to this organization"),
    )

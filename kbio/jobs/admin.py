from django.contrib import admin

from .models import EmailDelivery, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "event", "state", "progress", "started_by", "created", "finished"]
    list_filter = ["kind", "state"]
    readonly_fields = [field.name for field in Job._meta.fields if field.name != "payload"]
    exclude = ["payload"]

    def has_add_permission(self, request):
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "about", "kind", "state", "attempts", "created", "sent"]
    list_filter = ["state", "kind"]
    search_fields = ["about"]
    readonly_fields = [field.name for field in EmailDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

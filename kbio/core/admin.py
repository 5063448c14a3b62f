"""The admin site's login form: the site's, which checks the length of a username."""

from django.contrib import admin

from kbio.core.forms import AdminLoginForm

admin.site.login_form = AdminLoginForm

"""Project URLs: the Django admin, login/logout, language switch and the checklists app."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("checklists.urls")),
]

admin.site.site_header = _("WardSafe administration")
admin.site.site_title = "WardSafe"

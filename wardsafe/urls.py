"""Project URLs: the Django admin, login/logout, language switch and the checklists app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

urlpatterns = [
    path("admin/", admin.site.urls),
    # Log in and out, and change one's own password. No self-service password reset: ward
    # accounts are reset by an admin, and the app sends no email.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("checklists.urls")),
]

admin.site.site_header = _("WardSafe administration")
admin.site.site_title = "WardSafe"

handler400 = "wardsafe.errors.bad_request"
handler403 = "wardsafe.errors.permission_denied"
handler404 = "wardsafe.errors.page_not_found"
handler500 = "wardsafe.errors.server_error"

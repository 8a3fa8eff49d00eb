"""Project URLs: the Django admin, login/logout, language switch and the checklists app.

Every page needs a login (LoginRequiredMiddleware) except those marked ``login_not_required``:
the login page (Django marks it), logging out, the language switch, and the admin site, which
checks logins itself.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language


def _left_to_the_admin(patterns):
    """The admin guards its own views: anonymous users go to *its* login page and its logout
    to its index. LoginRequiredMiddleware would send its model pages to the app's login page
    instead, so the admin's views are ``login_not_required`` here, as they were before it."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _left_to_the_admin(pattern.url_patterns)
        elif getattr(pattern.callback, "login_required", True):  # its login page is marked already
            login_not_required(pattern.callback)
    return patterns


admin_patterns, admin_app_name, admin_namespace = admin.site.urls

urlpatterns = [
    path("admin/", (_left_to_the_admin(admin_patterns), admin_app_name, admin_namespace)),
    # Log in and out, and change one's own password. No self-service password reset: ward
    # accounts are reset by an admin, and the app sends no email.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # Logging out works whether or not the session is still alive (it may have just expired).
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The login page has the language switch too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("checklists.urls")),
]

admin.site.site_header = _("WardSafe administration")
admin.site.site_title = "WardSafe"

handler400 = "wardsafe.errors.bad_request"
handler403 = "wardsafe.errors.permission_denied"
handler404 = "wardsafe.errors.page_not_found"
handler500 = "wardsafe.errors.server_error"

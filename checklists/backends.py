"""Django's ModelBackend, reading a user's permissions in one query instead of two.

Every ward page checks the user's role (``view_ward_pages``): Django's ModelBackend reads the
user's own permissions and those of her groups in two queries on each request. This backend
reads both in one (the union of the two joins) and keeps the result on the user for the rest of
the request, as Django does. Everything else — authenticating, ``get_user``, inactive users,
superusers, object permissions (none) — is ModelBackend's own.

Changing ``AUTHENTICATION_BACKENDS`` logs out sessions made under the old backend's path once
(Django keeps the path in the session): after an upgrade, nurses log in again.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class ModelBackendInOneQuery(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                own = Permission.objects.filter(user=user_obj).order_by()
                permissions = own.union(Permission.objects.filter(group__user=user_obj).order_by())
            rows = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

"""What every view module shares: who may do what, which ward or patient the user may see,
and how a service's refusal reaches the page.

Logging in is LoginRequiredMiddleware's job (anonymous users go to the login page before a
view runs). The decorators here add the role's permission: without it, 403. Reading a ward's
pages needs the role too (``VIEW_WARD_PAGES``, held by nurses and shift leaders): every lookup
below checks it first, so a ward member with no role gets 403 on every page, PDF and print run.
Nurses and shift leaders reach only their wards: another ward, patient or print run is a 404.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Admission, Ward

EDIT_TEMPLATES = "checklists.change_checklisttemplate"
VIEW_WARD_PAGES = "checklists.view_ward_pages"

can_record = permission_required("checklists.add_checkrecord", raise_exception=True)
can_admit = permission_required("checklists.add_admission", raise_exception=True)
can_print_run = permission_required("checklists.view_admission", raise_exception=True)


def editor_required(*permissions):
    """The checklist editor's permission and any others the page needs (missing → 403)."""
    return permission_required([EDIT_TEMPLATES, *permissions], raise_exception=True)


can_edit = editor_required()
can_edit_factors = editor_required("checklists.change_riskfactor", "checklists.add_riskfactor")
can_edit_shifts = editor_required(
    "checklists.add_shiftpattern", "checklists.add_shiftpatternversion", "checklists.add_wardshiftpattern"
)


def reads_ward_pages(user) -> bool:
    """The user's role lets them read ward pages (nurse, shift leader; superusers)."""
    return user.has_perm(VIEW_WARD_PAGES)


def _ward_reader(request) -> None:
    if not reads_ward_pages(request.user):
        raise PermissionDenied


def visible_wards(request):
    """The wards the user works on (403 without a ward role)."""
    _ward_reader(request)
    return Ward.objects.visible_to(request.user)


def visible_ward(request, pk) -> Ward:
    """A ward the user works on, else 404 (403 without a ward role)."""
    return get_object_or_404(visible_wards(request), pk=pk)


def visible_admission(request, pk) -> Admission:
    """A stay on one of the user's wards, loaded for the shift's work, else 404 (403 without a ward role)."""
    _ward_reader(request)
    return get_object_or_404(Admission.objects.visible_to(request.user).for_shift_work(), pk=pk)


def visible_admissions(request):
    """The stays on the user's wards, for filtering what hangs off them (403 without a ward role)."""
    _ward_reader(request)
    return Admission.objects.visible_to(request.user)


def refuse_record(request):
    """Why a record post found nothing to record: 403 without the role (as ``can_record`` and
    the ward pages' check say), else 404 (not the user's ward, or not the checklist's item)."""
    if not (request.user.has_perm("checklists.add_checkrecord") and reads_ward_pages(request.user)):
        raise PermissionDenied
    raise Http404


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message above the page."""
    return " ".join(error.messages)


def add_errors(form, error: ValidationError) -> None:
    """A service's errors on the form fields they name, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request, *, files: bool = False):
    """The form data of a POST (bound even when empty: nothing ticked), else None (unbound).
    With ``files``, the pair (data, files) to unpack into the form."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST

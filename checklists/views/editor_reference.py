"""Reference data in the editor: the risk factors that propose checklists (the shifts wards
run: ``editor_shifts``). The service saves each change and writes its audit row."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..forms import RiskFactorForm
from ..models import RiskFactor
from .access import add_errors, can_edit_factors, posted


def _reference_form(request, form, *, template_name: str, done_url: str, context: dict):
    """Create or edit a risk factor; the service saves and audits it."""
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_data_save(obj=form.instance, by=request.user, changed=form.changed_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(object)s saved.") % {"object": form.instance})
            return redirect(done_url)
    return render(request, template_name, context | {"form": form})


@can_edit_factors
def risk_factor_list(request):
    factors = RiskFactor.objects.order_by("group", "position", "code")
    return render(request, "checklists/editor/risk_factor_list.html", {"factors": factors})


@can_edit_factors
def risk_factor_create(request):
    form = RiskFactorForm(posted(request))
    done = reverse("checklists:risk_factor_list")
    return _reference_form(
        request, form, template_name="checklists/editor/risk_factor_form.html", done_url=done, context={}
    )


@can_edit_factors
def risk_factor_edit(request, pk):
    factor = get_object_or_404(RiskFactor, pk=pk)
    form = RiskFactorForm(posted(request), instance=factor)
    done = reverse("checklists:risk_factor_list")
    return _reference_form(
        request,
        form,
        template_name="checklists/editor/risk_factor_form.html",
        done_url=done,
        context={"factor": factor},
    )

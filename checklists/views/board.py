"""The ward at a glance: the landing page, the ward board (every bed and what is due this
shift, polled by the open tab with a conditional request) and the handover (what each patient's
shift left open, for any past shift)."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import BoardFilterForm, HandoverNoteForm, SlotForm
from ..models import Ward
from .access import EDIT_TEMPLATES, reads_ward_pages, visible_ward, visible_wards
from .board_rows import board_frame, board_rows, ward_moves

BOARD = "checklists/ward_board.html"


def home(request):
    """Nurses and leaders land on their ward; a checklist admin without a ward on the editor;
    anyone else (no ward, or a ward but no role) on a page that says whom to ask."""
    ward = Ward.objects.visible_to(request.user).first() if reads_ward_pages(request.user) else None
    if ward is not None:
        return redirect("checklists:ward_board", pk=ward.pk)
    if request.user.has_perm(EDIT_TEMPLATES):
        return redirect("checklists:template_list")
    on_a_ward = Ward.objects.visible_to(request.user).exists()  # a member without a role
    return render(request, "checklists/no_ward.html", {"without_role": on_a_ward}, status=403 if on_a_ward else 200)


def _tag_key(filters: BoardFilterForm, fragment: bool) -> str:
    return f"{filters.key}|{'fragment' if fragment else 'page'}"


def ward_board(request, pk):
    """The board, or (htmx) its rows; 304 when the tab's tag (If-None-Match) still holds."""
    filters = BoardFilterForm(request.GET)
    tagged = {"user": request.user, "language": request.LANGUAGE_CODE}
    sent = request.headers.get("If-None-Match")
    if tag := selectors.board_unchanged(
        ward_id=pk, if_none_match=sent, filters=_tag_key(filters, request.htmx), **tagged
    ):
        response = HttpResponseNotModified()
        response["ETag"] = tag
        return response
    wards = list(visible_wards(request))  # for the switch buttons: no beds needed
    ward = next((w for w in wards if w.pk == pk), None)
    if ward is None:
        raise Http404
    count, rows_token = selectors.ward_changes(ward)  # before anything the board shows
    frame = board_frame(ward, rows_token)  # the beds and their stays, the ward's shifts
    slots = SlotForm(calendar=frame.calendar)  # the board always shows the ward's current shift
    stays = ward_moves(ward, slots.slot, rows_token)  # the bed history: who came and left this shift
    rows = board_rows(
        ward=ward,
        beds=frame.beds,
        slot=slots.slot,
        previous=slots.previous,
        stays=stays,
        rows_token=rows_token,
        user=request.user,
    )
    board = selectors.board_for(rows, request.user, **{name: filters.value(name) for name in filters.fields})
    tags = {"ward": ward, "count": count, "until": selectors.next_change_by_the_clock(ward, slots.slot, slots.calendar)}
    context = {"ward": ward, "wards": wards, "slot": slots.slot, "previous": slots.previous, "board": board}
    context["rows"] = board.rows  # every bed, whatever the filters
    context |= {"filters": filters, "left_the_ward": selectors.left_the_ward(stays)}
    context["poll_etag"] = selectors.board_etag(filters=_tag_key(filters, True), **tags, **tagged)
    response = render(request, f"{BOARD}#board" if request.htmx else BOARD, context)
    response["ETag"] = selectors.board_etag(filters=_tag_key(filters, request.htmx), **tags, **tagged)
    return response


def ward_handover(request, pk):
    """The handover of the shift ``?date=&shift=`` names (the slot picker), else the current one;
    ``?nurse=<id>``: only that nurse's patients (to print per nurse)."""
    ward = visible_ward(request, pk)
    slots = SlotForm(request.GET, ward=ward)
    if slots.refused:
        messages.error(request, _("That shift or date does not exist; showing the current shift."))
    entries = selectors.handover(ward, slots.slot, slots.previous)
    nurses = list({entry.nurse.pk: entry.nurse for entry in entries if entry.nurse}.values())
    chosen = next((nurse for nurse in nurses if str(nurse.pk) == request.GET.get("nurse")), None)
    context = {"ward": ward, "slot": slots.slot, "shifts": slots.shifts, "nurses": nurses, "chosen": chosen}
    context["entries"] = [entry for entry in entries if chosen is None or entry.nurse == chosen]
    context |= {"started": selectors.has_started(slots.slot), "note_form": HandoverNoteForm()}
    # Falls, suspected aspirations and delirium episodes on the ward during the shift.
    context["ward_events"] = selectors.ward_events_during(ward, slots.slot.starts, slots.slot.ends)
    return render(request, "checklists/ward_handover.html", context)

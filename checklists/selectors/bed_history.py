"""A stay's bed history as pages read it: the placements and moves of one stay (the patient
page, its history), and the stays a ward had during a shift slot, with the bed each lay in then
and where each came from or went to during the slot (the handover of any past shift, the board).

Who was on a ward during a slot comes from the placements (``PlacementQuerySet``), never from
the stay's current ward: a patient moved today is still on yesterday's handover of the old ward.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby, pairwise
from operator import attrgetter

from ..models import Admission, Placement
from ..shifts import ShiftSlot


@dataclass(frozen=True)
class Move:
    """A transfer: the stay's placement ``before`` was followed by ``after``."""

    before: Placement
    after: Placement

    @property
    def at(self) -> datetime:
        return self.after.starts_at

    @property
    def by(self):
        return self.after.placed_by

    @property
    def between_wards(self) -> bool:
        return self.before.ward_id != self.after.ward_id


@dataclass(frozen=True)
class WardStay:
    """A stay as one ward saw it during a slot: the placement on the ward the patient ended the
    slot in (its bed is the one the ward's pages show), the move onto it and the move off the ward
    if they happened during the slot, and the discharge if it happened then."""

    placement: Placement
    arrived: Move | None = None
    left: Move | None = None
    discharged_at: datetime | None = None

    @property
    def bed(self):
        return self.placement.bed


def moves(placements: list[Placement]) -> list[Move]:
    """The moves between one stay's placements, in order."""
    return [Move(before=before, after=after) for before, after in pairwise(placements)]


def stay_placements(admission: Admission) -> list[Placement]:
    """The stay's bed history, oldest first, each with ``ends_at``. One query."""
    return list(
        Placement.objects.filter(admission=admission)
        .with_end()
        .select_related("ward", "bed", "placed_by")
        .order_by("starts_at")
    )


def last_move(placements: list[Placement]) -> Move | None:
    """The latest transfer of the stay, if it has been moved at all."""
    found = moves(placements)
    return found[-1] if found else None


def _in_slot(moment: datetime | None, slot: ShiftSlot) -> bool:
    return moment is not None and slot.starts <= moment < slot.ends


def _ward_stay(placements: list[Placement], slot: ShiftSlot) -> WardStay:
    """``placements``: one stay's, in order, marked ``here`` (on the ward during the slot)."""
    index = max(i for i, placement in enumerate(placements) if placement.here)
    here = placements[index]
    before = placements[index - 1] if index > 0 else None
    after = placements[index + 1] if index + 1 < len(placements) else None
    return WardStay(
        placement=here,
        arrived=Move(before, here) if before and _in_slot(here.starts_at, slot) else None,
        left=Move(here, after) if after and _in_slot(after.starts_at, slot) else None,
        discharged_at=here.ends_at if after is None and _in_slot(here.ends_at, slot) else None,
    )


def ward_stays(ward, slot: ShiftSlot) -> dict[int, WardStay]:
    """Every stay that was on ``ward`` at some moment of ``slot``, by admission id. One query."""
    return _by_stay(Placement.objects.of_stays_on_ward_during(ward, slot.starts, slot.ends), slot)


def _by_stay(placements, slot: ShiftSlot) -> dict[int, WardStay]:
    """``placements`` (``of_stays_on_ward_during``, in stay order) as each stay's WardStay."""
    return {
        admission_id: _ward_stay(list(rows), slot)
        for admission_id, rows in groupby(placements, key=attrgetter("admission_id"))
    }


def ward_moves(ward, slot: ShiftSlot) -> dict[int, WardStay]:
    """As ``ward_stays``, but only the stays that moved during ``slot`` (a placement began in it)
    or were discharged in it: what the board shows of the bed history (who arrived in their bed,
    who left the ward). The stays that lay in one bed all along show nothing. One query (the
    slot's moves and discharges), and one more if there are any on the ward."""
    moved = Placement.objects.filter(starts_at__gte=slot.starts, starts_at__lt=slot.ends)
    discharged = Admission.objects.filter(ward=ward, discharged_at__gte=slot.starts, discharged_at__lt=slot.ends)
    either = moved.order_by().values_list("admission_id").union(discharged.order_by().values_list("pk")).order_by()
    admission_ids = {row[0] for row in either}
    if not admission_ids:
        return {}
    return _by_stay(Placement.objects.of_stays_on_ward_during(ward, slot.starts, slot.ends, admission_ids), slot)


def left_the_ward(stays: dict[int, WardStay]) -> list[WardStay]:
    """The stays that left the ward during the slot (moved to another ward, or discharged)."""
    gone = [stay for stay in stays.values() if stay.left or stay.discharged_at]
    return sorted(gone, key=lambda stay: stay.left.at if stay.left else stay.discharged_at)

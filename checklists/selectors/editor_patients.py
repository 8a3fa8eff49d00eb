"""What the editor may know about the patients on a template's older versions: how many there
are on each ward. The editor names no patient (no name, no hospital ID): a ward and a bed say
which checklist is meant, and the ward's own nurses see who lies there."""

from itertools import groupby


def older_version_counts_by_ward(checklists) -> list[tuple]:
    """(ward, how many) for ``checklists`` (``PatientChecklist.objects.on_older_versions``, which
    come in ward order), in that order. No query."""
    return [(ward, len(list(group))) for ward, group in groupby(checklists, key=lambda c: c.admission.ward)]

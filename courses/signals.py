"""Signals other layers listen to, so that courses imports none of them."""

from django.dispatch import Signal

#: Sent (on commit) once a programme and its audience lists are saved, with
#: ``programme``: the catalog re-indexes the pages that present it.
programme_changed = Signal()

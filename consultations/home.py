"""Open NPF consultations on a member's home page (cms.home), each with its deadline (UK time and
the member's own). One query."""

from cms.home import MEMBERS, register_home_panel

from .exports.selectors import open_consultations

SHOWN = 4


def consultations(request, last_visit):
    return {"consultations": list(open_consultations().prefetch_related(None)[:SHOWN])}


def register():
    register_home_panel("consultations", 50, consultations, "consultations/home/consultations.html",
                        audience=MEMBERS)

"""Officers' screens for amendments, in the Wagtail admin: the motions whose text waits to be
settled, settling one, compositing motions, and each meeting's agenda pack (.docx)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify

from workflows import permissions
from workflows import services as engine
from workflows.exceptions import WorkflowError
from workflows.forms import html_to_plain_text, plain_text_to_html
from workflows.models import Item, ItemStatus

from . import meeting_pack, selectors, services
from .forms import CompositeForm, SettleTextForm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_officer(request):
    if not permissions.is_workflow_officer(request.user):
        raise PermissionDenied


def index(request):
    """What waits for the officer: texts to settle, upcoming meetings' packs, and compositing."""
    _require_officer(request)
    visible = permissions.items_visible_in_admin(request.user)
    motions = visible.filter(status=ItemStatus.IN_PROGRESS, amendments__status=ItemStatus.FINISHED,
                             amendments__merged_revision__isnull=True).distinct()
    to_settle = [m for m in motions.select_related("current_stage", "branch")
                 if services.waiting_to_be_settled(m) and permissions.can_decide(request.user, m)]
    meetings = permissions.meetings_run_by(request.user).upcoming(engine.now()).select_related("branch")[:30]
    return TemplateResponse(request, "amendments/admin/index.html", {
        "page_title": "Amendments and agenda packs", "to_settle": to_settle, "meetings": meetings,
        "may_composite": services.may_composite(request.user),
    })


def settle(request, pk):
    """Carried amendments touch the same lines: the officer writes the text the meeting puts."""
    motion = get_object_or_404(Item.objects.select_related("current_stage", "branch"), pk=pk)
    if not permissions.can_decide(request.user, motion):
        raise PermissionDenied
    waiting = services.waiting_to_be_settled(motion) if motion.current_stage_id else []
    initial = {"text": html_to_plain_text(services.proposed_settlement(motion))} if waiting else {}
    form = SettleTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settle_text(motion, request.user, text=plain_text_to_html(form.cleaned_data["text"]))
        except WorkflowError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, f"The text of {motion.reference} is settled: the meeting can put it now.")
            return redirect("amendments_admin:index")
    carried = services.carried_at_stage(motion, motion.current_stage_id) if motion.current_stage_id else []
    return TemplateResponse(request, "amendments/admin/settle.html", {
        "page_title": f"Settle the text of {motion.reference}", "motion": motion, "form": form,
        "waiting": waiting, "rows": [r for r in selectors.amendment_rows(motion) if r.amendment in carried],
    })


def composite(request):
    if not services.may_composite(request.user):
        raise PermissionDenied
    form = CompositeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        references = form.references()
        sources = list(Item.objects.filter(reference__in=references))
        missing = sorted(set(references) - {s.reference for s in sources})
        if missing:
            form.add_error("sources", f"No motion has the reference {', '.join(missing)}.")
        else:
            try:
                result = services.composite(sources, request.user, title=form.cleaned_data["title"],
                                            text=plain_text_to_html(form.cleaned_data["text"]))
            except WorkflowError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, f"{result.reference} made from {', '.join(references)}.")
                return redirect(result.get_absolute_url())
    return TemplateResponse(request, "amendments/admin/composite.html", {
        "page_title": "Composite motions", "form": form,
    })


def pack(request, pk):
    """The meeting's agenda pack as one .docx: its agenda, each motion with line numbers and the
    amendments to it."""
    meeting = get_object_or_404(permissions.meetings_run_by(request.user), pk=pk)
    data = meeting_pack.render(meeting)
    response = HttpResponse(data, content_type=DOCX)
    name = slugify(f"{meeting.title} {meeting.uk_starts_at:%Y-%m-%d}") or "agenda-pack"
    response["Content-Disposition"] = f'attachment; filename="{name}-agenda-pack.docx"'
    return response

"""Members table amendments on a motion's page and its proposer accepts them as friendly:
/motions/<reference>/amend/ and /motions/<reference>/amendments/<amendment>/accept/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from workflows import lines
from workflows.exceptions import WorkflowError
from workflows.models import Item

from . import services
from .forms import AmendmentForm
from .models import Amendment


def _public_motion(reference):
    item = (Item.objects.public().select_related("current_stage", "branch", "proposer")
            .filter(reference__iexact=(reference or "").strip()).first())
    if item is None:
        raise Http404
    return item.specific


@login_required
def table(request, reference):
    motion = _public_motion(reference)
    problem = services.why_not_amendable(motion, request.user)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            amendment = services.table_amendment(
                motion, request.user, change=data["change"], first_line=data["first_line"],
                last_line=data.get("last_line"), text=form.text_html(), reason=data.get("reason", ""),
                seconder_emails=[data["seconders"]],
            )
        except WorkflowError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"Amendment {amendment.reference} tabled. It goes on the agenda before "
                                      f"{motion.reference} once your seconder confirms.")
            return redirect("workflows:my_item", pk=amendment.pk)
    elif request.method == "POST" and problem:
        messages.error(request, f"{problem} Nothing was tabled.")
    base = services.stage_base_text(motion) if problem is None else motion.text
    return render(request, "amendments/table.html", {
        "motion": motion,
        "problem": problem,
        "form": form,
        "lines": lines.number_lines(base),
        "closes_at": services.amendments_close_at(motion) if problem is None else None,
        "meeting": services.amendment_meeting(motion),
    }, status=400 if request.method == "POST" and (problem or form.errors) else 200)


@login_required
@require_POST
def accept(request, reference, amendment_reference):
    motion = _public_motion(reference)
    amendment = Amendment.objects.filter(amends=motion, reference__iexact=amendment_reference).first()
    if amendment is None:
        raise Http404
    try:
        services.accept_as_friendly(amendment, request.user)
    except WorkflowError as error:
        messages.error(request, f"{error} Nothing was recorded.")
    else:
        messages.success(request, f"You accepted {amendment.reference} as friendly: it is merged into the text.")
    return redirect(f"{motion.get_absolute_url()}#amendments")


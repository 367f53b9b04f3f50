"""Demo amendments and a composite (seed_demo, through the engine's kinds registry): on a motion
waiting for its branch meeting, one amendment waiting to be decided before it and one its proposer
accepted as friendly; at the GC, two motions of different branches composited into one.
Idempotent: nothing is added where the demo already has amendments or a composite."""

from cms.models import Member
from workflows import lines
from workflows import services as engine
from workflows.models import DecidingBody, Item, ItemKind, ItemStatus

from . import services
from .models import Amendment, Composite


def _waiting(body):
    return (Item.objects.filter(kind=ItemKind.MOTION, status=ItemStatus.IN_PROGRESS,
                                current_stage__deciding_body=body).select_related("branch", "proposer")
            .order_by("submitted_at", "pk"))


def tell_amendments(story):
    made = 0
    if not Amendment.objects.exists():
        for motion in _waiting(DecidingBody.BRANCH_MEETING):
            tablers = list(Member.objects.filter(branch=motion.branch, is_active=True).exclude(
                pk=motion.proposer_id).order_by("email")[:2])
            numbered = lines.number_lines(motion.text)
            if len(tablers) < 2 or len(numbered) < 4:
                continue
            tabler, seconder = tablers
            waiting = services.table_amendment(
                motion, tabler, change="replace", first_line=2, last_line=2,
                text="<p>We ask the Party to commit to it within this Parliament.</p>",
                reason="A date makes the demand clearer.", seconder_emails=[seconder.email])
            engine.confirm_seconding(waiting, seconder)
            friendly = services.table_amendment(
                motion, seconder, change="insert", first_line=len(numbered),
                text="<p>This branch will report back to members on what it has done within six months.</p>",
                reason="So members can hold us to it.", seconder_emails=[tabler.email])
            engine.confirm_seconding(friendly, tabler)
            services.accept_as_friendly(friendly, motion.proposer)
            made += 2
            break
    if not Composite.objects.exists():
        at_gc = list(_waiting(DecidingBody.GC))
        by_branch = {}
        for motion in at_gc:
            by_branch.setdefault(motion.branch_id, motion)
        pair = list(by_branch.values())[:2]
        secretary = story.officers.get("secretary") if isinstance(story.officers, dict) else None
        if len(pair) == 2 and secretary is not None:
            services.composite(pair, secretary, title=f"Composite: {pair[0].title} and {pair[1].title}"[:255],
                               text=pair[0].text + pair[1].text)
            made += 1
    return made

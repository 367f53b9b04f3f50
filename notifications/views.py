"""Following (one click, POST with CSRF), the member's notification preferences, and the
one-click unsubscribe that works without logging in (signed token)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms.models import BranchPage
from workflows.models import Consultation, Item

from . import services, tokens
from .models import Follow, NotificationPreference

# Sections of the preferences page that apps above add (newsletters: which kinds a member receives).
_preference_sections = []


def register_preference_section(section):
    """`section(member)` → (template name, context) of a part of the preferences page; called from
    the AppConfig.ready() of an app above."""
    _preference_sections.append(section)


def _next(request, fallback="/motions/"):
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return fallback
    return target


def _target(kind, key):
    key = (key or "").strip()
    if kind == "item":
        return Item.objects.public().filter(reference__iexact=key).first()
    if kind == "branch":
        return BranchPage.objects.filter(slug=key).first()
    if kind == "consultation":
        return Consultation.objects.filter(slug=key).first()
    return None


@require_POST
def follow_toggle(request):
    """Follow or unfollow an item (by reference), a branch (slug) or a consultation (slug)."""
    back = _next(request)
    if not request.user.is_authenticated:
        return redirect(f"/login/?next={back}")
    target = _target(request.POST.get("kind"), request.POST.get("key"))
    if target is None:
        messages.error(request, "There is nothing to follow there: check the link.")
        return redirect(back)
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(request.user, target)
            message = f"You no longer follow {_label(target)}."
            if isinstance(target, Item) and services.is_own_item(request.user, target):
                message += " As its proposer or seconder you will still hear about decisions on it."
        else:
            services.follow(request.user, target)
            message = f"You follow {_label(target)}: we will email you when it is put on an agenda or decided."
    except services.FollowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(back)


def _label(target):
    if isinstance(target, Item):
        return f"{target.reference} {target.title}"
    if isinstance(target, BranchPage):
        return f"the motions of the {target.title} branch"
    return f"the submissions to {target}"


@login_required
def preferences(request):
    """The member's follows and how they hear about them (each email, or a weekly digest)."""
    preference = services.current_preference(request.user)
    if request.method == "POST":
        try:
            services.set_delivery(request.user, request.POST.get("delivery", ""))
        except services.FollowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your email preferences are saved.")
            return redirect("tracker:preferences")
    follows = Follow.objects.filter(member=request.user).select_related("item", "branch", "consultation")
    return render(request, "notifications/preferences.html", {
        "preference": preference,
        "deliveries": NotificationPreference.Delivery.choices,
        "follows": follows,
        "sections": [section(request.user) for section in _preference_sections],
    })


@never_cache  # the answer depends on the member's current state: never from the public-page cache
@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients, without a session or CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every email. GET (a person opening it, or a mail scanner fetching it) changes
    nothing: it says what the link stops and offers a button. POST acts: the button, or a mail
    client's one-click (RFC 8058: `List-Unsubscribe=One-Click`). The page after it offers to undo.
    A forged or expired token changes nothing."""
    try:
        if request.method == "GET":
            member, scope, what = services.describe_unsubscribe(token)
            return render(request, "notifications/unsubscribe_confirm.html", {"what": what, "token": token})
        if request.POST.get("undo"):
            member = services.resubscribe(token)
            return render(request, "notifications/unsubscribed.html", {"undone": True, "member": member,
                                                                       "token": token})
        member, scope, what = services.unsubscribe(token)
    except tokens.BadToken as error:
        return render(request, "notifications/bad_token.html", {"error": str(error)}, status=400)
    return render(request, "notifications/unsubscribed.html", {
        "member": member, "what": what, "token": token, "all": scope == tokens.ALL,
        "all_token": tokens.make_token(member.pk, tokens.ALL) if scope != tokens.ALL else None,
    })

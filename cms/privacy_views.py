"""The member's account page: their details, the download of their data, and erasure."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import MemberTimeZoneForm
from .privacy import erase_member, member_data


class ErasureForm(forms.Form):
    """Erasure cannot be undone: the member confirms with their password and a tick. A member
    who signs in by emailed codes only (no password) types their email address instead."""

    password = forms.CharField(widget=forms.PasswordInput, label="Your password")
    confirm = forms.BooleanField(label="I understand my account and personal details are erased for good.")

    def __init__(self, member, *args, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        if not member.has_usable_password():
            self.fields["password"] = forms.EmailField(
                label="Your email address", help_text="You sign in with codes by email: type your address to confirm.")

    def clean_password(self):
        given = self.cleaned_data["password"]
        if not self.member.has_usable_password():
            if given.strip().lower() != (self.member.email or "").lower():
                raise forms.ValidationError("That is not the address of your account.")
        elif not self.member.check_password(given):
            raise forms.ValidationError("That is not your password.")
        return given


@never_cache
@login_required
def account(request):
    """/account/: what we hold about you, its download, and erasure."""
    return render(request, "cms/privacy/account.html", {
        "member": request.user, "form": ErasureForm(request.user), "zone_form": MemberTimeZoneForm(member=request.user),
    })


@never_cache
@login_required
def time_zone(request):
    """/account/time-zone/: the member chooses the zone they read times in (POST)."""
    form = MemberTimeZoneForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, f"Times are now also shown in your zone, {member.zone_name}.")
        return redirect("account:home")
    return render(request, "cms/privacy/account.html", {
        "member": request.user, "form": ErasureForm(request.user), "zone_form": form,
    }, status=400 if request.method == "POST" else 200)


@never_cache
@login_required
@require_GET
def my_data(request):
    """/account/my-data.json: everything the site holds about the member, as a JSON download."""
    data = {"exported_at": timezone.now().isoformat(), **member_data(request.user)}
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-labour-international-data.json"'
    return response


@never_cache
@login_required
def erase(request):
    """/account/erase/: erase the account at once, after the password and a tick (POST)."""
    form = ErasureForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase_member(request.user)
        logout(request)
        messages.success(request, "Your account and personal details have been erased.")
        return redirect("/")
    return render(request, "cms/privacy/account.html", {"member": request.user, "form": form,
                                                        "zone_form": MemberTimeZoneForm(member=request.user)}, status=400
                  if request.method == "POST" else 200)

"""The sign-in form (allauth's, with the email posted as "username") and the invitation form."""

from allauth.account.forms import LoginForm
from django import forms

from cms.models import BranchPage


class SignInForm(LoginForm):
    """allauth's sign-in form by email and password. The email is posted as "username", the name
    password managers, the Wagtail admin's old form and the login throttling (AXES_USERNAME_FORM_FIELD)
    know; in the form it stays allauth's "login" field."""

    def add_prefix(self, field_name):
        return "username" if field_name == "login" else super().add_prefix(field_name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].help_text = ""  # the page links to the password reset itself


class InviteMembersForm(forms.Form):
    """The membership officer's invitation run: one branch or all, optionally only those never invited."""

    branch = forms.ModelChoiceField(
        queryset=BranchPage.objects.live().order_by("title"), required=False, empty_label="Every branch",
        help_text="Invite the members of one branch only.",
    )
    not_yet_invited = forms.BooleanField(
        required=False, initial=True, label="Only members never invited",
        help_text="Leave ticked to skip members who were already invited (re-inviting is safe either way: "
                  "nobody gets a second email while one is still on its way).",
    )

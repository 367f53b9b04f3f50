from django import forms

from workflows.forms import plain_text_to_html

from .models import Amendment


class AmendmentForm(forms.Form):
    """A member tables an amendment: what it does to which lines, the new words, why, and a seconder."""

    change = forms.ChoiceField(choices=Amendment.Change.choices, widget=forms.RadioSelect,
                               label="What the amendment does")
    first_line = forms.IntegerField(min_value=0, label="From line",
                                    help_text="For an insertion: the line it goes after (0 for before line 1).")
    last_line = forms.IntegerField(min_value=1, required=False, label="To line",
                                   help_text="The last line deleted or replaced; empty for one line.")
    text = forms.CharField(required=False, label="New words", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="What goes in (not for a deletion). Paragraphs separated by a blank line.")
    reason = forms.CharField(required=False, max_length=3000, label="Why (optional)",
                             widget=forms.Textarea(attrs={"rows": 4}))
    seconders = forms.CharField(
        label="Seconder's email address", max_length=254,
        help_text="A member who agrees to second it: we email them a link to confirm.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        change = cleaned.get("change")
        if change and change != Amendment.Change.DELETE and not (cleaned.get("text") or "").strip():
            self.add_error("text", "Write the words the amendment puts in.")
        if change == Amendment.Change.DELETE and (cleaned.get("text") or "").strip():
            self.add_error("text", "A deletion puts no words in: leave this empty, or choose “Replace lines”.")
        return cleaned

    def text_html(self):
        text = self.cleaned_data.get("text") or ""
        return plain_text_to_html(text) if text.strip() else ""


class SettleTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20}), label="The motion's text",
                           help_text="Paragraphs separated by a blank line. This becomes the text the meeting puts.")


class CompositeForm(forms.Form):
    sources = forms.CharField(label="Motions to composite",
                              help_text="Their references, separated by commas (e.g. M-2026-004, M-2026-011).")
    title = forms.CharField(max_length=255)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="The composite's text. Paragraphs separated by a blank line.")

    def references(self):
        raw = self.cleaned_data.get("sources") or ""
        return [r.strip().upper() for r in raw.replace(";", ",").split(",") if r.strip()]

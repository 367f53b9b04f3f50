"""Admin views of the campaigns app."""

from wagtail.contrib.forms.views import SubmissionsListView

from cms.spreadsheets import FormulaSafeSpreadsheetMixin


class SignUpsListView(FormulaSafeSpreadsheetMixin, SubmissionsListView):
    """A sign-up form's submissions in the admin; its CSV and XLSX downloads run no formula."""

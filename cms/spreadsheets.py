"""Spreadsheets downloaded from the admin: no cell is ever run as a formula.

A member's motion title, a sign-up's name or a form field's label can start with `=`, `+`, `-`
or `@`: a spreadsheet program opening the CSV would run it as a formula (`=HYPERLINK(...)`,
`=cmd|...`, data sent elsewhere). `neutralise_formula` is the one rule: such a cell (or one
starting with a tab or a carriage return) gets a leading apostrophe, which spreadsheet programs
show as text. `FormulaSafeSpreadsheetMixin` applies it to Wagtail's CSV and XLSX exports
(SpreadsheetExportMixin: ModelViewSet and SnippetViewSet listings with `list_export`, and the
form submissions of wagtail.contrib.forms); every admin listing that exports uses it. In XLSX
files, cells are written as text, never as formulas (Wagtail does it for rows; the mixin for
the headings too), so no apostrophe is added there.
"""

import csv

from openpyxl.cell import WriteOnlyCell
from wagtail.admin.views.mixins import Echo, ExcelDateFormatter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """`value`, with a leading apostrophe if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class FormulaSafeSpreadsheetMixin:
    """Mix into a view using Wagtail's SpreadsheetExportMixin, before it."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow({
            field: neutralise_formula(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        })

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow({
            field: neutralise_formula(self.get_heading(queryset, field)) for field in self.list_export
        })
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        headings = []
        for field in self.list_export:
            cell = WriteOnlyCell(worksheet, self.get_heading(queryset, field))
            cell.data_type = "s"  # a label is text, even one starting with "="
            headings.append(cell)
        worksheet.append(headings)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
        workbook.save(output)

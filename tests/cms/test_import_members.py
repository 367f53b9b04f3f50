"""The membership officer imports the membership list from a CSV file."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cms.models import Member

SAMPLE = Path(__file__).parent / "data" / "members_sample.csv"


def run(path):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_members", str(path), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, StringIO(err.getvalue() + str(exc))
    return code, out.getvalue(), err.getvalue()


def test_good_lines_are_imported_and_every_bad_line_is_reported_with_its_reason(demo_site):
    code, out, err = run(SAMPLE)
    assert code == 1
    assert "line 4: rejected: bad email “not-an-email”" in err
    assert "line 5: rejected: unknown branch “atlantis”" in err
    assert "line 6: rejected: bad date “31/01/2027”" in err
    assert "line 7: rejected: duplicate membership number L500006 in the file (lines 7, 8)" in err
    assert "line 8: rejected: duplicate membership number L500006" in err
    assert "line 9: rejected: missing columns" in err
    assert "3 created, 0 updated, 0 unchanged, 6 rejected." in out
    amelie = Member.objects.get(membership_number="L500001")
    assert (amelie.email, amelie.branch.slug, amelie.paid_up_until) == ("amelie.durand@example.net", "paris",
                                                                        date(2027, 3, 31))
    assert not amelie.has_usable_password()
    assert Member.objects.get(membership_number="L500008").last_name == "Mensah, Jr."
    assert not Member.objects.filter(membership_number__in=["L500003", "L500004", "L500005", "L500006"]).exists()


def test_importing_the_same_file_twice_changes_nothing_and_says_so(demo_site):
    run(SAMPLE)
    before = list(Member.objects.values_list("membership_number", "email", "paid_up_until", "branch_id"))
    code, out, _err = run(SAMPLE)
    assert code == 1  # the bad lines are still bad
    assert "0 created, 0 updated, 3 unchanged, 6 rejected. Nothing changed" in out
    assert list(Member.objects.values_list("membership_number", "email", "paid_up_until", "branch_id")) == before


def test_an_import_updates_by_membership_number_and_never_deletes(demo_site, tmp_path):
    run(SAMPLE)
    members_before = Member.objects.count()
    update = tmp_path / "renewals.csv"
    update.write_text("membership_number,email,first_name,last_name,branch,paid_up_until\n"
                      "L500002,jonas.weber@example.net,Jonas,Weber,paris,2027-12-31\n")
    code, out, _err = run(update)
    assert code == 0 and "0 created, 1 updated, 0 unchanged, 0 rejected." in out
    jonas = Member.objects.get(membership_number="L500002")
    assert (jonas.branch.slug, jonas.paid_up_until) == ("paris", date(2027, 12, 31))
    assert Member.objects.count() == members_before


def test_an_email_already_used_by_another_member_is_rejected(demo_site, tmp_path):
    path = tmp_path / "clash.csv"
    path.write_text("membership_number,email,first_name,last_name,branch,paid_up_until\n"
                    "L600001,officer.paris@example.org,Imposter,X,paris,2027-01-01\n")
    code, _out, err = run(path)
    assert code == 1 and "line 2: rejected: email officer.paris@example.org already belongs to member" in err
    assert not Member.objects.filter(membership_number="L600001").exists()


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
    (b"Nom,Courriel\nDurand,a@example.net\n", "Bad header on line 1 (missing columns membership_number"),
    (b"", "The file is empty"),
    (b"membership_number,email,first_name,last_name,branch,paid_up_until\n\"L1,unclosed", "Not a valid CSV"),
], ids=["binary", "bad-header", "empty", "broken-quote"])
def test_a_file_that_is_not_a_membership_csv_is_refused_whole(demo_site, tmp_path, content, message):
    path = tmp_path / "members.csv"
    path.write_bytes(content)
    members_before = Member.objects.count()
    code, _out, err = run(path)
    assert code == 2 and message in err and "Nothing was imported" in err
    assert Member.objects.count() == members_before


"""Members' data in the audit log: each member an import creates or changes, and each erasure,
is one entry naming the member by id only (never their name, email or membership number), shown
under Reports › Site history to the membership officer and not to the other officers."""

from datetime import date, timedelta

from wagtail.models import ModelLogEntry

from cms.membership_import import import_members
from cms.models import Member
from cms.privacy import erase_member
from cms.services import ensure_membership_officer_group

SITE_HISTORY = "/admin/reports/site-history/"
PAID = (date.today() + timedelta(days=100)).isoformat()
HEADER = "membership_number,email,first_name,last_name,branch,paid_up_until\n"


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action).order_by("pk"))


def test_an_import_logs_each_member_it_creates_or_changes_and_an_erasure_logs_the_member(client, demo_site):
    import_members(HEADER + f"A100,ada@example.org,Ada,Lovelace,paris,{PAID}\n"
                            f"A101,alan@example.org,Alan,Turing,berlin,{PAID}\n")
    import_members(HEADER + f"A100,ada@example.org,Ada,Byron,paris,{PAID}\n"
                            f"A101,alan@example.org,Alan,Turing,berlin,{PAID}\n")  # Alan unchanged
    ada = Member.objects.get(membership_number="A100")
    imported = entries("li.member.imported")
    assert [(e.object_id, e.data.get("created"), e.data.get("fields")) for e in imported] == [
        (str(ada.pk), True, None), (str(Member.objects.get(membership_number="A101").pk), True, None),
        (str(ada.pk), None, ["last_name"])]
    assert imported[-1].message == f"Updated member #{ada.pk} from the membership list (last_name)"

    erase_member(ada)
    erased = entries("li.member.erased")
    assert len(erased) == 1 and erased[0].data == {"member": ada.pk}
    assert erased[0].message == f"Erased member #{ada.pk}: personal details removed, the democratic record kept"
    for entry in ModelLogEntry.objects.filter(action__startswith="li.member"):
        kept = f"{entry.label} {entry.data}"
        assert "Ada" not in kept and "Lovelace" not in kept and "Byron" not in kept and "A100" not in kept

    officer = Member.objects.get(email="membership@example.org")
    officer.groups.add(ensure_membership_officer_group())
    client.force_login(officer)
    page = client.get(SITE_HISTORY).content.decode()
    assert f"Erased member #{ada.pk}" in page and f"Created member #{ada.pk}" in page
    client.force_login(Member.objects.get(email="secretary@example.org"))
    assert f"Erased member #{ada.pk}" not in client.get(SITE_HISTORY).content.decode()

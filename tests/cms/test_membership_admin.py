"""The membership list in the Wagtail admin: for the membership officer, not for branch officers."""

from cms.models import Member


def test_membership_officer_sees_membership_numbers_branches_and_paid_up_dates(client, demo_site):
    client.force_login(Member.objects.get(email="membership@example.org"))
    response = client.get("/admin/membership/")
    assert response.status_code == 200
    html = response.content.decode()
    paris_officer = Member.objects.get(email="officer.paris@example.org")
    assert paris_officer.membership_number in html and "officer.paris@example.org" in html
    assert paris_officer.paid_up_until.strftime("%Y") in html
    member = Member.objects.get(email="member@example.org")
    edit = client.get(f"/admin/membership/edit/{member.pk}/")
    assert edit.status_code == 200
    assert 'name="paid_up_until"' in edit.content.decode()
    # An officer's account is listed, but only those who manage user accounts edit it.
    assert f"/admin/membership/edit/{paris_officer.pk}/" not in html
    assert client.get(f"/admin/membership/edit/{paris_officer.pk}/").status_code in (302, 403)
    # Keeping the list gives no power over accounts: no Wagtail users admin (groups, superusers).
    assert client.get("/admin/users/").status_code in (302, 403)


def test_branch_officers_and_members_cannot_open_the_membership_list(client, demo_site):
    client.force_login(Member.objects.get(email="officer.paris@example.org"))
    assert client.get("/admin/membership/").status_code in (302, 403)
    client.force_login(Member.objects.get(email="member@example.org"))
    assert client.get("/admin/membership/").status_code in (302, 403)


def test_comms_officer_edits_regions_with_their_coordinator(client, demo_site):
    client.force_login(Member.objects.get(email="comms@example.org"))
    response = client.get("/admin/snippets/cms/region/")
    assert response.status_code == 200
    assert "The Americas" in response.content.decode()

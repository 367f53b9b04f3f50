"""The LIEC posts of the 2023 election guide (seeds/002): order, job-share and restriction.

Loaded into Office by a data migration; each new election copies them into its positions.
"""

# key, title, voting officer, job-share allowed, restriction
OFFICES_2023 = [
    ("chair", "Chair", True, False, ""),
    ("vice-chair", "Vice-Chair", True, True, ""),
    ("vice-chair-membership", "Vice-Chair / Membership", True, True, ""),
    ("secretary", "Secretary", True, True, ""),
    ("treasurer", "Treasurer", True, False, ""),
    ("policy-campaigns", "Policy & Campaigns Officer", True, True, ""),
    ("womens-officer", "Women's Officer", True, True, "woman"),
    ("bame-officer", "BAME Officer", True, True, "bame"),
    ("disability-carers-officer", "Disability & Carers Officer", True, True, "disability"),
    ("lgbt-officer", "LGBT+ Officer", True, True, "lgbt"),
    ("youth-officer", "Youth Officer", True, True, "youth"),
    ("trade-union-liaison-officer", "Trade Union Liaison Officer", True, True, ""),
    ("political-education-officer", "Political Education & Training Officer", True, True, ""),
    ("communications-officer", "Communications & Social Media Officer", True, True, ""),
    ("coordinator-europe-africa-middle-east", "Regional Coordinator: Europe, Africa and the Middle East", False, True, ""),
    ("coordinator-asia-australasia-pacific", "Regional Coordinator: Asia, Australasia and the Pacific", False, True, ""),
    ("coordinator-americas", "Regional Coordinator: The Americas", False, True, ""),
    ("auditor-1", "Auditor (first post)", False, False, ""),
    ("auditor-2", "Auditor (second post)", False, False, ""),
]


def load_offices(office_model):
    """Create or update the Office rows of the 2023 guide (idempotent)."""
    for order, (key, title, officer, job_share, restriction) in enumerate(OFFICES_2023, start=1):
        office_model.objects.update_or_create(key=key, defaults={
            "title": title, "order": order, "officer": officer,
            "job_share_allowed": job_share, "restriction": restriction,
        })

# A regional coordinator's post and the region (cms.Region slug) whose members elect it.
COORDINATOR_REGIONS = {
    "coordinator-europe-africa-middle-east": "europe-africa-middle-east",
    "coordinator-asia-australasia-pacific": "asia-australasia-pacific",
    "coordinator-americas": "americas",
}

"""The LIEC posts of the 2023 election guide (seeds/002): order, job-share, restriction, and the
region whose members elect each regional coordinator.

The posts are a file an officer can read and correct, fixtures/reference/guide_2023_posts.csv (one
post a line, in the guide's order); a data migration loads them into Office, and each new election
copies them into its positions.
"""

from cms.fixtures import read_rows, yes

GUIDE_2023_POSTS = "reference/guide_2023_posts.csv"
COLUMNS = ["key", "title", "voting_officer", "job_share_allowed", "restriction", "elected_by_region"]


def guide_posts():
    """The guide's posts, in order: dicts of key, title, officer, job_share_allowed, restriction, region."""
    posts = []
    for line, row in enumerate(read_rows(GUIDE_2023_POSTS, COLUMNS), start=2):
        where = f"{GUIDE_2023_POSTS}, line {line}"
        posts.append({
            "key": row["key"], "title": row["title"], "officer": yes(row["voting_officer"], where=where),
            "job_share_allowed": yes(row["job_share_allowed"], where=where), "restriction": row["restriction"],
            "region": row["elected_by_region"],
        })
    return posts


def load_offices(office_model):
    """Create or update the Office rows of the 2023 guide (idempotent)."""
    for order, post in enumerate(guide_posts(), start=1):
        office_model.objects.update_or_create(key=post["key"], defaults={
            "title": post["title"], "order": order, "officer": post["officer"],
            "job_share_allowed": post["job_share_allowed"], "restriction": post["restriction"],
        })


def coordinator_regions():
    """A regional coordinator's post key -> the region (cms.Region slug) whose members elect it."""
    return {post["key"]: post["region"] for post in guide_posts() if post["region"]}


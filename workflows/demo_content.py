"""Texts of the demo items: motions and policy submissions about Labour International's concerns
(votes for life, overseas voters, the NHS, climate, branches), and the demo members who propose and
second them. Steering-group proposals are steering_groups.demo's.

The texts are files an officer can read and correct (fixtures/README.md): fixtures/demo/motions.csv,
policy_submissions.toml, policy_commissions.csv and members.csv. How a motion's parts become its
text is written here.
"""

from cms.fixtures import read_rows, read_toml

MOTIONS_FILE = "demo/motions.csv"
POLICY_SUBMISSIONS_FILE = "demo/policy_submissions.toml"
COMMISSIONS_FILE = "demo/policy_commissions.csv"
MEMBERS_FILE = "demo/members.csv"


def read_motions():
    """The demo motions: (title, notes, believes, resolves), the three parts a branch motion states."""
    columns = ["title", "this_branch_notes", "this_branch_believes", "this_branch_resolves"]
    return [tuple(row[column] for column in columns) for row in read_rows(MOTIONS_FILE, columns)]


def read_policy_submissions():
    """The demo policy submissions: (title, commission slug, paragraphs)."""
    return [(entry["title"], entry["commission"], list(entry["paragraphs"]))
            for entry in read_toml(POLICY_SUBMISSIONS_FILE)["submission"]]


def read_commissions():
    """The NPF policy commissions of the demo consultation: (slug, name)."""
    return [(row["slug"], row["name"]) for row in read_rows(COMMISSIONS_FILE, ["slug", "name"])]


def read_members():
    """The demo members who propose and second, as the membership list has them: dicts of
    membership_number, email, first_name, last_name and branch (a branch's slug)."""
    return read_rows(MEMBERS_FILE, ["membership_number", "email", "first_name", "last_name", "branch"])


def __getattr__(name):
    # The names this module had when the texts were Python literals (read from the files on each use).
    if name == "MOTIONS":
        return read_motions()
    if name == "POLICY_SUBMISSIONS":
        return read_policy_submissions()
    if name == "COMMISSIONS":
        return read_commissions()
    if name == "PROPOSERS":  # (first name, last name, branch slug)
        return [(row["first_name"], row["last_name"], row["branch"]) for row in read_members()]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def motion_html(notes, believes, resolves, branch_title):
    return (
        f"<p><b>This branch notes</b> {notes}.</p>"
        f"<p><b>This branch believes</b> {believes}.</p>"
        f"<p><b>This branch resolves</b> {resolves}, and to send this motion to the General Committee of "
        f"Labour International for ratification. Proposed at the {branch_title} branch.</p>"
    )


def paragraphs_html(paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)

from wagtail.rich_text import RichText

from newsletters.models import Newsletter


def write(author, audience="branch", subject="Paris branch news", body=None, **target):
    """A draft newsletter, as the admin's form saves it."""
    return Newsletter.objects.create(
        subject=subject, audience=audience, created_by=author, intro="Hello from the branch.",
        body=body if body is not None else [("heading", "Our next meeting"),
                                            ("rich_text", RichText("<p>We meet on <b>Tuesday</b>.</p>"))],
        **target)

"""Uncached pages cost the same number of queries whatever the amount of content: /branches/paris/ with
20 and with 2,000 news pages, /motions/ and the API with 100 and with 10,000 items (counts, not times)."""

import uuid
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page

from cms.models import NewsPage
from workflows.models import Item, ItemKind, ItemStatus, Motion, Pipeline


def add_news_fast(branch, count):
    """`count` live news pages under `branch`, written in bulk (as bench/bench_load.py does)."""
    branch = Page.objects.get(pk=branch.pk)
    last = branch.get_last_child()
    step = Page._str2int(last.path[-Page.steplen:]) if last else 0
    news_type, locale, now = ContentType.objects.get_for_model(NewsPage), Locale.get_default(), timezone.now()
    pages = []
    for n in range(step + 1, step + count + 1):
        pages.append(Page(path=Page._get_path(branch.path, branch.depth + 1, n), depth=branch.depth + 1,
                          numchild=0, title=f"Paris news {n}", draft_title=f"Paris news {n}", slug=f"bulk-{n}",
                          content_type=news_type, live=True, url_path=f"{branch.url_path}bulk-{n}/",
                          first_published_at=now, last_published_at=now, locale=locale,
                          translation_key=uuid.uuid4()))
    created = Page.objects.bulk_create(pages)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {NewsPage._meta.db_table} (page_ptr_id, date, intro, body) "
                           f"VALUES (%s, %s, %s, %s)",
                           [(p.pk, date.today() - timedelta(days=k % 400), "News.", "[]")
                            for k, p in enumerate(created)])
    Page.objects.filter(pk=branch.pk).update(numchild=F("numchild") + count)


def add_items_fast(branches, proposer, count):
    pipeline = Pipeline.default_for(ItemKind.MOTION)
    stages = pipeline.ordered_stages()
    start = Item.objects.count()
    now = timezone.now()
    created = Item.objects.bulk_create([
        Item(reference=f"M-2025-{start + n + 1:05d}", kind=ItemKind.MOTION, title=f"Motion on housing {n}",
             text="<p>Housing.</p>", pipeline=pipeline, branch=branches[n % len(branches)], proposer=proposer,
             status=ItemStatus.IN_PROGRESS, current_stage=stages[n % 2], created_at=now - timedelta(minutes=n),
             submitted_at=now - timedelta(minutes=n))
        for n in range(count)
    ], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {Motion._meta.db_table} (item_ptr_id) VALUES (%s)",
                           [(item.pk,) for item in created])


def queries(client, url):
    client.get(url)  # the site-root and content-type caches are warm, as in a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


# Site, the page by its url_path and its specific page with its region (cms.routing), the view
# restrictions (2), the news page counted in the same query, meetings, events, officers.
BRANCH_PAGE_QUERIES = 10
# The count, the page of items, the stages (filters and stage bars), branches, regions, consultations;
# one more to find the branch or region asked for. The API: no stages, no choices.
TRACKER_QUERIES = {"/motions/": 6, "/motions/?branch=paris": 7, "/motions/?status=in_progress&page=3": 6,
                   "/api/v2/motions/": 3, "/api/v2/motions/?branch=berlin": 4}


def test_the_branch_page_costs_the_same_queries_with_20_and_2000_news_pages(client, branches):
    paris = branches["paris"]
    add_news_fast(paris, 20)
    few = queries(client, "/branches/paris/")
    assert len(few) == BRANCH_PAGE_QUERIES, few
    add_news_fast(paris, 1980)
    many = queries(client, "/branches/paris/")
    assert len(many) == len(few), many
    assert len(queries(client, "/branches/paris/?page=40")) == len(few)


def test_the_tracker_and_the_api_cost_the_same_queries_with_100_and_10000_items(client, branches, people):
    urls = ["/motions/", "/motions/?branch=paris", "/motions/?status=in_progress&page=3", "/api/v2/motions/",
            "/api/v2/motions/?branch=berlin"]
    both = [branches["paris"], branches["berlin"]]
    add_items_fast(both, people["proposer"], 100)
    few = {url: queries(client, url) for url in urls}
    assert {url: len(found) for url, found in few.items()} == TRACKER_QUERIES
    add_items_fast(both, people["proposer"], 9900)
    for url in urls:
        many = queries(client, url)
        assert len(many) == len(few[url]), (url, many)

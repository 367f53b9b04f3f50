"""The gender quota (DOMAIN.md): three of the first six, half of all officers, job-share halves,
uncontested posts never replaced, an unmeetable quota flagged."""

from fractions import Fraction

from elections.count import QuotaPost, apply_quota, count_election, parse_election

from .builders import OFFICERS, contested, election_document, unopposed


def run(posts):
    return count_election(parse_election(election_document(posts)).spec)


def all_contested(women_winners, women_runners_up=()):
    return {key: contested(key, key in women_winners, key in women_runners_up) for key in OFFICERS}


def test_first_six_rule_replaces_from_post_six_upwards_and_stops_once_three_of_six_are_women():
    women = {"chair", "vice-chair"} | set(OFFICERS[6:13])  # 2 of the first six, 9 of 14 overall
    result = run(all_contested(women, women_runners_up={"vice-chair-membership", "treasurer", "policy-campaigns"}))
    quota = result.quota
    assert [a.to_json() for a in quota.adjustments] == [
        {"position": "policy-campaigns", "replaced": "policy-campaigns-w", "by": "policy-campaigns-r"},
    ]
    assert quota.first_six == 3 and quota.met
    # The winner before adjustment is still what the count found.
    assert next(p for p in result.positions if p.position.key == "policy-campaigns").winner == "policy-campaigns-w"


def test_overall_half_walks_the_officer_list_from_the_end():
    women = {"chair", "vice-chair", "secretary", "womens-officer", "bame-officer"}  # 3 of six, 5 of 14
    runners_up = {"communications", "political-education", "lgbt", "youth", "chair"}
    quota = run(all_contested(women, runners_up)).quota
    assert [a.position for a in quota.adjustments] == ["communications", "political-education"]
    assert quota.officers == 7 and quota.filled == 14 and quota.met
    assert quota.to_json()["officers"] == 7


def test_job_share_with_one_woman_counts_half_and_two_women_count_one():
    posts = all_contested({"chair", "secretary"} | set(OFFICERS[6:13]))
    posts["vice-chair"] = [("vc-pair", [True, False], 3), ("vc-other", [False], 2)]
    posts["treasurer"] = [("tr-pair", [True, False], 3), ("tr-other", [False], 2)]
    posts["policy-campaigns"] = [("pc-pair", [True, True], 3), ("pc-other", [False], 2)]
    quota = run(posts).quota
    # chair 1 + secretary 1 + 1/2 + 1/2 + 1 (two women count one) = 4
    assert quota.first_six == Fraction(4) and quota.adjustments == []

    posts["policy-campaigns"] = [("pc-pair", [True, False], 3), ("pc-woman", [True], 2)]
    posts["secretary"] = contested("secretary", False, False)
    quota = run(posts).quota
    # chair 1 + three half job-shares = 2 1/2: the half at post 6 is replaced by a woman (weight 1).
    assert [a.to_json() for a in quota.adjustments] == [
        {"position": "policy-campaigns", "replaced": "pc-pair", "by": "pc-woman"}]
    assert quota.first_six == 3 and quota.met


def test_uncontested_posts_are_never_replaced_and_the_unmet_quota_is_flagged():
    posts = all_contested({"chair"} | set(OFFICERS[6:14]))
    for key in OFFICERS[1:6]:
        posts[key] = unopposed(key, False)
    quota = run(posts).quota
    assert quota.adjustments == []
    assert quota.first_six == 1 and not quota.first_six_met and not quota.met
    assert any("posts 1–6" in flag for flag in quota.flags())


def test_a_quota_with_no_woman_runner_up_is_unmeetable_and_flagged():
    quota = run(all_contested(set())).quota
    assert quota.adjustments == [] and not quota.met
    assert quota.to_json() == {"first_six": 0, "officers": 0, "filled": 14, "met": False, "adjustments": []}
    assert len(quota.flags()) == 2


def test_vacant_posts_do_not_count_as_officers():
    posts = all_contested({"chair", "vice-chair", "secretary", "womens-officer"})
    for key in OFFICERS[7:14]:
        posts.pop(key)  # vacant
    result = run(posts)
    # 4 women among the 7 filled officer posts: the overall half holds without the vacant posts.
    assert result.quota.filled == 7 and result.quota.officers == 4 and result.quota.met
    assert {p.status for p in result.positions if p.position.key in OFFICERS[7:14]} == {"vacant"}


def test_a_runner_up_must_weigh_more_than_the_holder_it_replaces():
    post = QuotaPost("chair", True, True, "pair", {"pair": Fraction(1, 2), "half": Fraction(1, 2),
                                                   "woman": Fraction(1)}, runners_up=["half", "woman"])
    quota = apply_quota([post] + [QuotaPost(k, True, False, None, {}) for k in OFFICERS[1:]])
    assert [(a.replaced, a.by) for a in quota.adjustments] == [("pair", "woman")]


def test_weights_are_exact_halves_in_the_json():
    post = QuotaPost("chair", True, False, "pair", {"pair": Fraction(1, 2)})
    quota = apply_quota([post] + [QuotaPost(k, True, False, None, {}) for k in OFFICERS[1:]])
    assert quota.to_json()["first_six"] == 0.5 and quota.to_json()["officers"] == 0.5
    assert quota.filled == 1 and quota.overall_met is True  # 2 × 1/2 ≥ 1 officer

"""Small election documents (the JSON format of `count_election`) for the tests."""

OFFICERS = [
    "chair", "vice-chair", "vice-chair-membership", "secretary", "treasurer", "policy-campaigns",
    "womens-officer", "bame-officer", "disability-carers", "lgbt", "youth", "trade-union",
    "political-education", "communications",
]


def election_document(posts, seed=1):
    """posts: {key: [(candidate_id, [woman, ...], first_preferences), ...]} for the 14 officer
    posts (missing keys: vacant). The first candidate listed gets the most first preferences;
    each ballot ranks its first preference and then the next candidate listed."""
    document = {"positions": [], "candidates": [], "ballots": [], "seed": seed}
    for key in OFFICERS:
        document["positions"].append({"key": key, "title": key.replace("-", " ").title(), "officer": True})
        standing = posts.get(key, [])
        for candidate_id, women, _votes in standing:
            document["candidates"].append({
                "id": candidate_id, "position": key,
                "holders": [{"name": f"{candidate_id} holder {i + 1}", "woman": w} for i, w in enumerate(women)],
            })
        if len(standing) > 1:
            ids = [c[0] for c in standing]
            for index, (candidate_id, _women, votes) in enumerate(standing):
                ranking = [candidate_id] + [i for i in ids if i != candidate_id][:1]
                document["ballots"] += [{"position": key, "ranking": ranking}] * votes
                assert index == 0 or votes < standing[0][2]
    return document


def contested(key, winner_woman, runner_up_woman):
    """A two-candidate post: winner 3 votes, runner-up 2."""
    return [(f"{key}-w", [winner_woman], 3), (f"{key}-r", [runner_up_woman], 2)]


def unopposed(key, woman):
    return [(f"{key}-u", [woman], 0)]

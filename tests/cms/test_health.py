def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_branch_index_lists_demo_branches(client, demo_site):
    response = client.get("/branches/paris/")
    assert response.status_code == 200

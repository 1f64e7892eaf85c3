"""Fixtures of the note's tests."""
import json

import pytest


@pytest.fixture
def issue_note(client, settings):
    """issue_note(title) -> the JSON body of a note issued through POST /api/notes (no rate limit)."""
    settings.NOTE_ANONYMOUS_RATE = ""

    def issue(title):
        response = client.post("/api/notes", json.dumps({"title_number": title}), content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    return issue

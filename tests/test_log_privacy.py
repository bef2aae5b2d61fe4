"""What a client sends is not written to the backend's log by way of a refusal (issue 18, item
11): a phone number typed where a case's id goes came back in the log line."""

from __future__ import annotations

import logging

import pytest

from backend.demo.users import DEMO_PASSWORD
from client.request import RequestClient, RequestError
from domain.wire import MsgType
from tests.services import TOWNSHIP, serving


def test_a_refusal_is_logged_without_the_values_it_quotes(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, "backend.server"),
        serving(TOWNSHIP, sqlite_url) as endpoints,
        RequestClient(endpoints.router) as client,
    ):
        client.log_in("supervisor", DEMO_PASSWORD)
        with pytest.raises(RequestError, match="13987654321"):  # the sender is told
            client.request(MsgType.DETAIL_REQUEST, {"incident": "13987654321"})
    refused = [r.getMessage() for r in caplog.records if "refused a request" in r.getMessage()]
    assert refused, caplog.text
    assert "13987654321" not in caplog.text

"""A county's township is bigger than a message: it goes in parts and comes back whole."""

from __future__ import annotations

import pytest

from domain.township import Township
from domain.township_parts import TownshipParts, split
from domain.wire import MAX_MESSAGE_BYTES, Message, MsgType, encode
from tests.county import make_county
from tests.services import serving, staff_client


@pytest.fixture(scope="module")
def county() -> Township:
    return make_county()


def reply_body(t: Township) -> dict[str, object]:
    data, categories = t.to_dict()
    return {"township": data, "categories": categories, "platform_set": t.platform_set}


def test_a_county_goes_in_parts_under_the_limit_and_comes_back_whole(county: Township) -> None:
    body = reply_body(county)
    parts = split(body)
    assert len(parts) > 2
    assert all(len(encode(Message(MsgType.TOWNSHIP, p))) <= MAX_MESSAGE_BYTES for p in parts)
    together = TownshipParts()
    whole = None
    for part in parts:
        assert whole is None
        whole = together.add(part)
    assert whole == body
    assert Township.from_dict(whole["township"], whole["categories"], county.platform_set) == county


def test_a_small_township_is_one_part_and_a_part_out_of_order_is_refused(county: Township) -> None:
    small = {"township": {"villages": []}, "categories": []}
    assert split(small) == [{**small, "chunk": 0, "last": True}]
    parts = split(reply_body(county))
    together = TownshipParts()
    together.add(parts[0])
    with pytest.raises(ValueError, match="part 2 after 0"):
        together.add(parts[2])


def test_a_county_township_over_the_wire(county: Township, sqlite_url: str) -> None:
    """Served by a real backend loop from a real store, fetched by a real client."""
    with serving(county, sqlite_url) as endpoints, staff_client(endpoints.router, 30) as client:
        body = client.township()
    got = Township.from_dict(body["township"], body["categories"], body["platform_set"])
    assert set(got.grids) == set(county.grids) and len(got.people) == len(county.people)
    assert got.grids["V499G3"].boundary == county.grids["V499G3"].boundary

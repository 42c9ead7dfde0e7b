"""The content model on its own: shapes of single records, before cross-checking."""

import pytest
from pydantic import ValidationError

from builder.model import Area, Citation, Cluster, Place, Precision

CITE = [{"plan": "p", "para": "s1-p1", "quote": "某段原文"}]


def test_area_keeps_the_figure_as_written_and_normalises_to_km2():
    area = Area(as_written="约 703 万 m²", value=703, unit="万 m²")
    assert area.as_written == "约 703 万 m²"
    assert area.km2 == pytest.approx(7.03)
    assert Area(as_written="86.09平方公里", value=86.09, unit="平方公里").km2 == pytest.approx(86.09)
    assert Area(as_written="1500亩", value=1500, unit="亩").km2 == pytest.approx(1.0)


def test_area_rejects_an_unknown_unit_with_the_accepted_list():
    with pytest.raises(ValidationError, match="unknown area unit 'hectare'.*平方公里"):
        Area(as_written="3 hectare", value=3, unit="hectare")


@pytest.mark.parametrize("bad_id", ["Longgang", "long gang", "龙岗", "-x", "x-", ""])
def test_ids_are_ascii_slugs(bad_id):
    with pytest.raises(ValidationError):
        Cluster(id=bad_id, name="n", level="district-cluster", plan="p", citations=CITE)


def test_every_record_needs_a_citation():
    with pytest.raises(ValidationError, match="citations"):
        Cluster(id="c", name="n", level="district-cluster", plan="p", citations=[])


def test_unknown_fields_are_errors_not_silently_dropped():
    with pytest.raises(ValidationError, match="clsuters"):
        Place(id="x", name="n", kind="集聚区", district="d", clsuters=["a"], citations=CITE)


def test_place_defaults_to_district_level_precision():
    place = Place(id="x", name="n", kind="集聚区", district="d", citations=CITE)
    assert place.geometry.precision is Precision.district_only
    assert place.geometry.ref is None


def test_place_kind_must_be_one_of_the_plan_vocabulary():
    with pytest.raises(ValidationError, match="先进制造业园区"):
        Place(id="x", name="n", kind="工业园", district="d", citations=CITE)


def test_citation_quote_must_not_be_empty():
    with pytest.raises(ValidationError):
        Citation(plan="p", para="s1-p1", quote="   ")

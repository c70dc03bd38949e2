"""Rating: the configured scale, a reason required for "Không hài lòng", submission through the outbox."""

from __future__ import annotations

import pytest

from kiosk.aftercare.rating import RatingError, RatingRef, RatingService, parse_ref
from kiosk.base.config import load_config


class RecordingOutbox:
    def __init__(self) -> None:
        self.ratings: list = []

    def submit_rating(self, rating):
        self.ratings.append(rating)
        return len(self.ratings)


@pytest.fixture
def service():
    return RatingService(load_config(environ={}, use_env=False), RecordingOutbox())


def test_scale_comes_from_config(service):
    assert service.scale == ["very_satisfied", "satisfied", "unsatisfied"]
    cfg = load_config(environ={}, use_env=False)
    cfg.rating.scale = ["very_satisfied", "satisfied", "neutral", "unsatisfied"]
    assert RatingService(cfg).scale[2] == "neutral"


def test_unsatisfied_needs_a_reason_tag(service):
    with pytest.raises(RatingError) as e:
        service.build("unsatisfied", [], "")
    assert e.value.key == "reason_required"
    assert "lý do" in e.value.message("vi")
    with pytest.raises(RatingError):
        service.build("unsatisfied", ["not_a_configured_tag"], "")
    r = service.build("unsatisfied", ["wait", "wait", "unclear"], "  Chờ hơn một tiếng  ")
    assert r.reasons == ["wait", "unclear"] and r.text == "Chờ hơn một tiếng"


def test_satisfied_needs_no_reason_and_drops_tags(service):
    r = service.build("very_satisfied", ["wait"])
    assert r.level == "very_satisfied" and r.reasons == [] and r.channel == "kiosk"


def test_level_outside_the_configured_scale_is_refused(service):
    with pytest.raises(RatingError) as e:
        service.build("neutral")
    assert e.value.key == "unknown_level"


def test_reason_labels_follow_the_language(service):
    vi = dict(service.reasons("vi"))
    en = dict(service.reasons("en"))
    assert vi["wait"] == "Phải chờ lâu" and en["wait"] == "Long wait"


@pytest.mark.parametrize(
    "text,ref",
    [
        ("", RatingRef()),
        ("a007", RatingRef(ticket_number="A007", service="A")),
        ("250715-0007", RatingRef(dossier_code="000.00.01.H22-250715-0007")),
        ("000.00.01.H22-250715-0007", RatingRef(dossier_code="000.00.01.H22-250715-0007")),
    ],
)
def test_reference_is_a_ticket_or_a_dossier(text, ref):
    assert parse_ref(text, "000.00.01.H22") == ref


def test_bad_reference_is_explained():
    with pytest.raises(RatingError) as e:
        parse_ref("hello", "000.00.01.H22")
    assert e.value.key == "bad_ref"


def test_submit_goes_to_the_outbox(service):
    r = service.build("satisfied", ref=RatingRef(ticket_number="B012", service="B"), counter=3)
    service.submit(r)
    assert service.outbox.ratings == [r]
    assert r.service == "B" and r.counter == 3


def test_without_an_outbox_the_citizen_is_told(service):
    lonely = RatingService(service.config)
    with pytest.raises(RatingError) as e:
        lonely.submit(lonely.build("satisfied"))
    assert e.value.key == "unavailable"


def test_rating_is_stored_in_the_real_outbox_while_the_backend_is_away(tmp_path):
    from kiosk.backend.outbox import Outbox

    box = Outbox(tmp_path / "outbox.db", client=None)
    service = RatingService(load_config(environ={}, use_env=False), box)
    service.submit(service.build("unsatisfied", ["late"], "Trễ hẹn 3 ngày"))
    items = box.pending()
    assert [i.kind for i in items] == ["rating"]
    # Survives a restart of the kiosk: a new Outbox on the same file still holds it.
    assert [i.kind for i in Outbox(tmp_path / "outbox.db", client=None).pending()] == ["rating"]

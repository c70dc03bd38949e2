"""The composition root is typed (issue 12 item 2): every service of ``Services`` has its own type, none is
``Any``, and there is no bag of extra services."""

from __future__ import annotations

import dataclasses

from kiosk.services.container import Services


def test_every_service_field_has_a_type_of_its_own_and_there_is_no_bag():
    fields = {f.name: str(f.type) for f in dataclasses.fields(Services) if not f.name.startswith("_")}
    assert "extras" not in fields
    assert len(fields) >= 15
    for name, annotation in fields.items():
        assert "Any" not in annotation and "dict" not in annotation, (name, annotation)

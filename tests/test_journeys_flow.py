"""The flow table and the rule that screens do not own the journeys (read from the source, no Kivy)."""

from __future__ import annotations

import re
from pathlib import Path

from journeys_support import journeys_over, make_services  # noqa: F401

from kiosk.journeys import FLOW, first_screen, journey_screens, screen_for, step_of

ROOT = Path(__file__).resolve().parent.parent
# Screens outside the citizen journeys (they may navigate with app.go), and the harness.
NOT_JOURNEY = re.compile(r"^(tech_|scenes_|showcase|driver|registry|lower_layout)")
# A detail screen inside one step (not a journey step): the scan step's corner editor.
ALLOWED_GO = {("scan.py", "scan_corners"), ("scan_capture.py", "scan_corners"), ("scan_corners.py", "scan_corners")}


def _journey_screen_sources() -> list[Path]:
    return [p for p in sorted((ROOT / "screens").glob("*.*"))
            if p.suffix in (".py", ".kv") and not NOT_JOURNEY.match(p.name)]


def test_every_step_is_a_registered_screen_and_each_screen_one_step():
    from screens.registry import JOURNEYS, SCREENS

    assert journey_screens() <= set(SCREENS)
    assert JOURNEYS == {"ticket": "ticket_service", "submit": "identify", "track": "track", "rate": "rate"}
    for journey, steps in FLOW.items():
        assert first_screen(journey) == JOURNEYS[journey]
        for step in steps:
            assert step_of(screen_for(journey, step)) == (journey, step)
    assert step_of("tech_dashboard") is None and step_of("home") is None


def test_journey_screens_never_name_the_next_screen():
    offenders = []
    for path in _journey_screen_sources():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\bapp\.(go|go_next_or_explain)\(\s*\"(\w+)\"", text):
            if (path.name, m.group(2)) not in ALLOWED_GO:
                offenders.append(f"{path.name}: app.{m.group(1)}({m.group(2)!r})")
    assert not offenders, "journey steps are navigated by the flow table:\n" + "\n".join(offenders)


def test_journey_screens_never_change_the_visit():
    mutation = re.compile(r"\bvisit\.[\w.]+\s*(=(?!=)|\.(update|clear|pop|append|setdefault)\()|\bvisit\.\w+\[[^\]]+\]\s*=")
    offenders = [f"{p.name}: {m.group(0)}" for p in _journey_screen_sources()
                 for m in mutation.finditer(p.read_text(encoding="utf-8"))]
    assert not offenders, "screens forward touches to their journey:\n" + "\n".join(offenders)


def test_the_visit_has_no_bag_of_untyped_keys():
    from dataclasses import fields

    from kiosk.journeys import Visit

    names = {f.name for f in fields(Visit)}
    assert "notes" not in names and "form_values" not in names
    assert {"ticket", "submit", "track", "rate", "identity"} <= names


def test_back_walks_the_steps_and_ends_at_the_first(make_services):  # noqa: F811
    from journeys_support import ID_PAYLOAD

    from kiosk.identity import parse_payload

    services = make_services()
    journeys, shown = journeys_over(services)
    journeys.start("submit")
    journeys.submit.identified(parse_payload(ID_PAYLOAD))
    journeys.submit.choose_procedure("1.004222")
    journeys.submit.start_form()
    assert journeys.back() and shown[-1] == "procedure_detail"
    assert journeys.back() and shown[-1] == "procedure_search"
    assert journeys.back() and shown[-1] == "identify"
    assert not journeys.back()
    assert journeys.current is journeys.submit

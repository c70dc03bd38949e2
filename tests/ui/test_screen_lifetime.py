"""The screens a visit builds live until its end: dropped after the wipe (their memory given back, not
kept by the journeys they watched), built again for the next citizen; home and the journeys' first
screens stay (screens/registry.py KEPT; the memory figures are in benchmarks/startup.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from screens import registry

pytestmark = pytest.mark.ui


def _ticket_visit(driver) -> None:
    driver.tap("btn_ticket")
    driver.wait_screen("ticket_service")
    driver.tap("btn_service_A")
    driver.wait_screen("ticket_priority")
    driver.tap("btn_priority_none")
    driver.wait_screen("ticket_issued")
    screen = driver.app.sm.current_screen
    driver.wait_for(lambda: screen.state in ("printed", "print_failed", "issue_failed"), timeout=20, what="print outcome")
    driver.settle()
    driver.tap("btn_done")
    driver.wait_screen("home")
    driver.settle()


def test_a_visit_s_screens_are_dropped_after_it_and_built_again_for_the_next(driver):
    driver.wait_for(lambda: all(driver.app.sm.has_screen(n) for n in registry.KEPT), what="kept screens built")
    assert not driver.app.sm.has_screen("ticket_priority")  # not built before a citizen needs it
    _ticket_visit(driver)
    names = set(driver.app.sm.screen_names)
    assert set(registry.KEPT) <= names
    assert "ticket_priority" not in names and "ticket_issued" not in names
    first = weakref.ref(driver.app.screen("ticket_issued"))  # built again on demand (it watches the ticket journey)...
    driver.app.sm.remove_widget(first())
    gc.collect()
    assert first() is None  # ...and nothing (journey watchers, kv bindings, the clock) keeps a dropped one alive
    _ticket_visit(driver)  # the next citizen's visit works on fresh screens
    assert driver.app.services.visit.is_empty()

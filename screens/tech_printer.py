"""Printer setup: USB printers found by pyusb, the URI, paper width, endpoints, a test print.

Changing the printer saves it (validated, atomic) and swaps ``services.printer`` at once,
so the test print goes to the printer the technician just chose.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from screens.background import run_in_background
from screens.base import load_kv
from screens.tech_base import TechScreen, alive, edit_text

load_kv(__file__)


class TechPrinterScreen(TechScreen):
    uri = StringProperty("")
    paper_width = NumericProperty(576)
    endpoints = StringProperty("")
    busy = BooleanProperty(False)

    def prepare(self, **params: Any) -> None:
        self._load()
        self.status = ""
        self._show_usb([])

    def _load(self) -> None:
        p = self.services.config.printer
        self.uri = p.uri
        self.paper_width = p.paper_width_px
        self.endpoints = f"interface {p.usb_interface} · out 0x{p.usb_out_ep:02x} · in 0x{p.usb_in_ep:02x}"

    # -------------------------------------------------------- USB

    def scan(self) -> None:
        self.busy = True
        from kiosk.ops import find_usb_printers

        run_in_background(find_usb_printers, on_result=self._scanned, on_error=self._error)

    @alive
    def _scanned(self, result: tuple[list[Any], str]) -> None:
        self.busy = False
        found, problem = result
        self._show_usb(found)
        if problem:
            self.status, self.status_kind = problem, "error"
        elif found:
            self.say("tech.usb_found", "info", n=len(found))
        else:
            self.say("tech.usb_none", "warn")

    def _show_usb(self, found: list[Any]) -> None:
        from screens.widgets import KButton

        box = self.ids.usb_list
        box.clear_widgets()
        for name in [n for n in self.ids if n.startswith("usb_") and n != "usb_list"]:
            del self.ids[name]
        for i, dev in enumerate(found):
            btn = KButton(text=f"{dev.label}  ({dev.id})", style="quiet", font_size=self.app.sz.small)
            btn.bind(on_release=lambda _b, d=dev: self.choose_usb(d))
            box.add_widget(btn)
            self.ids[f"usb_{i}"] = btn

    def choose_usb(self, dev: Any) -> None:
        changes: dict[str, Any] = {"uri": dev.uri}
        if dev.interface is not None:
            changes["usb_interface"] = dev.interface
        if dev.out_ep is not None:
            changes["usb_out_ep"] = dev.out_ep
        if dev.in_ep is not None:
            changes["usb_in_ep"] = dev.in_ep
        self.save({"printer": changes}, then=self._load)

    # -------------------------------------------------------- settings

    def edit_uri(self) -> None:
        edit_text(self.t("tech.printer_uri"), self.uri, self.set_uri)

    def set_uri(self, uri: str) -> None:
        self.save({"printer": {"uri": uri}}, then=self._load)

    def set_width(self, width: int) -> None:
        self.save({"printer": {"paper_width_px": width}}, then=self._load)

    # -------------------------------------------------------- test print

    def test_print(self) -> None:
        printer = self.services.printer
        if printer is None:
            self.say("tech.test_print_failed", "error", error=self.uri)
            return
        from kiosk.printing import render_test_page

        self.busy = True
        self.say("tech.printing")
        config = self.services.config
        run_in_background(
            lambda: printer.print_image(render_test_page(config, config.printer.uri), cut=config.printer.cut),
            on_result=self._printed, on_error=self._print_failed,
        )

    @alive
    def _printed(self, sent: int) -> None:
        self.busy = False
        self.say("tech.test_print_ok", "ok", bytes=sent)
        from kiosk.ops import gate_for

        run_in_background(gate_for(self.services.config).audit, "test_print", uri=self.uri, ok=True)

    @alive
    def _print_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.say("tech.test_print_failed", "error", error=getattr(exc, "message", None) or str(exc))

    @alive
    def _error(self, exc: BaseException) -> None:
        self.busy = False
        self.status, self.status_kind = str(exc), "error"

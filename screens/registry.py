"""Every screen of the kiosk: name → "module:Class". ``kiosk/app.py`` builds them in order.

The first one is the home screen. ``kiosk screenshots`` renders each screen listed
here through the preparation hooks in :data:`SCREENSHOT_STATES`, so a new screen
appears in the docs as soon as it is registered.
"""

from __future__ import annotations

SCREENS: dict[str, str] = {
    "home": "screens.home:HomeScreen",
    "ticket_service": "screens.ticket_service:TicketServiceScreen",
    "ticket_priority": "screens.ticket_priority:TicketPriorityScreen",
    "ticket_issued": "screens.ticket_issued:TicketIssuedScreen",
    "identify": "screens.identify:IdentifyScreen",
    "manual_id": "screens.manual_id:ManualIdScreen",
    "track": "screens.track:TrackScreen",
    "track_type": "screens.track:TrackTypeScreen",
    "track_result": "screens.track_result:TrackResultScreen",
    "rate": "screens.rate:RateScreen",
    "tech_pin": "screens.tech_pin:TechPinScreen",
    "tech_dashboard": "screens.tech_dashboard:TechDashboardScreen",
    "tech_printer": "screens.tech_printer:TechPrinterScreen",
    "tech_camera": "screens.tech_camera:TechCameraScreen",
    "tech_backend": "screens.tech_backend:TechBackendScreen",
    "tech_settings": "screens.tech_settings:TechSettingsScreen",
    "tech_logs": "screens.tech_logs:TechLogsScreen",
    "rate_reason": "screens.rate_reason:RateReasonScreen",
    "scan": "screens.scan:ScanScreen",
    "scan_corners": "screens.scan_corners:ScanCornersScreen",
    "procedure_search": "screens.procedure_search:ProcedureSearchScreen",
    "procedure_detail": "screens.procedure_detail:ProcedureDetailScreen",
    "form": "screens.form:FormScreen",
    "review": "screens.review:ReviewScreen",
    "receipt": "screens.receipt:ReceiptScreen",
}

# The first screen of each journey on the home screen.
JOURNEYS: dict[str, str] = {
    "ticket": "ticket_service",
    "submit": "identify",
    "track": "track",
    "rate": "rate",
}

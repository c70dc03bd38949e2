"""The kiosk's settings schema, one pydantic section per ``[table]`` of ``kiosk.toml``.

Strict (unknown keys refused, assignments validated) so a typo in a site file is an error naming
the key, not a silently ignored setting. :mod:`kiosk.base.config` loads and saves it in layers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kiosk.base import paths


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class KioskSection(_Section):
    """Who this kiosk is and where it stands."""

    id: str = Field("KIOSK-01", min_length=1, max_length=64)
    name: str = "Kiosk 1"
    department: str = "Bộ phận Một cửa"
    superior_body: str = ""
    receiving_unit_id: str = Field("000.00.01.H22", pattern=r"^[0-9A-Z.]{3,40}$")
    address: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"


class StorageSection(_Section):
    """Where the kiosk keeps its durable state (outbox, numbering, logs)."""

    data_dir: str = "var"


class UISection(_Section):
    """Screen, language and the idle wipe."""

    languages: list[Literal["vi", "en"]] = ["vi", "en"]
    default_language: Literal["vi", "en"] = "vi"
    orientation: Literal["landscape", "portrait"] = "landscape"
    fullscreen: bool = False
    idle_timeout_s: float = Field(90, gt=0, le=3600)
    idle_countdown_s: float = Field(20, gt=0, le=300)


class AccessibilitySection(_Section):
    """Defaults for large text, contrast, voice and the lower layout."""

    large_text: bool = False
    high_contrast: bool = False
    voice: bool = True
    lower_layout: bool = False
    large_text_for_priority: bool = True
    # Audio player for voice prompts: "auto" (aplay, paplay or sox play), a command, or "none".
    voice_player: str = "auto"


class RatingReason(_Section):
    code: str = Field(pattern=r"^[a-z_]{2,32}$")
    name_vi: str
    name_en: str


class RatingSection(_Section):
    """The satisfaction question (Decision 766/QĐ-TTg) [check the exact scale and reasons with the province]."""

    scale: list[Literal["very_satisfied", "satisfied", "neutral", "unsatisfied"]] = Field(
        default_factory=lambda: ["very_satisfied", "satisfied", "unsatisfied"], min_length=2
    )
    reasons: list[RatingReason] = Field(
        default_factory=lambda: [
            RatingReason(code="wait", name_vi="Phải chờ lâu", name_en="Long wait"),
            RatingReason(code="attitude", name_vi="Thái độ cán bộ chưa tốt", name_en="Staff were unhelpful"),
            RatingReason(code="unclear", name_vi="Hướng dẫn khó hiểu", name_en="Unclear guidance"),
            RatingReason(code="late", name_vi="Trả kết quả trễ hẹn", name_en="Result later than promised"),
            RatingReason(code="resubmit", name_vi="Phải bổ sung giấy tờ nhiều lần", name_en="Asked for papers many times"),
            RatingReason(code="kiosk", name_vi="Ki-ốt khó dùng", name_en="The kiosk was hard to use"),
        ],
        min_length=1,
    )
    target_percent: float = Field(95, gt=0, le=100)  # Decision 468/QĐ-TTg: satisfaction ≥ 95 % (2025)


class CameraSection(_Section):
    """ID-card camera and document camera, each chosen by URI."""

    uri: str = "files:assets/samples/camera"
    document_uri: str = "files:assets/samples/documents"
    flatbed: str = ""
    width: int = Field(1280, ge=160, le=7680)
    height: int = Field(720, ge=120, le=4320)
    fps: float = Field(15, gt=0, le=120)

    @field_validator("uri", "document_uri")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if v and v.split(":", 1)[0] not in {"files", "opencv", "v4l2", "sane", "none"}:
            raise ValueError("camera URI must start with files:, opencv:, v4l2:, sane: or none:")
        return v


class PrinterSection(_Section):
    """The thermal printer, chosen by URI (usb://, tcp://, serial://, file://, cups://, dummy:)."""

    uri: str = "file:var/printer/tickets.bin"
    paper_width_px: Literal[384, 512, 576] = 576
    timeout_s: float = Field(5, gt=0, le=60)
    cut: bool = True
    usb_interface: int = 0
    usb_in_ep: int = 0x82
    usb_out_ep: int = 0x01

    @field_validator("uri")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        scheme = v.split(":", 1)[0]
        if scheme not in {"usb", "tcp", "serial", "file", "cups", "dummy"}:
            raise ValueError("printer URI must start with usb://, tcp://, serial://, file:, cups:// or dummy:")
        return v


class ChipSection(_Section):
    """The contactless reader of the ID card's chip (docs/HARDWARE.md): ``pcsc:[name pattern]`` or ``none:``."""

    reader: str = "none:"
    csca_dir: str = ""  # folder of CSCA certificates (PEM/DER); empty: chips read as "chưa kiểm chứng"
    wait_card_s: float = Field(30, gt=0, le=600)  # how long the screen waits for the card to be placed
    read_photo: bool = True  # DG2, the face image shown on the confirm screen

    @field_validator("reader")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if v.split(":", 1)[0] not in {"pcsc", "none"} or ":" not in v:
            raise ValueError("card reader URI must be pcsc:[reader name pattern] or none:")
        return v


class BackendSection(_Section):
    """The one-stop backend the kiosk talks to."""

    url: str = "http://127.0.0.1:8765/api/v1"
    token: str = "dev-kiosk-token"
    ca_file: str = ""
    verify_tls: bool = True
    timeout_s: float = Field(10, gt=0, le=120)
    embedded: bool = True  # start the reference server on loopback (demo / make run)
    embedded_db: str = "sqlite:///var/server.db"
    heartbeat_s: float = Field(60, gt=0)
    public_url: str = ""  # what a citizen's phone reaches (the ticket's QR); "" = the backend URL

    @field_validator("url", "public_url")
    @classmethod
    def _http(cls, v: str) -> str:
        if v == "":
            return v
        if not v.startswith(("http://", "https://")):
            raise ValueError("backend URL must start with http:// or https://")
        return v.rstrip("/")


class CatalogSection(_Section):
    path: str = "config/procedures"
    cache_file: str = "var/catalog-cache.json"


class KeyboardSection(_Section):
    """The on-screen keyboard: typing method first offered, and where the tone mark goes."""

    method: Literal["telex", "vni", "off"] = "telex"
    tone_style: Literal["new", "old"] = "new"  # new: hoà, thuý (Unikey "kiểu mới"); old: hòa, thúy


class PriorityCategory(_Section):
    code: str = Field(pattern=r"^[a-z_]{2,32}$")
    name_vi: str
    name_en: str


class QueueSection(_Section):
    priority_age: int = Field(60, ge=40, le=100)
    priority_categories: list[PriorityCategory] = Field(
        default_factory=lambda: [
            PriorityCategory(code="elderly", name_vi="Người cao tuổi", name_en="Elderly"),
            PriorityCategory(code="disabled", name_vi="Người khuyết tật", name_en="Person with disability"),
            PriorityCategory(code="pregnant", name_vi="Phụ nữ mang thai", name_en="Pregnant woman"),
            PriorityCategory(code="child", name_vi="Người bế con dưới 6 tuổi", name_en="Carrying a child under 6"),
            PriorityCategory(code="merit", name_vi="Người có công với cách mạng", name_en="Person with meritorious service"),
        ]
    )
    local_block_size: int = Field(100, ge=10, le=1000)
    max_priority_in_a_row: int = Field(2, ge=1, le=20)
    default_service_minutes: float = Field(6, gt=0, le=240)


class Service(_Section):
    """A service area: a letter prefix, its names, hours and counters."""

    code: str = Field(pattern=r"^[A-Z]$")
    name_vi: str
    name_en: str
    icon: str = ""
    opens: str = Field("07:30", pattern=r"^\d\d:\d\d$")
    closes: str = Field("17:00", pattern=r"^\d\d:\d\d$")
    counters: list[int] = Field(default_factory=lambda: [1])
    where_vi: str = ""
    where_en: str = ""


class TechnicianSection(_Section):
    pin_hash: str = ""
    max_attempts: int = Field(5, ge=1, le=20)


class LoggingSection(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    file: str = "var/log/kiosk.jsonl"
    max_bytes: int = Field(5_000_000, ge=10_000)
    backups: int = Field(5, ge=0, le=100)


class KioskConfig(_Section):
    """All settings of one kiosk."""

    kiosk: KioskSection = Field(default_factory=KioskSection)
    storage: StorageSection = Field(default_factory=StorageSection)
    ui: UISection = Field(default_factory=UISection)
    accessibility: AccessibilitySection = Field(default_factory=AccessibilitySection)
    rating: RatingSection = Field(default_factory=RatingSection)
    camera: CameraSection = Field(default_factory=CameraSection)
    printer: PrinterSection = Field(default_factory=PrinterSection)
    chip: ChipSection = Field(default_factory=ChipSection)
    backend: BackendSection = Field(default_factory=BackendSection)
    catalog: CatalogSection = Field(default_factory=CatalogSection)
    keyboard: KeyboardSection = Field(default_factory=KeyboardSection)
    queue: QueueSection = Field(default_factory=QueueSection)
    services: list[Service] = Field(default_factory=list)
    technician: TechnicianSection = Field(default_factory=TechnicianSection)
    logging: LoggingSection = Field(default_factory=LoggingSection)

    def data_path(self, *parts: str) -> Path:
        """A path inside the data directory (created on demand by callers)."""
        return paths.resolve(self.storage.data_dir).joinpath(*parts)

    def path(self, value: str) -> Path:
        """Resolve a configured relative path against the project root."""
        return paths.resolve(value)

    def service(self, code: str) -> Service:
        for s in self.services:
            if s.code == code:
                return s
        raise KeyError(code)


SECTIONS: tuple[str, ...] = tuple(KioskConfig.model_fields)

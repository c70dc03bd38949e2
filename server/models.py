"""Tables of the reference backend (SQLAlchemy 2 declarative). Changes need a migration in migrations/versions/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from server.db import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Department(Base):
    """A One-Door department; ``unit_id`` is the receiving unit id used in dossier codes."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")


class Kiosk(Base):
    """A kiosk and its token (only the SHA-256 of the token is stored)."""

    __tablename__ = "kiosks"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    last_heartbeat_at: Mapped[datetime | None]
    last_status: Mapped[dict[str, Any] | None]
    revoked_at: Mapped[datetime | None]  # a revoked kiosk's token opens nothing until it is rotated
    department: Mapped[Department] = relationship(lazy="joined")


class Sequence(Base):
    """Daily counters: ``ticket:<dept>:<service>`` and ``dossier:<unit>``, one row per local day."""

    __tablename__ = "sequences"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("department_id", "service", "day", "seq", name="uq_ticket_number"),
        UniqueConstraint("kiosk_id", "idempotency_key", name="uq_ticket_idem"),
        Index("ix_tickets_queue", "department_id", "day", "service", "status"),
        Index("ix_tickets_counter", "department_id", "day", "counter"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    service: Mapped[str] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date, index=True)
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str | None] = mapped_column(String(32))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    called_at: Mapped[datetime | None]
    counter: Mapped[int | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    # The office side (server/queue): place in line (issue time; the end of the line after a no-show),
    # recalls, when service started and ended, a transfer to one counter, how often it went to the end.
    queue_at: Mapped[datetime | None]
    recalls: Mapped[int] = mapped_column(default=0, server_default="0")
    last_called_at: Mapped[datetime | None]
    serving_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    target_counter: Mapped[int | None]
    queue_service: Mapped[str | None] = mapped_column(String(4))  # the line it waits in after a transfer
    requeues: Mapped[int] = mapped_column(default=0, server_default="0")


class TicketBlock(Base):
    """Numbers reserved by one kiosk for issuing offline; the server never issues them itself."""

    __tablename__ = "ticket_blocks"
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_block_idem"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    service: Mapped[str] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[int]
    end: Mapped[int]
    kiosk_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    idempotency_key: Mapped[str | None] = mapped_column(String(100))


class CounterState(Base):
    """How many priority tickets a counter called in a row (the anti-starvation rule)."""

    __tablename__ = "counter_state"
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    counter: Mapped[int] = mapped_column(primary_key=True)
    priority_streak: Mapped[int] = mapped_column(default=0)
    paused: Mapped[bool] = mapped_column(default=False, server_default="0")


class CounterServices(Base):
    """Which services a counter serves (set by a supervisor: ``PUT /counters/{n}/services``)."""

    __tablename__ = "counter_services"
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    counter: Mapped[int] = mapped_column(primary_key=True)
    services: Mapped[list[Any]]
    name: Mapped[str] = mapped_column(String(100), default="")


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_dossier_idem"),
                      Index("ix_dossiers_dept_received", "department_id", "received_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    secret: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    procedure_code: Mapped[str] = mapped_column(String(40))
    procedure_name: Mapped[str] = mapped_column(String(300))
    meta: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="received")
    received_at: Mapped[datetime]
    appointment_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The officer's desk (server/dossier_desk.py): when the result was ready, an apology's new date and reason.
    result_at: Mapped[datetime | None]
    new_appointment_at: Mapped[datetime | None]
    apology_reason: Mapped[str | None] = mapped_column(Text)
    apology_at: Mapped[datetime | None]
    files: Mapped[list[DossierFile]] = relationship(back_populates="dossier", order_by="DossierFile.id")
    events: Mapped[list[DossierEvent]] = relationship(order_by="DossierEvent.id")


class DossierFile(Base):
    """A received file; the bytes live content-addressed under the server's files dir (``sha256``)."""

    __tablename__ = "dossier_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(64))
    dossier: Mapped[Dossier] = relationship(back_populates="files")


class DossierEvent(Base):
    """A dossier's history: a status change (who, from, to, note) or an apology (``kind``), never rewritten."""

    __tablename__ = "dossier_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    from_status: Mapped[str | None] = mapped_column(String(16))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16), default="status", server_default="status")  # status | apology


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_rating_idem"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(20))
    dossier_code: Mapped[str | None] = mapped_column(String(80))
    ticket_number: Mapped[str | None] = mapped_column(String(16))
    procedure_code: Mapped[str | None] = mapped_column(String(40))
    service: Mapped[str | None] = mapped_column(String(8))
    counter: Mapped[int | None]
    reasons: Mapped[list[Any]]
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    received_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(16), default="kiosk")
    idempotency_key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))


class User(Base):
    """An officer account (roles officer < supervisor < admin). Only a scrypt hash of the password is kept."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class OfficerSession(Base):
    """A login: cookie (browser) or bearer (API client). ``id`` is the SHA-256 of the session token."""

    __tablename__ = "officer_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # cookie | bearer
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AuthRevision(Base):
    """One row whose ``value`` grows with every token rotation or revocation (server caches compare it)."""

    __tablename__ = "auth_revision"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)

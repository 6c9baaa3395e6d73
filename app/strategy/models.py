"""Strategies and their focus areas. Focus areas are data: the next strategy brings new ones."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db


class Strategy(TimestampMixin, db.Model):
    __tablename__ = "strategies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date]
    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="strategy", order_by="FocusArea.position", lazy="raise"
    )


class FocusArea(TimestampMixin, VersionedMixin, db.Model):
    """A fokusområde. Retired ones stay on old records but cannot be chosen for new ones."""

    __tablename__ = "focus_areas"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategies.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    retired_at: Mapped[datetime | None]

    strategy: Mapped[Strategy] = relationship(back_populates="focus_areas", lazy="joined")

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def label(self) -> str:
        return self.short_name or self.name

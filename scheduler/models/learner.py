"""Learners (trainees, BBL, hbo-v duaal, BOL) and pins (fixed placements)."""

from __future__ import annotations

from pydantic import Field, model_validator

from ..words.messages import Msg
from .base import Frozen
from .calendar import Month, MonthSet


class Learner(Frozen):
    id: str = Field(min_length=1)
    name: str | None = None  # personal data: never logged, replaced under --pseudonymise
    programme: str = Field(min_length=1)
    home: str | None = None  # employer; None for BOL interns
    start: Month
    level: int | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    max_travel_km: float | None = Field(default=None, ge=0)
    preferences: tuple[str, ...] = ()
    unavailable: MonthSet = ()
    history: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _lat_lon_together(self) -> Learner:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Pin(Frozen):
    """A fixed placement: ``learner`` works in ``department`` in the months given."""

    learner: str = Field(min_length=1)
    department: str = Field(min_length=1)
    month: Month | None = None
    from_: Month | None = Field(default=None, alias="from")
    to: Month | None = None
    buddy: str | None = None

    @model_validator(mode="after")
    def _months_given(self) -> Pin:
        if self.month is None and self.from_ is None:
            raise ValueError(Msg("pin_month_missing"))
        if self.month is not None and (self.from_ is not None or self.to is not None):
            raise ValueError(Msg("pin_month_both"))
        if self.month is None and self.from_ is not None and self.to is not None:
            if self.to < self.from_:
                raise ValueError(Msg("to_before_from", last=self.to, first=self.from_))
        return self

    @property
    def first(self) -> str:
        return self.month or self.from_  # type: ignore[return-value]

    @property
    def last(self) -> str:
        return self.month or self.to or self.from_  # type: ignore[return-value]

"""What an indicator is (id, labels, units, direction, numerator and denominator, source) and
the constants every indicator family shares. The families (geo.indicators.registry,
geo.indicators.hazards, geo.indicators.transformation) build on this module."""
from __future__ import annotations

from dataclasses import dataclass

REGISTRY_PERIOD = "Registri"
DEFAULT_MIN_DENOMINATOR = 20
KADER_STANDARD = 5     # kader per Posyandu: the minimum standard
WHO_STUNTING_BINS = (2.5, 10.0, 20.0, 30.0)  # WHO–UNICEF prevalence thresholds (%)
LONG_COLUMNS = ["indicator", "code", "level", "period", "value", "numerator", "denominator",
                "unstable", "source", "ci_low", "ci_high", "rse", "ci_note"]
# ci_low, ci_high: 95 % interval in the indicator's unit; rse: relative standard error (%);
# ci_note: how the interval was obtained (geo.stats.intervals.CI_NOTES) or missing when
# the value is not a proportion.


@dataclass(frozen=True)
class Indicator:
    id: str
    label_id: str
    label_en: str
    unit_id: str
    unit_en: str
    higher_is_worse: bool
    numerator: str
    denominator: str | None
    source: str  # "registri" (computed from the Posyandu registry) or "publikasi"
    scale: float = 1.0
    decimals: int = 1
    fixed_bins: tuple[float, ...] | None = None

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def label(self, lang: str = "id") -> str:
        return self.label_id if lang == "id" else self.label_en

    def unit(self, lang: str = "id") -> str:
        return self.unit_id if lang == "id" else self.unit_en

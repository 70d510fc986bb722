"""Knowledge gain from a pre-test and a post-test (Kirkpatrick level 2), pure: no Django.

Only participants with both scores count (a paired comparison): someone who missed the pre-test
says nothing about what the session taught. For each of them:
- the raw difference, post − pre, in the test's points (or percent, if the scores are);
- Hake's normalised gain, g = (post − pre) / (max − pre): the share of what there was left to
  learn that was learnt. 1 is everything, 0 nothing, negative a loss.

The edge case pre = max (full marks before the session): nothing was left to learn, so g is not
defined by the formula. Here it is `None` (shown as "—"), never 1 nor 0, and left out of the
session's mean and median of g (while the raw difference, 0 or a loss, still counts). The number
of participants whose g is defined is given beside it, so a mean of g over 3 of 20 is visible as
such.

For the session: the mean and median of the pre, post, raw difference and g, and n paired.
Scores outside 0..max are refused (ValueError): they are a bug upstream, not data.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from statistics import mean, median
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Gain(Generic[K]):
    participant: K
    pre: float
    post: float
    maximum: float

    @property
    def raw(self) -> float:
        return self.post - self.pre

    @property
    def normalised(self) -> float | None:
        """Hake's g; None when the pre-test was already at full marks (nothing left to gain)."""
        room = self.maximum - self.pre
        if room <= 0:
            return None
        return self.raw / room


@dataclass(frozen=True)
class Summary:
    n_paired: int
    n_normalised: int  # participants whose g is defined (pre below full marks)
    mean_pre: float | None
    mean_post: float | None
    mean_raw: float | None
    median_raw: float | None
    mean_normalised: float | None
    median_normalised: float | None


def _check(score: float, maximum: float) -> float:
    if not 0 <= score <= maximum:
        raise ValueError(f"score {score} outside 0..{maximum}")
    return float(score)


def paired(pre: Mapping[K, float], post: Mapping[K, float], maximum: float) -> list[Gain[K]]:
    """One gain per participant with both scores, in the order of `pre`."""
    if maximum <= 0:
        raise ValueError("the maximum score must be positive")
    return [
        Gain(who, _check(pre[who], maximum), _check(post[who], maximum), float(maximum))
        for who in pre
        if who in post
    ]


def _mean(values: list[float]) -> float | None:
    return mean(values) if values else None


def _median(values: list[float]) -> float | None:
    return median(values) if values else None


def summarise(gains: list[Gain[K]]) -> Summary:
    raws = [gain.raw for gain in gains]
    normalised = [g for g in (gain.normalised for gain in gains) if g is not None]
    return Summary(
        n_paired=len(gains),
        n_normalised=len(normalised),
        mean_pre=_mean([gain.pre for gain in gains]),
        mean_post=_mean([gain.post for gain in gains]),
        mean_raw=_mean(raws),
        median_raw=_median(raws),
        mean_normalised=_mean(normalised),
        median_normalised=_median(normalised),
    )

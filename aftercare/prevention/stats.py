"""Is a change in the share of favourable answers more than chance? Two independent samples
(baseline and follow-up respondents are different people), one 2×2 table:

                 favourable   not favourable
    baseline         a              b
    follow-up        c              d

Pearson's chi-square test without continuity correction when every expected count is at
least 5; otherwise Fisher's exact test, two-sided, summing the tables no more likely than
the one observed. Both need only the standard library: with one degree of freedom the
chi-square survival function is erfc(sqrt(x / 2)), and Fisher's probabilities are ratios of
binomial coefficients, compared as exact integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SIGNIFICANCE = 0.05
MIN_EXPECTED = 5


@dataclass(frozen=True)
class TestResult:
    method: str  # "chi_square", "fisher", or "none" when a group is empty
    statistic: float | None
    p_value: float | None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE


def chi_square_2x2(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """(chi-square, p) for [[a, b], [c, d]], one degree of freedom, no continuity correction."""
    n = a + b + c + d
    rows, cols = (a + b) * (c + d), (a + c) * (b + d)
    if rows == 0 or cols == 0:
        return 0.0, 1.0
    statistic = n * (a * d - b * c) ** 2 / (rows * cols)
    return statistic, math.erfc(math.sqrt(statistic / 2))


def fisher_exact_2x2(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p of Fisher's exact test for [[a, b], [c, d]]."""
    row1, col1, n = a + b, a + c, a + b + c + d

    def weight(x: int) -> int:  # tables with the same margins, proportional to their probability
        return math.comb(col1, x) * math.comb(n - col1, row1 - x)

    observed = weight(a)
    low, high = max(0, row1 + col1 - n), min(row1, col1)
    extreme = sum(w for w in (weight(x) for x in range(low, high + 1)) if w <= observed)
    return min(1.0, extreme / math.comb(n, row1))


def two_proportions(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """Compare x1 of n1 (baseline) with x2 of n2 (follow-up)."""
    if n1 == 0 or n2 == 0:
        return TestResult("none", None, None)
    a, b, c, d = x1, n1 - x1, x2, n2 - x2
    n = n1 + n2
    expected = [r * k / n for r in (n1, n2) for k in (a + c, b + d)]
    if min(expected) >= MIN_EXPECTED:
        statistic, p = chi_square_2x2(a, b, c, d)
        return TestResult("chi_square", statistic, p)
    return TestResult("fisher", None, fisher_exact_2x2(a, b, c, d))

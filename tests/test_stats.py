"""Known answers for every statistic the product shows (salesmetrics.stats).

Each value comes from a published table, a hand calculation written out here, or scipy computing the
same test from raw data (an independent implementation: ours works from aggregates).
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp

from salesmetrics import stats
from salesmetrics.kpis import samples

# Wilson intervals at z = 1.96, published with the "Compute the Wilson score interval" challenge
# (codegolf.stackexchange.com/q/105389); ours uses the exact 97.5 % quantile, 1.959964.
WILSON = [
    (1, 1, 0.09452865480086611, 0.905471345199134),
    (1, 10, 0.016231752262825982, 0.3773646254862038),
    (10, 90, 0.05522854161313612, 0.1743673043676654),
    (25, 75, 0.17545094003724265, 0.3430464637007583),
    (50, 50, 0.40382982859014716, 0.5961701714098528),
    (0, 100, 0.0, 0.03699480747600191),
    (100, 0, 0.9630051925239981, 1.0),
]


@pytest.mark.parametrize(("wins", "losses", "low", "high"), WILSON)
def test_wilson_matches_the_published_values(wins: int, losses: int, low: float, high: float) -> None:
    got = stats.wilson(wins, wins + losses)
    assert got is not None
    assert got.low == pytest.approx(low, abs=2e-5) and got.high == pytest.approx(high, abs=2e-5)


def test_wilson_for_36_of_100_by_hand() -> None:
    # p = .36, z = 1.96: centre (.36 + 1.96^2/200) / (1 + 1.96^2/100) = .365177, half-width
    # 1.96 * sqrt(.36 * .64 / 100 + 1.96^2 / 40000) / 1.038416 = .092468.
    got = stats.wilson(36, 100)
    assert got is not None
    assert (round(got.low, 4), round(got.high, 4)) == (0.2727, 0.4576)
    assert stats.wilson(0, 0) is None


def test_nps_interval_from_the_variance_of_the_score() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS 30; scores +1/0/-1 have variance
    # p + d - (p - d)^2 = .5 + .2 - .09 = .61, so SE = sqrt(.61 / 100) = .078102 (7.81 points).
    se = stats.nps_standard_error(50, 30, 20)
    assert se == pytest.approx(math.sqrt(0.61 / 100))
    # The same variance from the raw answers, as scipy would compute it (population variance).
    answers = [1] * 50 + [0] * 30 + [-1] * 20
    assert se == pytest.approx(math.sqrt(sp.tvar(answers) * 99 / 100 / 100))
    # The interval is the adjusted Wald one (Rocks 2016): 3/4 answer added to promoters and to
    # detractors, 3/2 to passives. 50.75 / 103 = .492718 and 20.75 / 103 = .201456: centre .291262,
    # variance .694175 - .084834 = .609341, SE sqrt(.609341 / 103) = .076915 (7.69 points).
    band = stats.nps_interval(50, 30, 20)
    assert band is not None
    assert band.low == pytest.approx(29.1262 - 1.959964 * 7.6915, abs=1e-3)
    assert band.high == pytest.approx(29.1262 + 1.959964 * 7.6915, abs=1e-3)
    # Two promoters: NPS 100, but nothing near certain. 2.75 / 5 = .55 and .75 / 5 = .15: centre .40,
    # variance .70 - .16 = .54, SE sqrt(.54 / 5) = .328634; 40 - 64.41 = -24.41, the top clipped.
    two = stats.nps_interval(2, 0, 0)
    assert two is not None and two.low == pytest.approx(-24.411, abs=1e-3) and two.high == 100.0
    # One answer: centred on the adjusted score the band would stop short of the answer itself
    # (-48.5 - 98.5 around 100); it reaches it. 1.75 / 4 = .4375, .75 / 4 = .1875: centre .25,
    # variance .625 - .0625 = .5625, SE .375; .25 - 1.96 x .375 = -.485.
    one = stats.nps_interval(1, 0, 0)
    assert one is not None and one.low == pytest.approx(-48.5, abs=0.1) and one.high == 100.0
    alone = stats.nps_interval(0, 0, 1)
    assert alone is not None and alone.low == -100.0 and alone.high == pytest.approx(48.5, abs=0.1)


def test_t_interval_from_aggregates_matches_scipy_on_the_raw_values() -> None:
    values = [12.0, 15.0, 9.0, 30.0, 22.0, 18.0, 7.0]
    n, total, squares = len(values), sum(values), sum(v * v for v in values)
    moments = stats.mean_and_variance(n, total, squares)
    assert moments is not None
    band = stats.t_interval(n, *moments)
    low, high = sp.t.interval(0.95, n - 1, loc=sp.tmean(values), scale=sp.sem(values))
    assert band is not None
    assert band.low == pytest.approx(low) and band.high == pytest.approx(high)
    assert stats.t_interval(1, 5.0, float("nan")) is None


def test_two_proportion_z_test_by_hand() -> None:
    # 45/100 against 30/100: pooled .375, SE sqrt(.375 * .625 * .02) = .068465, z = .15 / .068465.
    test = stats.two_proportion_test(45, 100, 30, 100)
    assert test is not None
    z = 0.15 / math.sqrt(0.375 * 0.625 * 0.02)
    assert test.statistic == pytest.approx(z)
    assert test.p_value == pytest.approx(2 * sp.norm.sf(z))
    assert round(test.statistic, 4) == 2.1909 and round(test.p_value, 4) == 0.0285 and test.significant
    # Same proportions in both: nothing to see.
    same = stats.two_proportion_test(10, 40, 5, 20)
    assert same is not None and same.statistic == 0 and not same.significant


@given(st.integers(1, 60), st.integers(1, 60), st.data())
@settings(max_examples=300, deadline=None)
def test_small_tables_are_tested_by_fishers_exact_test_as_scipy_does(n1: int, n2: int,
                                                                     data: st.DataObject) -> None:
    """Where a cell of the 2x2 table expects fewer than 5 deals, the z test's normal approximation
    fails (0 of 2 against 2 of 2 read p = 0.046, beyond noise): Fisher's exact test instead, whose
    p-value is scipy's; elsewhere the z test as before."""
    hits1, hits2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n2))
    test = stats.two_proportion_test(hits1, n1, hits2, n2)
    assert test is not None
    n, hits = n1 + n2, hits1 + hits2
    expected = min(r * c / n for r in (n1, n2) for c in (hits, n - hits))
    if expected < 5:
        exact = sp.fisher_exact([[hits1, n1 - hits1], [hits2, n2 - hits2]]).pvalue
        assert test.method == "fisher exact" and test.p_value == pytest.approx(exact, rel=1e-9, abs=1e-12)
    else:
        assert test.method == "two-proportion z"
    assert (test.statistic > 0) == (hits1 / n1 > hits2 / n2)
    # The leaderboard's vectorised tests are the same tests.
    assert stats.two_proportion_tests([(hits1, n1, hits2, n2)] * 9) == [test] * 9


def test_two_of_two_after_none_of_two_is_no_finding() -> None:
    test = stats.two_proportion_test(2, 2, 0, 2)
    assert test is not None and test.p_value == pytest.approx(1 / 3) and not test.significant


def test_welch_t_from_summaries_matches_scipy() -> None:
    a = [40.0, 38.0, 55.0, 61.0, 33.0, 47.0, 52.0, 39.0]
    b = [30.0, 35.0, 28.0, 41.0, 25.0, 33.0]
    ma, va = sp.tmean(a), sp.tvar(a)
    mb, vb = sp.tmean(b), sp.tvar(b)
    test = stats.welch_t(len(a), ma, va, len(b), mb, vb)
    want = sp.ttest_ind(a, b, equal_var=False)
    assert test is not None
    assert test.statistic == pytest.approx(want.statistic) and test.p_value == pytest.approx(want.pvalue)
    band = stats.welch_interval(a, b)
    ci = want.confidence_interval(0.95)
    assert band is not None
    assert band.low == pytest.approx(ci.low) and band.high == pytest.approx(ci.high)


def test_poisson_test_of_two_counts() -> None:
    # 30 against 15 over equal periods: given 45, the first is Binomial(45, 1/2) under the null;
    # P(X >= 30) = .01785, two-sided .0357.
    test = stats.poisson_test(30, 15)
    assert test is not None
    assert test.p_value == pytest.approx(2 * sp.binom.sf(29, 45, 0.5))
    assert round(test.p_value, 4) == 0.0357 and test.significant and test.statistic == 2.0
    # A 31-day month against a 30-day one: the longer one is expected to have a little more.
    longer = stats.poisson_test(31, 30, 31, 30)
    assert longer is not None and longer.p_value == pytest.approx(1.0)
    assert stats.poisson_test(0, 0) is None


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 20_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.one_of(st.floats(0, 1), st.sampled_from([0.5, 30 / 61, 31 / 61, 28 / 59, 1 / 3])))
def test_binomial_test_is_scipys_to_the_last_bit(kn: tuple[int, int], p: float) -> None:
    # Ours calls the functions scipy.stats.binom computes with, skipping its argument checks: the
    # p-value must be scipy's binomtest's exactly, not nearly (the same significance, always).
    k, n = kn
    try:
        want = float(sp.binomtest(k, n, p).pvalue)
    except OverflowError:  # Boost's, at subnormal p (1e-308): ours calls the same function
        with pytest.raises(OverflowError):
            stats.binom_two_sided(k, n, p)
        return
    assert stats.binom_two_sided(k, n, p) == want


def test_binomial_test_on_every_outcome_of_small_samples() -> None:
    for n in range(1, 40):
        for k in range(n + 1):
            for p in (0.5, 30 / 61, 0.1):
                assert stats.binom_two_sided(k, n, p) == float(sp.binomtest(k, n, p).pvalue), (k, n, p)
    with pytest.raises(ValueError):
        stats.binom_two_sided(5, 4, 0.5)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3_000), st.integers(0, 3_000))
                | st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=0, max_size=120),
       st.sampled_from([(1, 1), (31, 30), (30, 31), (28, 31), (7, 7), (92, 91), (365, 366)]))
def test_counts_tested_together_are_scipys_one_by_one(pairs: list[tuple[int, int]],
                                                      days: tuple[int, int]) -> None:
    # A leaderboard tests 2,000 reps' activity counts at once (over arrays); each p-value must be
    # scipy's binomtest of that rep's counts, to the last bit, as when tested one by one.
    pairs = [*pairs, (0, 0), (5, 5), (0, 7), (7, 0), (31, 30)]
    p = days[0] / (days[0] + days[1])
    together = stats.poisson_tests(pairs, *days)
    for (a, b), test in zip(pairs, together, strict=True):
        if a + b == 0:
            assert test is None
            continue
        assert test is not None and test == stats.poisson_test(a, b, *days)
        assert test.p_value == float(sp.binomtest(a, a + b, p).pvalue), (a, b, days)
    assert stats.poisson_tests(pairs, 0, 30) == [None] * len(pairs)


@st.composite
def _share_pair(draw: st.DrawFn) -> tuple[int, int, int, int]:
    n1, n2 = draw(st.integers(0, 5_000)), draw(st.integers(0, 5_000))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


@settings(max_examples=150, deadline=None)
@given(st.lists(_share_pair(), min_size=0, max_size=120))
def test_win_rates_tested_together_are_the_one_by_one_tests(quads: list[tuple[int, int, int, int]]) -> None:
    # A leaderboard tests 2,000 reps' win rates at once (over arrays): each test must be the one
    # made alone, to the last bit, with none where a side has no closed deal and p = 1 where the
    # pooled rate is 0 or 1.
    quads = [*quads, (0, 0, 3, 5), (3, 5, 0, 0), (0, 4, 0, 9), (4, 4, 9, 9), (1, 2, 1, 2), (3, 10, 7, 10),
             (0, 1, 1, 1), (250, 400, 180, 410)]
    together = stats.two_proportion_tests(quads)
    assert together == [stats.two_proportion_test(*q) for q in quads]
    assert [t is None for t in together[-8:]] == [True, True] + [False] * 6
    assert together[-6].p_value == together[-5].p_value == 1.0  # no spread: no change to see
    assert stats.two_proportion_tests(quads[:3]) == [stats.two_proportion_test(*q) for q in quads[:3]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.none() | st.tuples(st.integers(0, 5_000), st.integers(0, 5_000)), max_size=60),
       st.lists(st.none() | st.tuples(st.integers(0, 3_000), st.floats(-1e9, 1e9), st.floats(0, 1e18)),
                max_size=60),
       st.sampled_from([0.80, 0.90, 0.95, 0.99]))
def test_intervals_made_together_are_the_ones_made_alone(shares: list[tuple[int, int] | None],
                                                         means: list[tuple[int, float, float] | None],
                                                         confidence: float) -> None:
    # A report by rep makes 2,000 intervals a KPI at once (Form.bounds_many): each must be the one
    # its sample's own interval gives, to the last bit.
    z = stats.z_value(confidence)
    shares = [None if s is None else (min(s), max(s)) for s in shares]  # hits never above n
    shares += [(0, 0), (0, 1), (1, 1), (3, 7), None]
    means += [(1, 5.0, 25.0), (2, -4.0, 10.0), (3, 3.0, 3.0), (5, 100.0, 0.0), None]
    for form, found in ((samples.FORMS[samples.proportion], shares), (samples.FORMS[samples.mean], means)):
        assert form.bounds is not None and form.bounds_many is not None
        alone = [None if s is None else form.bounds(*s, z) for s in found]
        assert form.bounds_many(found, z) == alone
    assert stats.wilson_bounds_many([(3, 7)], z) == [stats.wilson_bounds(3, 7, z)] != [None]


def plain_cluster_bootstrap(a: list[list[float]], b: list[list[float]], rounds: int,
                            seed: int) -> stats.ClusterBootstrap | None:
    """The cluster bootstrap written out: each round draws each group's clusters with
    ``random.choices`` and pools them; the 2.5 % and 97.5 % rounds of the ratio of the means and of
    their difference, and twice the smaller share (plus one) of differences on either side of 0."""
    if len(a) < 2 or len(b) < 2:
        return None
    rng = random.Random(seed)

    def pooled(groups: list[list[float]]) -> float:
        return sum(sum(g) for g in groups) / sum(len(g) for g in groups)

    pairs = [(pooled(rng.choices(a, k=len(a))), pooled(rng.choices(b, k=len(b)))) for _ in range(rounds)]

    def band(values: list[float]) -> stats.Interval:
        ordered = sorted(values)
        return stats.Interval(ordered[math.floor(0.025 * (rounds - 1))],
                              ordered[math.ceil(0.975 * (rounds - 1))])

    diffs = [x - y for x, y in pairs]
    tail = min(sum(d <= 0 for d in diffs), sum(d >= 0 for d in diffs))
    return stats.ClusterBootstrap(band([x / y for x, y in pairs]), band(diffs),
                                  min(1.0, 2 * (tail + 1) / (rounds + 1)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(0.01, 1e7), min_size=1, max_size=6), min_size=0, max_size=40),
       st.lists(st.lists(st.floats(0.01, 1e7), min_size=1, max_size=6), min_size=0, max_size=40),
       st.integers(0, 2**40))
def test_the_vectorised_cluster_bootstrap_is_the_plain_one(a: list[list[float]], b: list[list[float]],
                                                            seed: int) -> None:
    want = plain_cluster_bootstrap(a, b, 300, seed)
    assert stats.cluster_bootstrap(a, b, rounds=300, seed=seed) == want
    assert stats.cluster_ratio_interval(a, b, rounds=300, seed=seed) == (want.ratio if want else None)


def test_cluster_bootstrap_is_reproducible_and_brackets_the_ratio() -> None:
    # Promoters' accounts order twice what detractors' do: the interval holds 2 and not 1.
    a = [[200.0, 210.0], [190.0], [205.0, 195.0, 200.0], [220.0], [180.0]] * 4
    b = [[100.0], [95.0, 105.0], [110.0], [90.0], [100.0, 100.0]] * 4
    first = stats.cluster_bootstrap(a, b)
    assert first is not None and first == stats.cluster_bootstrap(a, b)
    assert first.ratio.low < 2.0 < first.ratio.high and first.ratio.low > 1.0
    assert 80 < first.difference.low < 100 < first.difference.high and first.p_value < 0.001
    assert stats.cluster_bootstrap(a[:1], b) is None


# -- log-rank ---------------------------------------------------------------------------------------
def test_log_rank_by_hand() -> None:
    """A: events at 1 and 3; B: an event at 2, censored at 4. Event times 1, 2, 3 with (at risk, of
    them in A, events): (4, 2, 1), (3, 1, 1), (2, 1, 1). A's expected events 2/4 + 1/3 + 1/2 = 4/3
    against 2 observed; variance 1/4 + 2/9 + 1/4 = 13/18; chi-squared (2/3)^2 / (13/18) = 8/13."""
    test = stats.log_rank([1, 3], [True, True], [2, 4], [True, False])
    assert test is not None
    assert test.statistic == pytest.approx(8 / 13, abs=1e-12)
    assert test.p_value == pytest.approx(2 * (1 - sp.norm.cdf(math.sqrt(8 / 13))), abs=1e-12)


def test_log_rank_matches_scipy() -> None:
    """scipy.stats.logrank's own example (a leukaemia trial), from raw data."""
    a = ([6, 13, 21, 30, 31, 37, 38, 47, 49, 50, 63, 79, 80, 82, 82, 86, 98, 149, 202, 219],
         [1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1])
    b = ([10, 10, 12, 13, 14, 15, 16, 17, 18, 20, 24, 24, 25, 28, 30, 33, 34, 35, 37, 40, 40, 40, 46, 48,
          70, 76, 81, 82, 91, 112, 181],
         [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    theirs = sp.logrank(sp.CensoredData.right_censored(a[0], [not e for e in a[1]]),
                        sp.CensoredData.right_censored(b[0], [not e for e in b[1]]))
    ours = stats.log_rank(a[0], [bool(e) for e in a[1]], b[0], [bool(e) for e in b[1]])
    assert ours is not None
    assert ours.statistic == pytest.approx(theirs.statistic ** 2, rel=1e-12)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-9)
    assert stats.log_rank([1], [False], [2], [False]) is None  # no event: nothing to test
    assert stats.log_rank([], [], [2], [True]) is None


# -- difference in differences -----------------------------------------------------------------------
def test_difference_in_differences_by_hand() -> None:
    """Treated: 1 of 4 then 2 of 4, 1 of 3 then 2 of 3: 2/7 to 4/7. Control: 2 of 4 then 3 of 4, 1 of 2
    then 1 of 2: 3/6 to 4/6. Effect 2/7 - 1/6 = 5/42."""
    treated = [stats.Cluster(1, 4, 2, 4), stats.Cluster(1, 3, 2, 3)]
    control = [stats.Cluster(2, 4, 3, 4), stats.Cluster(1, 2, 1, 2)]
    found = stats.did_bootstrap(treated, control)
    assert found.effect == pytest.approx(5 / 42, abs=1e-12)
    assert found.control_change == pytest.approx(1 / 6, abs=1e-12)
    assert found.low is not None and found.high is not None and found.low <= found.effect <= found.high
    assert found == stats.did_bootstrap(treated, control)  # seeded: the same records, the same answer
    alone = stats.did_bootstrap(treated, None)  # no comparison group: the plain change
    assert alone.effect == pytest.approx(2 / 7) and alone.control_change is None
    one = stats.did_bootstrap(treated[:1], control)  # one rep cannot be resampled into an interval
    assert one.low is None and one.p_value is None and one.effect == pytest.approx(1 / 4 - 1 / 6)


def test_a_change_every_rep_shares_has_no_spread() -> None:
    treated = [stats.Cluster(1, 1, 1.2, 1)] * 6
    control = [stats.Cluster(2, 1, 2, 1)] * 6
    found = stats.did_bootstrap(treated, control, rounds=999)
    assert (found.low, found.high) == pytest.approx((0.2, 0.2))
    assert found.p_value == pytest.approx(2 / 1000)  # every draw above zero: (0 + 1) / (999 + 1), twice
    assert not found.control_moved  # the control group did not move at all
    moved = stats.did_bootstrap(treated, [stats.Cluster(2, 1, 2.5, 1)] * 6)
    assert moved.control_moved and moved.effect == pytest.approx(-0.3)


def test_the_cluster_bootstrap_matches_the_normal_theory_width() -> None:
    """With one unit weight per rep a group's change is the mean of its reps' changes, so the effect's
    standard error is sqrt(s_t^2 / n_t + s_c^2 / n_c) (population variances, as the bootstrap
    resamples): the 95 % interval is about 1.96 of those either side."""
    treated = [stats.Cluster(0, 1, (i % 10) / 10, 1) for i in range(200)]  # changes 0.0 .. 0.9
    control = [stats.Cluster(0, 1, (i % 5) / 5, 1) for i in range(300)]  # 0.0 .. 0.8
    found = stats.did_bootstrap(treated, control, rounds=8000)

    def variance(values: list[float]) -> float:
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / len(values)

    se = math.sqrt(variance([(i % 10) / 10 for i in range(200)]) / 200
                   + variance([(i % 5) / 5 for i in range(300)]) / 300)
    assert found.effect == pytest.approx(0.45 - 0.4)
    assert found.low is not None and found.high is not None
    assert (found.high - found.low) / 2 == pytest.approx(1.96 * se, rel=0.08)
    assert found.p_value is not None and found.p_value == pytest.approx(
        2 * (1 - sp.norm.cdf(0.05 / se)), abs=0.02)


def test_programs_that_did_nothing_read_significant_one_time_in_twenty() -> None:
    """Found by a tester: of simulated programs that changed nothing (every rep wins a quarter of 20
    closed deals in each window), the percentile bootstrap called 8 % significant with 8 reps a side,
    20 % with 3. Student's t over the reps, each side's spread widened for its few reps, holds the 5 %
    it promises (seeded draws: the same 300 programs every run)."""
    draw = random.Random(7)

    def group(reps: int, deals: int) -> list[stats.Cluster]:
        return [stats.Cluster(sum(draw.random() < 0.25 for _ in range(deals)), deals,
                              sum(draw.random() < 0.25 for _ in range(deals)), deals) for _ in range(reps)]

    def chance(clusters: list[stats.Cluster]) -> float:  # as program_effect._chance: add two
        out = 0.0
        for won, n in ((sum(c.before for c in clusters), sum(c.before_weight for c in clusters)),
                       (sum(c.after for c in clusters), sum(c.after_weight for c in clusters))):
            p = (won + 1) / (n + 2)
            out += p * (1 - p) / n
        return out

    for reps, deals, floored in ((3, 15, False), (8, 20, False), (3, 15, True), (8, 20, True)):
        found = []
        for _ in range(300):
            treated, control = group(reps, deals), group(reps, deals)
            floors = (chance(treated), chance(control)) if floored else (0.0, 0.0)
            found.append(stats.did_bootstrap(treated, control, rounds=2000, floors=floors))
        significant = sum(1 for f in found if f.p_value is not None and f.p_value < stats.ALPHA)
        # 5 % of 300 is 15: no more than three of its standard errors above, and not none (a method
        # refusing everything passes any bound from above). The floors only ever widen: 1-2 % then.
        assert (1 if floored else 4) <= significant <= 26, (reps, floored, significant)
        covered = sum(1 for f in found if f.low is not None and f.high is not None and f.low <= 0 <= f.high)
        assert covered == 300 - significant, (reps, floored, covered)  # the interval and the test agree


def test_reps_alike_in_every_figure_still_carry_their_records_chance() -> None:
    """Five reps a side, each 2 of 8 won before; after, the participants 8 of 8, the others 6 of 8:
    the bootstrap sees no spread between reps, the records' own chance (the floors) remains."""
    treated = [stats.Cluster(2, 8, 8, 8)] * 5
    control = [stats.Cluster(2, 8, 6, 8)] * 5
    alone = stats.did_bootstrap(treated, control)
    assert (alone.low, alone.high) == pytest.approx((0.25, 0.25))  # no floor: no spread at all
    floors = (0.25 * 0.75 / 40, 0.25 * 0.75 / 40 * 2)
    found = stats.did_bootstrap(treated, control, floors=floors)
    # The floors rest on the 40 records a side, not the 5 reps: read on the normal, not t of 4.
    half = float(sp.norm.ppf(0.975)) * math.sqrt(sum(floors))
    assert (found.low, found.high) == pytest.approx((0.25 - half, 0.25 + half))
    assert found.p_value == pytest.approx(2 * float(sp.norm.sf(0.25 / math.sqrt(sum(floors)))))
    assert found.control_moved  # +50 points from 40 deals a side: beyond their chance


def test_ratio_interval_of_a_group() -> None:
    assert stats.ratio_interval([1], [2]) is None  # one rep: nothing to resample
    same = stats.ratio_interval([1, 2, 3], [2, 4, 6])  # every rep at 50 %
    assert same is not None and (same.low, same.high) == pytest.approx((0.5, 0.5))
    spread = stats.ratio_interval([0, 5, 10], [10, 10, 10])
    assert spread is not None and 0 <= spread.low < 0.5 < spread.high <= 1


def test_packed_spells_read_back_exactly() -> None:
    """kpis/survival.py packs each (days, won, deals) into one integer; samples.survival reads it
    back, negative and huge values included."""
    from salesmetrics.kpis.samples import DAYS_OFFSET, DAYS_SHIFT, Survival, _at_risk, survival

    spells = [(-3, False, 1), (0, True, 2), (20, True, 4_000_000_000), (9_000_000, False, 7)]
    packed = [(d + DAYS_OFFSET) * (1 << DAYS_SHIFT) + int(w) * (1 << 32) + k for d, w, k in spells]
    sample = survival({"spells": packed})
    assert isinstance(sample, Survival)
    # (days, wins, deals at risk): the one censored on day -3 has left by day 0
    assert list(_at_risk(sample.spells, sample.n)) == [(0, 2, 4_000_000_009),
                                                       (20, 4_000_000_000, 4_000_000_007)]
    assert sample.n == 4_000_000_010 and sample.longest == 9_000_000.0
    assert max(packed) < 2**63  # a BIGINT on every backend


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 60), st.booleans(), st.integers(1, 40)), min_size=1, max_size=60))
def test_the_median_read_from_packed_spells_is_the_whole_curves(spells: list[tuple[int, bool, int]]) -> None:
    """A report's Kaplan-Meier median and interval follow the curve from the packed spells only as
    far as they need (stats.kaplan_meier_median): the same, to the bit, as the whole curve's."""
    from salesmetrics.kpis.samples import DAYS_OFFSET, DAYS_SHIFT, Survival, survival

    packed = [(d + DAYS_OFFSET) * (1 << DAYS_SHIFT) + int(w) * (1 << 32) + k for d, w, k in spells]
    sample = survival({"spells": packed})
    assert isinstance(sample, Survival)
    curve = stats.kaplan_meier([float(d) for d, _, _ in spells], [w for _, w, _ in spells],
                               [k for _, _, k in spells])
    assert sample.median() == (curve.median, *curve.median_interval())
    assert sample.n == curve.n and sample.longest == max(d for d, _, _ in spells)


def test_kept_t_quantiles_are_scipys_own() -> None:
    """The t quantiles are worked out 2,048 at a time and kept (stats._ppf): each must be exactly
    what scipy gives for that one degree of freedom, so no interval moves by a digit."""
    from scipy import special

    from salesmetrics import stats

    stats._ppf.cache_clear()
    for df in (1, 2, 3, 7, 29, 30, 31, 100, 512, 2047, 2048, 2049, 50_000):
        assert stats._ppf("t", 0.975, df) == float(special.stdtrit(df, 0.975)), df
        assert stats._ppf("t", 0.995, df) == float(special.stdtrit(df, 0.995)), df


def test_tails_are_scipy_stats_own() -> None:
    """The two-sided p-values come from scipy.special (stats._special), which scipy.stats' norm and
    t distributions compute with: the same numbers, without importing scipy.stats."""
    from scipy import stats as sp

    from salesmetrics import stats

    for z in (0.0, 0.3, 1.96, 2.5, 6.0):
        found = stats.two_proportion_test(30 + int(10 * z), 100, 30, 100)
        assert found is not None
        expected_z = found.statistic
        assert found.p_value == float(2 * sp.norm.sf(abs(expected_z)))
    for n in (2, 3, 10, 200):
        found = stats.welch_t(n, 10.0, 4.0, n + 3, 12.5, 9.0)
        assert found is not None
        a, b = 4.0 / n, 9.0 / (n + 3)
        df = (a + b) ** 2 / (a * a / (n - 1) + b * b / (n + 2))
        assert found.p_value == float(2 * sp.t.sf(abs(found.statistic), df))

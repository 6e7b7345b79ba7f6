"""Seeded canonical data at benchmark sizes, generated inside DuckDB.

Every table is one ``COPY (SELECT ... FROM range(n)) TO ...`` statement: values come from
``hash(seed, row, column)`` so a row never depends on another and DuckDB generates in parallel,
straight to CSV (what ``salesmetrics import`` reads) and Parquet (what the pandas script reads).
Shapes a real CRM has: a few reps own most deals (a power law over reps), a yearly season (more in
Q4, less in August), a third of deals open or lost, long-tailed amounts and sales cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

START = "2023-01-01"  # the records cover three calendar years from here
DAYS = 3 * 365


@dataclass(frozen=True)
class Size:
    name: str
    deals: int
    activities: int

    @property
    def reps(self) -> int:
        return max(20, self.deals // 500)

    @property
    def teams(self) -> int:
        return max(3, self.reps // 12)

    @property
    def answers(self) -> int:
        return self.deals // 20


SIZES = {
    "T": Size("T", 2_000, 20_000),  # tiny: the agreement test in CI
    "S": Size("S", 100_000, 1_000_000),
    "M": Size("M", 1_000_000, 10_000_000),
    "L": Size("L", 10_000_000, 100_000_000),
}
PRODUCTS = 24
TABLES = ("reps", "products", "deals", "deal_items", "activities", "quotas", "nps_responses")


def _u(seed: int, column: int, row: str = "i") -> str:
    """A uniform number in [0, 1) for (seed, row, column): the same on every run and thread."""
    return f"(hash({seed}, {row}, {column}) % 1000000007) / 1000000007.0"


def _when(seed: int, column: int, row: str = "i") -> str:
    """A time in the three years, with a season: u is warped so density runs ~1 + 0.35 cos(...)
    peaking in December and lowest in June; seconds come from a second draw."""
    u = _u(seed, column, row)
    warped = f"({u} + 0.35 * sin(2 * pi() * 3 * {u} - 2 * pi() * 3 * 0.47) / (2 * pi() * 3))"
    return (f"(TIMESTAMP '{START}' + to_seconds(CAST(floor(greatest(0, least(0.999999, {warped}))"
            f" * {DAYS} * 86400) AS BIGINT)))")


def _rep(seed: int, column: int, reps: int, row: str = "i") -> str:
    """A rep index from a power law: rep 0 gets the most, the tail little ("a few big reps")."""
    return f"CAST(floor({reps} * pow({_u(seed, column, row)}, 1.8)) AS BIGINT)"


def queries(size: Size, seed: int) -> dict[str, str]:
    s, reps, teams = seed, size.reps, size.teams
    rep_id = "'R' || lpad(CAST({} AS VARCHAR), 6, '0')"
    deal_status = (f"CASE WHEN created > TIMESTAMP '{START}' + INTERVAL {DAYS - 60} DAY "
                   f"AND {_u(s, 31)} < 0.7 THEN 'open' "
                   f"WHEN {_u(s, 3)} < 0.12 THEN 'open' WHEN {_u(s, 3)} < 0.37 THEN 'lost' ELSE 'won' END")
    normal = f"sqrt(-2 * ln(1 - {_u(s, 4)})) * cos(2 * pi() * {_u(s, 5)})"
    rep_of_deal = _rep(s, 2, reps)
    deals = f"""
        SELECT 'D' || lpad(CAST(i AS VARCHAR), 9, '0') AS deal_id,
               {rep_id.format('rep')} AS rep_id,
               'A' || CAST(hash({s}, i, 6) % {max(100, size.deals // 8)} AS VARCHAR) AS account,
               created AS created_at,
               CASE WHEN status = 'open' THEN NULL
                    ELSE created + to_seconds(CAST(86400 * (1 + 45 * -ln(1 - {_u(s, 7)})) AS BIGINT))
               END AS closed_at,
               status,
               CAST(round(exp(7.2 + CASE WHEN rep < {max(1, reps // 20)} THEN 0.6 ELSE 0 END
                              + 0.9 * {normal}), 2) AS DECIMAL(18, 2)) AS amount,
               'USD' AS currency,
               ['web', 'referral', 'outbound', 'partner', 'event']
                   [CAST(1 + hash({s}, i, 8) % 5 AS BIGINT)] AS source,
               CASE status WHEN 'won' THEN 'closed won' WHEN 'lost' THEN 'closed lost'
                    ELSE ['qualification', 'discovery', 'proposal', 'negotiation']
                         [CAST(1 + hash({s}, i, 9) % 4 AS BIGINT)]
               END AS stage,
               CASE WHEN {_u(s, 10)} < 0.8 THEN 'new business' ELSE 'renewal' END AS pipeline,
               CASE WHEN status = 'lost' THEN ['price', 'competitor', 'no decision', 'timing']
                    [CAST(1 + hash({s}, i, 11) % 4 AS BIGINT)] END AS lost_reason
        FROM (SELECT i, {rep_of_deal} AS rep, {_when(s, 1)} AS created, {deal_status} AS status
              FROM (SELECT range AS i FROM range({size.deals})))
    """
    return {
        "reps": f"""
            SELECT {rep_id.format('i')} AS rep_id, 'Rep ' || CAST(i AS VARCHAR) AS name,
                   'team-' || CAST(i % {teams} AS VARCHAR) AS team,
                   CAST(TIMESTAMP '{START}' + to_days(CAST(floor({_u(s, 20)} * {DAYS} * 0.8) AS INTEGER))
                        - INTERVAL 200 DAY AS DATE) AS hired_on
            FROM (SELECT range AS i FROM range({reps}))""",
        "products": f"""
            SELECT 'P' || lpad(CAST(i AS VARCHAR), 3, '0') AS product_id, 'Product ' || CAST(i AS VARCHAR)
                   AS name, CAST(round(50 + 950 * {_u(s, 21)}, 2) AS DECIMAL(18, 2)) AS unit_price,
                   'USD' AS currency
            FROM (SELECT range AS i FROM range({PRODUCTS}))""",
        "deals": deals,
        # One line per deal, priced so the lines add up to the deal's amount.
        "deal_items": f"""
            SELECT deal_id, 'P' || lpad(CAST(hash({s}, deal_id, 22) % {PRODUCTS} AS VARCHAR), 3, '0')
                   AS product_id, CAST(1 AS DECIMAL(18, 6)) AS quantity, amount AS unit_price
            FROM deals""",
        "activities": f"""
            SELECT 'X' || lpad(CAST(i AS VARCHAR), 10, '0') AS activity_id,
                   {rep_id.format(_rep(s, 41, reps))} AS rep_id,
                   CASE WHEN {_u(s, 42)} < 0.45 THEN 'call' WHEN {_u(s, 42)} < 0.80 THEN 'email'
                        WHEN {_u(s, 42)} < 0.90 THEN 'meeting' WHEN {_u(s, 42)} < 0.95 THEN 'demo'
                        ELSE 'social' END AS type,
                   {_when(s, 43)} AS occurred_at,
                   CASE WHEN {_u(s, 44)} < 0.5 THEN 'D' || lpad(CAST(hash({s}, i, 45) % {size.deals}
                        AS VARCHAR), 9, '0') END AS deal_id
            FROM (SELECT range AS i FROM range({size.activities}))""",
        # Every rep has a quota for every month: big reps big ones.
        "quotas": f"""
            SELECT {rep_id.format('r')} AS rep_id, NULL::VARCHAR AS team,
                   CAST(m AS DATE) AS period_start,
                   CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS period_end,
                   CAST(round(({size.deals} / {reps} / 36.0) * 2000 * (1 + 3 * pow(1 - r / {reps}, 6))
                              * (0.8 + 0.4 * {_u(s, 51, 'r * 100 + month(m)')}), 2) AS DECIMAL(18, 2))
                       AS amount,
                   'USD' AS currency
            FROM (SELECT range AS r FROM range({reps})),
                 (SELECT unnest(generate_series(TIMESTAMP '{START}', TIMESTAMP '{START}'
                                + INTERVAL 35 MONTH, INTERVAL 1 MONTH)) AS m)""",
        "nps_responses": f"""
            SELECT 'N' || lpad(CAST(i AS VARCHAR), 9, '0') AS response_id,
                   'A' || CAST(hash({s}, i, 61) % {max(100, size.deals // 8)} AS VARCHAR) AS account,
                   CAST(least(10, floor(11 * pow({_u(s, 62)}, 0.6))) AS BIGINT) AS score,
                   {_when(s, 63)} AS responded_at,
                   {rep_id.format(_rep(s, 64, reps))} AS rep_id
            FROM (SELECT range AS i FROM range({size.answers}))""",
    }


def generate(size: Size, folder: Path, seed: int = 7, *, parquet: bool = True) -> Path:
    """Write ``size``'s tables to ``folder/csv/*.csv`` (and ``folder/parquet/*.parquet``)."""
    csv_dir, pq_dir = folder / "csv", folder / "parquet"
    csv_dir.mkdir(parents=True, exist_ok=True)
    pq_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        for table, sql in queries(size, seed).items():
            # deal_items are read from the deals just made, so items always agree with deals.
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")
            con.execute(f"COPY {table} TO '{csv_dir / (table + '.csv')}' (HEADER, DELIMITER ',')")
            if parquet:
                con.execute(f"COPY {table} TO '{pq_dir / (table + '.parquet')}' (FORMAT parquet)")
            if table not in ("deals",):
                con.execute(f"DROP TABLE {table}")
    finally:
        con.close()
    (folder / "DONE").write_text(f"{size.name} seed={seed}\n")
    return folder

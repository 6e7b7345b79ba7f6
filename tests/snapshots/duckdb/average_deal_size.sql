SELECT
  "t1"."rep",
  SUM("t1"."amount") AS "total",
  COUNT(*) AS "n",
  SUM(POWER(CAST("t1"."amount" AS DOUBLE), 2)) AS "sum_squares"
FROM (
  SELECT
    "t0"."deal_id",
    "t0"."rep_id" AS "rep",
    CAST(NULL AS TEXT) AS "team",
    "t0"."source",
    "t0"."pipeline",
    "t0"."account",
    "t0"."stage",
    CAST(NULL AS TEXT) AS "segment",
    CAST(NULL AS TEXT) AS "industry",
    CAST(NULL AS TEXT) AS "region",
    "t0"."lost_reason",
    "t0"."status",
    "t0"."created_at",
    "t0"."closed_at",
    "t0"."closed_at" AS "at",
    "t0"."amount" AS "amount_raw",
    "t0"."currency",
    CAST(1.000000 AS DECIMAL(18, 6)) AS "rate",
    "t0"."amount"
  FROM "deals" AS "t0"
  WHERE
    "t0"."status" = 'won'
    AND "t0"."closed_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
    AND "t0"."closed_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
) AS "t1"
GROUP BY
  1

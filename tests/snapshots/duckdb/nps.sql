SELECT
  "t1"."rep",
  SUM(CAST("t1"."score" >= 9 AS BIGINT)) AS "promoters",
  SUM(CAST("t1"."score" <= 6 AS BIGINT)) AS "detractors",
  COUNT(*) AS "n"
FROM (
  SELECT
    "t0"."response_id",
    "t0"."rep_id" AS "rep",
    CAST(NULL AS TEXT) AS "team",
    "t0"."score",
    "t0"."responded_at" AS "at",
    "t0"."account"
  FROM "nps_responses" AS "t0"
  WHERE
    "t0"."responded_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
    AND "t0"."responded_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
) AS "t1"
GROUP BY
  1

SELECT
  "t1"."rep",
  SUM(CAST(CAST("t1"."score" >= 9 AS INT) AS BIGINT)) AS "promoters",
  SUM(CAST(CAST("t1"."score" <= 6 AS INT) AS BIGINT)) AS "detractors",
  COUNT(*) AS "n"
FROM (
  SELECT
    "t0"."response_id",
    "t0"."rep_id" AS "rep",
    CAST(NULL AS VARCHAR) AS "team",
    "t0"."score",
    "t0"."responded_at" AS "at",
    "t0"."account"
  FROM "nps_responses" AS "t0"
  WHERE
    "t0"."responded_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND "t0"."responded_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS "t1"
GROUP BY
  1

SELECT
  "t1"."rep",
  COUNT(*) AS "value",
  COUNT(*) AS "n"
FROM (
  SELECT
    "t0"."activity_id",
    "t0"."rep_id" AS "rep",
    CAST(NULL AS TEXT) AS "team",
    LOWER("t0"."type") AS "activity_type",
    "t0"."occurred_at" AS "at",
    "t0"."deal_id"
  FROM "activities" AS "t0"
  WHERE
    "t0"."occurred_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
    AND "t0"."occurred_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
) AS "t1"
GROUP BY
  1

SELECT
  "t5"."rep",
  COUNT(*) AS "value",
  COUNT(*) AS "n"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t2"."activity_id",
      "t2"."rep_id" AS "rep",
      "t3"."team",
      LOWER("t2"."type") AS "activity_type",
      "t2"."occurred_at" AS "at",
      "t2"."deal_id"
    FROM "activities" AS "t2"
    LEFT OUTER JOIN "reps" AS "t3"
      ON "t2"."rep_id" = "t3"."rep_id"
  ) AS "t4"
  WHERE
    "t4"."at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
    AND "t4"."at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
) AS "t5"
GROUP BY
  1

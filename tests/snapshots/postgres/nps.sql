SELECT
  "t5"."rep",
  SUM(CAST(CAST("t5"."score" >= 9 AS INT) AS BIGINT)) AS "promoters",
  SUM(CAST(CAST("t5"."score" <= 6 AS INT) AS BIGINT)) AS "detractors",
  COUNT(*) AS "n"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t2"."response_id",
      "t2"."rep_id" AS "rep",
      "t3"."team",
      "t2"."score",
      "t2"."responded_at" AS "at",
      "t2"."account"
    FROM "nps_responses" AS "t2"
    LEFT OUTER JOIN "reps" AS "t3"
      ON "t2"."rep_id" = "t3"."rep_id"
  ) AS "t4"
  WHERE
    "t4"."at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND "t4"."at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS "t5"
GROUP BY
  1

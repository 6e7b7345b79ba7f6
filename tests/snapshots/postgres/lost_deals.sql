SELECT
  "t6"."lost_reason",
  "t6"."rep",
  COUNT(*) AS "value",
  COUNT(*) AS "n"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t4"."deal_id",
      "t4"."rep",
      "t4"."team",
      "t4"."source",
      "t4"."pipeline",
      "t4"."account",
      "t4"."stage",
      "t4"."segment",
      "t4"."industry",
      "t4"."region",
      "t4"."lost_reason",
      "t4"."status",
      "t4"."created_at",
      "t4"."closed_at",
      "t4"."at",
      "t4"."currency"
    FROM (
      SELECT
        "t2"."deal_id",
        "t2"."rep_id" AS "rep",
        "t3"."team",
        "t2"."source",
        "t2"."pipeline",
        "t2"."account",
        "t2"."stage",
        CAST(NULL AS VARCHAR) AS "segment",
        CAST(NULL AS VARCHAR) AS "industry",
        CAST(NULL AS VARCHAR) AS "region",
        "t2"."lost_reason",
        "t2"."status",
        "t2"."created_at",
        "t2"."closed_at",
        "t2"."closed_at" AS "at",
        "t2"."amount" AS "amount_raw",
        "t2"."currency"
      FROM "deals" AS "t2"
      LEFT OUTER JOIN "reps" AS "t3"
        ON "t2"."rep_id" = "t3"."rep_id"
    ) AS "t4"
  ) AS "t5"
  WHERE
    "t5"."status" = 'lost'
    AND "t5"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND "t5"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS "t6"
GROUP BY
  1,
  2

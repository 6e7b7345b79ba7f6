SELECT
  "t9"."product",
  "t9"."rep",
  SUM("t9"."revenue") AS "value",
  COUNT(DISTINCT "t9"."deal_id") AS "n"
FROM (
  SELECT
    "t8"."deal_id",
    "t8"."rep",
    "t8"."team",
    "t8"."source",
    "t8"."pipeline",
    "t8"."segment",
    "t8"."industry",
    "t8"."region",
    "t8"."at",
    "t3"."product_id" AS "product",
    CAST(ROUND(CAST("t3"."quantity" * "t3"."unit_price" AS DECIMAL), 2) AS DECIMAL(18, 2)) AS "revenue"
  FROM "deal_items" AS "t3"
  INNER JOIN (
    SELECT
      "t6"."deal_id",
      "t6"."rep",
      "t6"."team",
      "t6"."source",
      "t6"."pipeline",
      "t6"."account",
      "t6"."stage",
      "t6"."segment",
      "t6"."industry",
      "t6"."region",
      "t6"."lost_reason",
      "t6"."status",
      "t6"."created_at",
      "t6"."closed_at",
      "t6"."at",
      "t6"."amount_raw",
      "t6"."currency",
      CAST('1.000000' AS DECIMAL(18, 6)) AS "rate",
      "t6"."amount_raw" AS "amount"
    FROM (
      SELECT
        "t4"."deal_id",
        "t4"."rep_id" AS "rep",
        "t5"."team",
        "t4"."source",
        "t4"."pipeline",
        "t4"."account",
        "t4"."stage",
        CAST(NULL AS VARCHAR) AS "segment",
        CAST(NULL AS VARCHAR) AS "industry",
        CAST(NULL AS VARCHAR) AS "region",
        "t4"."lost_reason",
        "t4"."status",
        "t4"."created_at",
        "t4"."closed_at",
        "t4"."closed_at" AS "at",
        "t4"."amount" AS "amount_raw",
        "t4"."currency"
      FROM "deals" AS "t4"
      LEFT OUTER JOIN "reps" AS "t5"
        ON "t4"."rep_id" = "t5"."rep_id"
    ) AS "t6"
    WHERE
      "t6"."status" = 'won'
      AND "t6"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
      AND "t6"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
  ) AS "t8"
    ON "t3"."deal_id" = "t8"."deal_id"
) AS "t9"
GROUP BY
  1,
  2

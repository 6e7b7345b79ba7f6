SELECT
  COALESCE("t16"."rep", "t13"."rep") AS "rep",
  "t16"."quota",
  "t16"."partial",
  "t13"."revenue",
  "t13"."n"
FROM (
  SELECT
    "t14"."rep",
    SUM("t14"."share") AS "quota",
    MAX("t14"."partial") AS "partial"
  FROM (
    SELECT
      "t11"."rep",
      COALESCE("t11"."team", '') AS "team",
      "t11"."start",
      "t11"."end",
      "t11"."amount_raw",
      "t11"."currency",
      "t11"."span_start",
      "t11"."span_end",
      "t11"."days",
      "t11"."total_days",
      CAST((
        "t11"."amount_raw" * "t11"."days"
      ) AS DOUBLE PRECISION) / "t11"."total_days" AS "share",
      CAST(CAST("t11"."days" < "t11"."total_days" AS INT) AS BIGINT) AS "partial"
    FROM (
      SELECT
        "t8"."rep",
        "t8"."team",
        "t8"."start",
        "t8"."end",
        "t8"."amount_raw",
        "t8"."currency",
        "t8"."span_start",
        "t8"."span_end",
        CAST(EXTRACT(epoch FROM CAST(LEAST("t8"."end" + INTERVAL '1 DAY', "t8"."span_end") AS TIMESTAMP) - CAST(GREATEST("t8"."start", "t8"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) AS "days",
        CAST(EXTRACT(epoch FROM CAST("t8"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t8"."start" AS TIMESTAMP)) / 86400 AS BIGINT) AS "total_days"
      FROM (
        SELECT
          "t4"."rep_id" AS "rep",
          COALESCE("t4"."team", "t6"."team") AS "team",
          "t4"."period_start" AS "start",
          "t4"."period_end" AS "end",
          "t4"."amount" AS "amount_raw",
          "t4"."currency",
          "t7"."span_start",
          "t7"."span_end"
        FROM "quotas" AS "t4"
        LEFT OUTER JOIN "reps" AS "t6"
          ON "t4"."rep_id" = "t6"."rep_id"
        CROSS JOIN "memtable_1" AS "t7"
      ) AS "t8"
      WHERE
        CAST(EXTRACT(epoch FROM CAST(LEAST("t8"."end" + INTERVAL '1 DAY', "t8"."span_end") AS TIMESTAMP) - CAST(GREATEST("t8"."start", "t8"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) > 0
    ) AS "t11"
    WHERE
      "t11"."rep" IS NOT NULL
  ) AS "t14"
  GROUP BY
    1
) AS "t16"
FULL OUTER JOIN (
  SELECT
    "t10"."rep",
    SUM("t10"."amount") AS "revenue",
    COUNT(*) AS "n"
  FROM (
    SELECT
      "t9"."deal_id",
      "t9"."rep",
      COALESCE("t9"."team", '') AS "team",
      "t9"."source",
      "t9"."pipeline",
      "t9"."status",
      "t9"."created_at",
      "t9"."closed_at",
      "t9"."at",
      "t9"."amount_raw",
      "t9"."currency",
      CAST('1.000000' AS DECIMAL(18, 6)) AS "rate",
      "t9"."amount_raw" AS "amount"
    FROM (
      SELECT
        "t5"."deal_id",
        "t5"."rep_id" AS "rep",
        "t6"."team",
        "t5"."source",
        "t5"."pipeline",
        "t5"."status",
        "t5"."created_at",
        "t5"."closed_at",
        "t5"."closed_at" AS "at",
        "t5"."amount" AS "amount_raw",
        "t5"."currency"
      FROM "deals" AS "t5"
      LEFT OUTER JOIN "reps" AS "t6"
        ON "t5"."rep_id" = "t6"."rep_id"
    ) AS "t9"
    WHERE
      "t9"."status" = 'won'
      AND "t9"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
      AND "t9"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
  ) AS "t10"
  GROUP BY
    1
) AS "t13"
  ON "t16"."rep" = "t13"."rep"

WITH "t6" AS (
  SELECT
    "t3"."rep_id" AS "rep",
    COALESCE("t3"."team", "t4"."team") AS "team",
    "t3"."period_start" AS "start",
    "t3"."period_end" AS "end",
    "t3"."amount" AS "amount_raw",
    "t3"."currency"
  FROM "quotas" AS "t3"
  LEFT OUTER JOIN "reps" AS "t4"
    ON "t3"."rep_id" = "t4"."rep_id"
), "t9" AS (
  SELECT
    "t7"."deal_id",
    "t7"."rep",
    COALESCE("t7"."team", '') AS "team",
    "t7"."source",
    "t7"."pipeline",
    "t7"."account",
    "t7"."stage",
    "t7"."segment",
    "t7"."industry",
    "t7"."region",
    "t7"."lost_reason",
    "t7"."status",
    "t7"."created_at",
    "t7"."closed_at",
    "t7"."at",
    "t7"."amount_raw",
    "t7"."currency",
    CAST(1.000000 AS DECIMAL(18, 6)) AS "rate",
    "t7"."amount_raw" AS "amount"
  FROM (
    SELECT
      "t5"."deal_id",
      "t5"."rep_id" AS "rep",
      "t4"."team",
      "t5"."source",
      "t5"."pipeline",
      "t5"."account",
      "t5"."stage",
      CAST(NULL AS TEXT) AS "segment",
      CAST(NULL AS TEXT) AS "industry",
      CAST(NULL AS TEXT) AS "region",
      "t5"."lost_reason",
      "t5"."status",
      "t5"."created_at",
      "t5"."closed_at",
      "t5"."closed_at" AS "at",
      "t5"."amount" AS "amount_raw",
      "t5"."currency"
    FROM "deals" AS "t5"
    LEFT OUTER JOIN "reps" AS "t4"
      ON "t5"."rep_id" = "t4"."rep_id"
  ) AS "t7"
  WHERE
    "t7"."status" = 'won'
    AND "t7"."closed_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
    AND "t7"."closed_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
)
SELECT
  COALESCE("t19"."rep", "t21"."rep") AS "rep",
  "t19"."quota",
  "t19"."partial",
  "t21"."revenue",
  "t21"."n",
  "t21"."unquoted"
FROM (
  SELECT
    "t16"."rep",
    SUM("t16"."share") AS "quota",
    MAX("t16"."partial") AS "partial"
  FROM (
    SELECT
      "t14"."rep",
      COALESCE("t14"."team", '') AS "team",
      "t14"."start",
      "t14"."end",
      "t14"."amount_raw",
      "t14"."currency",
      "t14"."span_start",
      "t14"."span_end",
      "t14"."days",
      "t14"."total_days",
      (
        "t14"."amount_raw" * "t14"."days"
      ) / "t14"."total_days" AS "share",
      CAST("t14"."days" < "t14"."total_days" AS BIGINT) AS "partial"
    FROM (
      SELECT
        "t8"."rep",
        "t8"."team",
        "t8"."start",
        "t8"."end",
        "t8"."amount_raw",
        "t8"."currency",
        MAKE_DATE(2026, 10, 1) AS "span_start",
        MAKE_DATE(2026, 11, 1) AS "span_end",
        DATE_DIFF(
          'DAY',
          GREATEST("t8"."start", MAKE_DATE(2026, 10, 1)),
          LEAST("t8"."end" + INTERVAL '1' DAY, MAKE_DATE(2026, 11, 1))
        ) AS "days",
        DATE_DIFF('DAY', "t8"."start", "t8"."end" + INTERVAL '1' DAY) AS "total_days"
      FROM "t6" AS "t8"
      WHERE
        "t8"."amount_raw" > 0
        AND DATE_DIFF(
          'DAY',
          GREATEST("t8"."start", MAKE_DATE(2026, 10, 1)),
          LEAST("t8"."end" + INTERVAL '1' DAY, MAKE_DATE(2026, 11, 1))
        ) > 0
    ) AS "t14"
    WHERE
      "t14"."rep" IS NOT NULL
  ) AS "t16"
  GROUP BY
    1
) AS "t19"
FULL OUTER JOIN (
  SELECT
    "t17"."rep",
    SUM("t17"."amount") AS "revenue",
    COUNT(*) AS "n",
    COUNT(*) FILTER(WHERE
      NOT (
        "t17"."covered"
      )) AS "unquoted"
  FROM (
    SELECT
      "t11"."deal_id",
      "t11"."rep",
      "t11"."team",
      "t11"."source",
      "t11"."pipeline",
      "t11"."account",
      "t11"."stage",
      "t11"."segment",
      "t11"."industry",
      "t11"."region",
      "t11"."lost_reason",
      "t11"."status",
      "t11"."created_at",
      "t11"."closed_at",
      "t11"."at",
      "t11"."amount_raw",
      "t11"."currency",
      "t11"."rate",
      "t11"."amount",
      "t11"."deal_id" IN (
        SELECT
          "t13"."deal_id"
        FROM "t9" AS "t13"
        INNER JOIN (
          SELECT
            "t8"."rep" AS "q_rep",
            "t8"."start" AS "q_start",
            "t8"."end" AS "q_end"
          FROM "t6" AS "t8"
          WHERE
            "t8"."amount_raw" > 0
            AND "t8"."start" < MAKE_DATE(2026, 11, 1)
            AND "t8"."end" >= MAKE_DATE(2026, 10, 1)
            AND "t8"."rep" IS NOT NULL
        ) AS "t12"
          ON "t13"."rep" = "t12"."q_rep"
          AND "t12"."q_start" <= CAST("t13"."closed_at" AS DATE)
          AND "t12"."q_end" >= CAST("t13"."closed_at" AS DATE)
      ) AS "covered"
    FROM "t9" AS "t11"
  ) AS "t17"
  GROUP BY
    1
) AS "t21"
  ON "t19"."rep" = "t21"."rep"

WITH "t9" AS (
  SELECT
    "t0"."rep_id" AS "rep",
    "t0"."team",
    "t0"."name",
    "t0"."hired_on"
  FROM "reps" AS "t0"
  WHERE
    "t0"."hired_on" IS NOT NULL
    AND "t0"."hired_on" >= DATE(
      (
        SELECT
          MIN("t1"."created_at") AS "Min(created_at)"
        FROM "deals" AS "t1"
      )
    )
    AND "t0"."hired_on" < MAKE_DATE(2026, 11, 1)
), "t14" AS (
  SELECT
    "t13"."rep",
    "t13"."month",
    SUM("t13"."amount") AS "revenue"
  FROM (
    SELECT
      "t7"."deal_id",
      "t7"."rep",
      "t7"."team",
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
      CAST('1.000000' AS DECIMAL(18, 6)) AS "rate",
      "t7"."amount_raw" AS "amount",
      DATE(DATE_TRUNC('MONTH', "t7"."closed_at")) AS "month"
    FROM (
      SELECT
        "t4"."deal_id",
        "t4"."rep_id" AS "rep",
        "t3"."team",
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
      LEFT OUTER JOIN "reps" AS "t3"
        ON "t4"."rep_id" = "t3"."rep_id"
    ) AS "t7"
    WHERE
      "t7"."status" = 'won'
      AND "t7"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
  ) AS "t13"
  GROUP BY
    1,
    2
)
SELECT
  "t46"."rep",
  SUM("t46"."days") FILTER(WHERE
    "t46"."ramped") AS "ramped_days",
  SUM(POW(CAST("t46"."days" AS DOUBLE PRECISION), 2)) FILTER(WHERE
    "t46"."ramped") AS "ramped_squares",
  SUM(CAST(CAST("t46"."ramped" AS INT) AS BIGINT)) AS "n",
  SUM(CAST(CAST(NOT (
    "t46"."ramped"
  ) AS INT) AS BIGINT)) AS "ramping",
  MAX("t46"."days") FILTER(WHERE
    NOT (
      "t46"."ramped"
    )) AS "ramping_days"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t44"."rep",
      "t44"."team",
      "t44"."name",
      "t44"."hired_on",
      "t44"."productive_month",
      "t44"."confirmed_month",
      (
        "t44"."confirmed_month" IS NOT NULL
      )
      AND (
        "t44"."confirmed_month" < MAKE_DATE(2026, 11, 1)
      ) AS "ramped",
      (
        "t44"."confirmed_month" IS NOT NULL
      )
      AND (
        "t44"."confirmed_month" < MAKE_DATE(2026, 11, 1)
      )
      AND (
        (
          (
            "t44"."confirmed_month" + INTERVAL '1 MONTH'
          ) - INTERVAL '1 DAY'
        ) >= MAKE_DATE(2026, 10, 1)
      ) AS "ramped_now",
      CASE
        WHEN (
          "t44"."confirmed_month" IS NOT NULL
        )
        AND (
          "t44"."confirmed_month" < MAKE_DATE(2026, 11, 1)
        )
        THEN CAST(EXTRACT(epoch FROM CAST((
          "t44"."productive_month" + INTERVAL '1 MONTH'
        ) - INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t44"."hired_on" AS TIMESTAMP)) / 86400 AS BIGINT)
        ELSE CAST(EXTRACT(epoch FROM CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST("t44"."hired_on" AS TIMESTAMP)) / 86400 AS BIGINT)
      END AS "days",
      CAST('2026-10-01T00:00:00' AS TIMESTAMP) AS "at"
    FROM (
      SELECT
        "t43"."rep",
        "t43"."team",
        "t43"."name",
        "t43"."hired_on",
        "t43"."productive_month",
        "t43"."confirmed_month"
      FROM (
        SELECT
          "t12"."rep",
          "t12"."team",
          "t12"."name",
          "t12"."hired_on",
          "t42"."rep" AS "rep_right",
          "t42"."productive_month",
          "t42"."confirmed_month"
        FROM "t9" AS "t12"
        LEFT OUTER JOIN (
          SELECT
            "t40"."rep",
            MIN("t40"."first_hit") AS "productive_month",
            MIN("t40"."month") AS "confirmed_month"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t38"."rep",
                "t38"."team",
                "t38"."name",
                "t38"."hired_on",
                "t38"."month",
                "t38"."revenue",
                "t38"."quota",
                "t38"."any_quota",
                "t38"."hit",
                SUM(CAST(CAST("t38"."hit" AS INT) AS BIGINT)) OVER (
                  PARTITION BY "t38"."rep"
                  ORDER BY "t38"."month" ASC
                  ROWS BETWEEN 2 preceding AND CURRENT ROW
                ) AS "hits",
                MIN(CASE WHEN "t38"."hit" THEN "t38"."month" ELSE CAST(NULL AS DATE) END) OVER (
                  PARTITION BY "t38"."rep"
                  ORDER BY "t38"."month" ASC
                  ROWS BETWEEN 2 preceding AND CURRENT ROW
                ) AS "first_hit"
              FROM (
                SELECT
                  "t37"."rep",
                  "t37"."team",
                  "t37"."name",
                  "t37"."hired_on",
                  "t37"."month",
                  "t37"."revenue",
                  "t37"."quota",
                  "t37"."any_quota",
                  COALESCE(
                    CASE
                      WHEN "t37"."any_quota" = 1
                      THEN (
                        "t37"."quota" > 0
                      )
                      AND (
                        CAST(COALESCE("t37"."revenue", 0) AS DOUBLE PRECISION) >= (
                          "t37"."quota" * 0.999999999999
                        )
                      )
                      ELSE (
                        CAST(COALESCE("t37"."revenue", 0) AS DOUBLE PRECISION) > 0
                      )
                      AND (
                        CAST(COALESCE("t37"."revenue", 0) AS DOUBLE PRECISION) >= (
                          (
                            SELECT
                              *
                            FROM (
                              SELECT
                                CASE
                                  WHEN PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                    CAST("t25"."revenue" AS DOUBLE PRECISION)) > 0
                                  THEN PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                    CAST("t25"."revenue" AS DOUBLE PRECISION))
                                  ELSE CAST(NULL AS DOUBLE PRECISION)
                                END AS "bar"
                              FROM (
                                SELECT
                                  *
                                FROM (
                                  SELECT
                                    "t17"."rep",
                                    "t17"."month",
                                    "t17"."revenue",
                                    "t3"."rep_id",
                                    "t3"."name",
                                    "t3"."team",
                                    "t3"."hired_on"
                                  FROM "t14" AS "t17"
                                  INNER JOIN "reps" AS "t3"
                                    ON "t17"."rep" = "t3"."rep_id"
                                ) AS "t22"
                                WHERE
                                  "t22"."hired_on" IS NOT NULL
                                  AND "t22"."month" >= (
                                    "t22"."hired_on" + INTERVAL '12 MONTH'
                                  )
                              ) AS "t25"
                            ) AS "t30"
                          ) * 0.999999999999
                        )
                      )
                    END,
                    FALSE
                  ) AS "hit"
                FROM (
                  SELECT
                    "t36"."rep",
                    "t36"."team",
                    "t36"."name",
                    "t36"."hired_on",
                    "t36"."month",
                    "t36"."revenue",
                    "t36"."quota",
                    MAX(CAST(CAST("t36"."quota" IS NOT NULL AS INT) AS BIGINT)) OVER (PARTITION BY "t36"."rep" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS "any_quota"
                  FROM (
                    SELECT
                      "t35"."rep",
                      "t35"."team",
                      "t35"."name",
                      "t35"."hired_on",
                      "t35"."month",
                      "t35"."revenue",
                      "t35"."quota"
                    FROM (
                      SELECT
                        "t29"."rep",
                        "t29"."team",
                        "t29"."name",
                        "t29"."hired_on",
                        "t29"."month",
                        "t29"."revenue",
                        "t34"."rep" AS "rep_right",
                        "t34"."month" AS "month_right",
                        "t34"."quota"
                      FROM (
                        SELECT
                          "t26"."rep",
                          "t26"."team",
                          "t26"."name",
                          "t26"."hired_on",
                          "t26"."month",
                          "t26"."revenue"
                        FROM (
                          SELECT
                            "t24"."rep",
                            "t24"."team",
                            "t24"."name",
                            "t24"."hired_on",
                            "t24"."month",
                            "t16"."rep" AS "rep_right",
                            "t16"."month" AS "month_right",
                            "t16"."revenue"
                          FROM (
                            SELECT
                              "t19"."rep",
                              "t19"."team",
                              "t19"."name",
                              "t19"."hired_on",
                              DATE("t19"."month") AS "month"
                            FROM (
                              SELECT
                                "t10"."rep",
                                "t10"."team",
                                "t10"."name",
                                "t10"."hired_on",
                                UNNEST(
                                  CASE
                                    WHEN NULLIF(INTERVAL '1 MONTH', MAKE_INTERVAL()) IS NOT NULL
                                    AND CASE
                                      WHEN INTERVAL '1 MONTH' = MAKE_INTERVAL()
                                      THEN 0
                                      WHEN INTERVAL '1 MONTH' < MAKE_INTERVAL()
                                      THEN -1
                                      WHEN INTERVAL '1 MONTH' > MAKE_INTERVAL()
                                      THEN 1
                                      ELSE NULL
                                    END = CASE
                                      WHEN (
                                        CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(GREATEST(
                                          DATE_TRUNC('MONTH', "t10"."hired_on"),
                                          DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                                        ) AS TIMESTAMP)
                                      ) = MAKE_INTERVAL()
                                      THEN 0
                                      WHEN (
                                        CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(GREATEST(
                                          DATE_TRUNC('MONTH', "t10"."hired_on"),
                                          DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                                        ) AS TIMESTAMP)
                                      ) < MAKE_INTERVAL()
                                      THEN -1
                                      WHEN (
                                        CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(GREATEST(
                                          DATE_TRUNC('MONTH', "t10"."hired_on"),
                                          DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                                        ) AS TIMESTAMP)
                                      ) > MAKE_INTERVAL()
                                      THEN 1
                                      ELSE NULL
                                    END
                                    THEN ARRAY_REMOVE(
                                      ARRAY(SELECT
                                        *
                                      FROM GENERATE_SERIES(
                                        CAST(GREATEST(
                                          DATE_TRUNC('MONTH', "t10"."hired_on"),
                                          DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                                        ) AS TIMESTAMP),
                                        CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
                                        INTERVAL '1 MONTH'
                                      )),
                                      CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP)
                                    )
                                    ELSE CAST(ARRAY[] AS TIMESTAMP[])
                                  END
                                ) AS "month"
                              FROM "t9" AS "t10"
                            ) AS "t19"
                          ) AS "t24"
                          LEFT OUTER JOIN "t14" AS "t16"
                            ON "t24"."rep" = "t16"."rep" AND "t24"."month" = "t16"."month"
                        ) AS "t26"
                      ) AS "t29"
                      LEFT OUTER JOIN (
                        SELECT
                          "t31"."rep",
                          "t31"."span_start" AS "month",
                          SUM("t31"."share") AS "quota"
                        FROM (
                          SELECT
                            "t28"."rep",
                            "t28"."team",
                            "t28"."start",
                            "t28"."end",
                            "t28"."amount_raw",
                            "t28"."currency",
                            "t28"."span_start",
                            "t28"."span_end",
                            "t28"."days",
                            "t28"."total_days",
                            CAST((
                              "t28"."amount_raw" * "t28"."days"
                            ) AS DOUBLE PRECISION) / "t28"."total_days" AS "share",
                            CAST(CAST("t28"."days" < "t28"."total_days" AS INT) AS BIGINT) AS "partial"
                          FROM (
                            SELECT
                              "t23"."rep",
                              "t23"."team",
                              "t23"."start",
                              "t23"."end",
                              "t23"."amount_raw",
                              "t23"."currency",
                              "t23"."span_start",
                              "t23"."span_start" + INTERVAL '1 MONTH' AS "span_end",
                              CAST(EXTRACT(epoch FROM CAST(LEAST("t23"."end" + INTERVAL '1 DAY', "t23"."span_start" + INTERVAL '1 MONTH') AS TIMESTAMP) - CAST(GREATEST("t23"."start", "t23"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) AS "days",
                              CAST(EXTRACT(epoch FROM CAST("t23"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t23"."start" AS TIMESTAMP)) / 86400 AS BIGINT) AS "total_days"
                            FROM (
                              SELECT
                                "t20"."rep",
                                "t20"."team",
                                "t20"."start",
                                "t20"."end",
                                "t20"."amount_raw",
                                "t20"."currency",
                                "t20"."span_start"
                              FROM (
                                SELECT
                                  "t18"."rep",
                                  "t18"."team",
                                  "t18"."start",
                                  "t18"."end",
                                  "t18"."amount_raw",
                                  "t18"."currency",
                                  "t18"."span_at",
                                  DATE("t18"."span_at") AS "span_start"
                                FROM (
                                  SELECT
                                    "t11"."rep",
                                    "t11"."team",
                                    "t11"."start",
                                    "t11"."end",
                                    "t11"."amount_raw",
                                    "t11"."currency",
                                    UNNEST(
                                      CASE
                                        WHEN NULLIF(INTERVAL '1 MONTH', MAKE_INTERVAL()) IS NOT NULL
                                        AND CASE
                                          WHEN INTERVAL '1 MONTH' = MAKE_INTERVAL()
                                          THEN 0
                                          WHEN INTERVAL '1 MONTH' < MAKE_INTERVAL()
                                          THEN -1
                                          WHEN INTERVAL '1 MONTH' > MAKE_INTERVAL()
                                          THEN 1
                                          ELSE NULL
                                        END = CASE
                                          WHEN (
                                            CAST("t11"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t11"."start") AS TIMESTAMP)
                                          ) = MAKE_INTERVAL()
                                          THEN 0
                                          WHEN (
                                            CAST("t11"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t11"."start") AS TIMESTAMP)
                                          ) < MAKE_INTERVAL()
                                          THEN -1
                                          WHEN (
                                            CAST("t11"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t11"."start") AS TIMESTAMP)
                                          ) > MAKE_INTERVAL()
                                          THEN 1
                                          ELSE NULL
                                        END
                                        THEN ARRAY_REMOVE(
                                          ARRAY(SELECT
                                            *
                                          FROM GENERATE_SERIES(
                                            CAST(DATE_TRUNC('MONTH', "t11"."start") AS TIMESTAMP),
                                            CAST("t11"."end" + INTERVAL '1 DAY' AS TIMESTAMP),
                                            INTERVAL '1 MONTH'
                                          )),
                                          CAST("t11"."end" + INTERVAL '1 DAY' AS TIMESTAMP)
                                        )
                                        ELSE CAST(ARRAY[] AS TIMESTAMP[])
                                      END
                                    ) AS "span_at"
                                  FROM (
                                    SELECT
                                      *
                                    FROM (
                                      SELECT
                                        "t5"."rep_id" AS "rep",
                                        COALESCE("t5"."team", "t3"."team") AS "team",
                                        "t5"."period_start" AS "start",
                                        "t5"."period_end" AS "end",
                                        "t5"."amount" AS "amount_raw",
                                        "t5"."currency"
                                      FROM "quotas" AS "t5"
                                      LEFT OUTER JOIN "reps" AS "t3"
                                        ON "t5"."rep_id" = "t3"."rep_id"
                                    ) AS "t8"
                                    WHERE
                                      "t8"."rep" IS NOT NULL
                                  ) AS "t11"
                                ) AS "t18"
                              ) AS "t20"
                            ) AS "t23"
                            WHERE
                              CAST(EXTRACT(epoch FROM CAST(LEAST("t23"."end" + INTERVAL '1 DAY', "t23"."span_start" + INTERVAL '1 MONTH') AS TIMESTAMP) - CAST(GREATEST("t23"."start", "t23"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) > 0
                          ) AS "t28"
                        ) AS "t31"
                        GROUP BY
                          1,
                          2
                      ) AS "t34"
                        ON "t29"."rep" = "t34"."rep" AND "t29"."month" = "t34"."month"
                    ) AS "t35"
                  ) AS "t36"
                ) AS "t37"
              ) AS "t38"
            ) AS "t39"
            WHERE
              "t39"."hits" >= 2
          ) AS "t40"
          GROUP BY
            1
        ) AS "t42"
          ON "t12"."rep" = "t42"."rep"
      ) AS "t43"
    ) AS "t44"
  ) AS "t45"
  WHERE
    "t45"."ramped_now" OR NOT (
      "t45"."ramped"
    )
) AS "t46"
GROUP BY
  1

WITH "t29" AS (
  SELECT
    "t27"."rep",
    "t27"."span_start" AS "month",
    SUM("t27"."share") AS "quota"
  FROM (
    SELECT
      "t25"."rep",
      "t25"."team",
      "t25"."start",
      "t25"."end",
      "t25"."amount_raw",
      "t25"."currency",
      "t25"."span_start",
      "t25"."span_end",
      "t25"."days",
      "t25"."total_days",
      CAST((
        "t25"."amount_raw" * "t25"."days"
      ) AS DOUBLE PRECISION) / "t25"."total_days" AS "share",
      CAST(CAST("t25"."days" < "t25"."total_days" AS INT) AS BIGINT) AS "partial"
    FROM (
      SELECT
        "t21"."rep",
        "t21"."team",
        "t21"."start",
        "t21"."end",
        "t21"."amount_raw",
        "t21"."currency",
        "t21"."span_start",
        "t21"."span_start" + INTERVAL '1 MONTH' AS "span_end",
        CAST(EXTRACT(epoch FROM CAST(LEAST("t21"."end" + INTERVAL '1 DAY', "t21"."span_start" + INTERVAL '1 MONTH') AS TIMESTAMP) - CAST(GREATEST("t21"."start", "t21"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) AS "days",
        CAST(EXTRACT(epoch FROM CAST("t21"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t21"."start" AS TIMESTAMP)) / 86400 AS BIGINT) AS "total_days"
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
            "t17"."rep",
            "t17"."team",
            "t17"."start",
            "t17"."end",
            "t17"."amount_raw",
            "t17"."currency",
            "t17"."span_at",
            DATE("t17"."span_at") AS "span_start"
          FROM (
            SELECT
              "t13"."rep",
              "t13"."team",
              "t13"."start",
              "t13"."end",
              "t13"."amount_raw",
              "t13"."currency",
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
                      CAST("t13"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t13"."start") AS TIMESTAMP)
                    ) = MAKE_INTERVAL()
                    THEN 0
                    WHEN (
                      CAST("t13"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t13"."start") AS TIMESTAMP)
                    ) < MAKE_INTERVAL()
                    THEN -1
                    WHEN (
                      CAST("t13"."end" + INTERVAL '1 DAY' AS TIMESTAMP) - CAST(DATE_TRUNC('MONTH', "t13"."start") AS TIMESTAMP)
                    ) > MAKE_INTERVAL()
                    THEN 1
                    ELSE NULL
                  END
                  THEN ARRAY_REMOVE(
                    ARRAY(SELECT
                      *
                    FROM GENERATE_SERIES(
                      CAST(DATE_TRUNC('MONTH', "t13"."start") AS TIMESTAMP),
                      CAST("t13"."end" + INTERVAL '1 DAY' AS TIMESTAMP),
                      INTERVAL '1 MONTH'
                    )),
                    CAST("t13"."end" + INTERVAL '1 DAY' AS TIMESTAMP)
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
            ) AS "t13"
          ) AS "t17"
        ) AS "t20"
      ) AS "t21"
      WHERE
        CAST(EXTRACT(epoch FROM CAST(LEAST("t21"."end" + INTERVAL '1 DAY', "t21"."span_start" + INTERVAL '1 MONTH') AS TIMESTAMP) - CAST(GREATEST("t21"."start", "t21"."span_start") AS TIMESTAMP)) / 86400 AS BIGINT) > 0
    ) AS "t25"
  ) AS "t27"
  GROUP BY
    1,
    2
)
SELECT
  "t51"."rep",
  SUM("t51"."days") FILTER(WHERE
    "t51"."ramped") AS "ramped_days",
  SUM(POW(CAST("t51"."days" AS DOUBLE PRECISION), 2)) FILTER(WHERE
    "t51"."ramped") AS "ramped_squares",
  SUM(CAST(CAST("t51"."ramped" AS INT) AS BIGINT)) AS "n",
  SUM(CAST(CAST(NOT (
    "t51"."ramped"
  ) AS INT) AS BIGINT)) AS "ramping",
  MAX("t51"."days") FILTER(WHERE
    NOT (
      "t51"."ramped"
    )) AS "ramping_days"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t49"."rep",
      "t49"."team",
      "t49"."name",
      "t49"."hired_on",
      "t49"."productive_month",
      "t49"."confirmed_month",
      (
        "t49"."confirmed_month" IS NOT NULL
      )
      AND (
        "t49"."confirmed_month" < MAKE_DATE(2026, 11, 1)
      ) AS "ramped",
      (
        "t49"."confirmed_month" IS NOT NULL
      )
      AND (
        "t49"."confirmed_month" < MAKE_DATE(2026, 11, 1)
      )
      AND (
        (
          (
            "t49"."confirmed_month" + INTERVAL '1 MONTH'
          ) - INTERVAL '1 DAY'
        ) >= MAKE_DATE(2026, 10, 1)
      ) AS "ramped_now",
      CASE
        WHEN (
          "t49"."confirmed_month" IS NOT NULL
        )
        AND (
          "t49"."confirmed_month" < MAKE_DATE(2026, 11, 1)
        )
        THEN CAST(EXTRACT(epoch FROM CAST((
          "t49"."productive_month" + INTERVAL '1 MONTH'
        ) - INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t49"."hired_on" AS TIMESTAMP)) / 86400 AS BIGINT)
        ELSE CAST(EXTRACT(epoch FROM CAST(MAKE_DATE(2026, 11, 1) - INTERVAL '1 DAY' AS TIMESTAMP) - CAST("t49"."hired_on" AS TIMESTAMP)) / 86400 AS BIGINT)
      END AS "days",
      CAST('2026-10-01T00:00:00' AS TIMESTAMP) AS "at"
    FROM (
      SELECT
        "t48"."rep",
        "t48"."team",
        "t48"."name",
        "t48"."hired_on",
        "t48"."productive_month",
        "t48"."confirmed_month"
      FROM (
        SELECT
          "t11"."rep",
          "t11"."team",
          "t11"."name",
          "t11"."hired_on",
          "t47"."rep" AS "rep_right",
          "t47"."productive_month",
          "t47"."confirmed_month"
        FROM (
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
        ) AS "t11"
        LEFT OUTER JOIN (
          SELECT
            "t45"."rep",
            MIN("t45"."first_hit") AS "productive_month",
            MIN("t45"."month") AS "confirmed_month"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t43"."rep",
                "t43"."month",
                "t43"."number",
                COUNT("t43"."month") OVER (
                  PARTITION BY "t43"."rep"
                  ORDER BY "t43"."number" ASC
                  RANGE BETWEEN 2 preceding AND CURRENT ROW
                ) AS "hits",
                MIN("t43"."month") OVER (
                  PARTITION BY "t43"."rep"
                  ORDER BY "t43"."number" ASC
                  RANGE BETWEEN 2 preceding AND CURRENT ROW
                ) AS "first_hit"
              FROM (
                SELECT
                  "t42"."rep",
                  "t42"."month",
                  (
                    EXTRACT(year FROM "t42"."month") * 12
                  ) + EXTRACT(month FROM "t42"."month") AS "number"
                FROM (
                  SELECT
                    "t41"."rep",
                    "t41"."month",
                    "t41"."revenue",
                    "t41"."quota",
                    "t41"."any_quota"
                  FROM (
                    SELECT
                      "t36"."rep",
                      "t36"."month",
                      "t36"."revenue",
                      "t36"."quota",
                      "t40"."rep" AS "rep_right",
                      "t40"."any_quota"
                    FROM (
                      SELECT
                        "t34"."rep",
                        "t34"."month",
                        "t34"."revenue",
                        "t34"."quota"
                      FROM (
                        SELECT
                          "t23"."rep",
                          "t23"."month",
                          "t23"."revenue",
                          "t31"."rep" AS "rep_right",
                          "t31"."month" AS "month_right",
                          "t31"."quota"
                        FROM (
                          SELECT
                            "t18"."rep",
                            "t18"."month",
                            "t18"."revenue"
                          FROM (
                            SELECT
                              "t16"."rep",
                              "t16"."month",
                              "t16"."revenue",
                              "t12"."since"
                            FROM (
                              SELECT
                                "t14"."rep",
                                "t14"."month",
                                SUM("t14"."amount") AS "revenue"
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
                              ) AS "t14"
                              GROUP BY
                                1,
                                2
                            ) AS "t16"
                            INNER JOIN (
                              SELECT
                                "t0"."rep_id" AS "rep",
                                GREATEST(
                                  DATE_TRUNC('MONTH', "t0"."hired_on"),
                                  DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                                ) AS "since"
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
                            ) AS "t12"
                              ON "t16"."rep" = "t12"."rep"
                          ) AS "t18"
                          WHERE
                            "t18"."month" >= "t18"."since" AND "t18"."month" < MAKE_DATE(2026, 11, 1)
                        ) AS "t23"
                        LEFT OUTER JOIN "t29" AS "t31"
                          ON "t23"."rep" = "t31"."rep" AND "t23"."month" = "t31"."month"
                      ) AS "t34"
                    ) AS "t36"
                    LEFT OUTER JOIN (
                      SELECT
                        "t38"."rep",
                        TRUE AS "any_quota"
                      FROM (
                        SELECT DISTINCT
                          "t37"."rep"
                        FROM (
                          SELECT
                            "t33"."rep",
                            "t33"."month",
                            "t33"."quota",
                            "t12"."since"
                          FROM (
                            SELECT
                              *
                            FROM "t29" AS "t30"
                            WHERE
                              "t30"."quota" IS NOT NULL
                          ) AS "t33"
                          INNER JOIN (
                            SELECT
                              "t0"."rep_id" AS "rep",
                              GREATEST(
                                DATE_TRUNC('MONTH', "t0"."hired_on"),
                                DATE_TRUNC('MONTH', MAKE_DATE(2026, 11, 1)) - INTERVAL '120 MONTH'
                              ) AS "since"
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
                          ) AS "t12"
                            ON "t33"."rep" = "t12"."rep"
                        ) AS "t37"
                        WHERE
                          "t37"."month" >= "t37"."since" AND "t37"."month" < MAKE_DATE(2026, 11, 1)
                      ) AS "t38"
                    ) AS "t40"
                      ON "t36"."rep" = "t40"."rep"
                  ) AS "t41"
                ) AS "t42"
                WHERE
                  COALESCE(
                    CASE
                      WHEN "t42"."any_quota" IS NOT NULL
                      THEN (
                        "t42"."quota" > 0
                      )
                      AND (
                        CAST("t42"."revenue" AS DOUBLE PRECISION) > 0
                      )
                      AND (
                        CAST("t42"."revenue" AS DOUBLE PRECISION) >= (
                          "t42"."quota" * 0.999999999999
                        )
                      )
                      ELSE (
                        CAST("t42"."revenue" AS DOUBLE PRECISION) > 0
                      )
                      AND (
                        CAST("t42"."revenue" AS DOUBLE PRECISION) >= (
                          (
                            SELECT
                              *
                            FROM (
                              SELECT
                                CASE
                                  WHEN PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                    CAST("t24"."revenue" AS DOUBLE PRECISION)) > 0
                                  THEN PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY
                                    CAST("t24"."revenue" AS DOUBLE PRECISION))
                                  ELSE CAST(NULL AS DOUBLE PRECISION)
                                END AS "bar"
                              FROM (
                                SELECT
                                  *
                                FROM (
                                  SELECT
                                    "t16"."rep",
                                    "t16"."month",
                                    "t16"."revenue",
                                    "t3"."rep_id",
                                    "t3"."name",
                                    "t3"."team",
                                    "t3"."hired_on"
                                  FROM (
                                    SELECT
                                      "t14"."rep",
                                      "t14"."month",
                                      SUM("t14"."amount") AS "revenue"
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
                                    ) AS "t14"
                                    GROUP BY
                                      1,
                                      2
                                  ) AS "t16"
                                  INNER JOIN "reps" AS "t3"
                                    ON "t16"."rep" = "t3"."rep_id"
                                ) AS "t19"
                                WHERE
                                  "t19"."hired_on" IS NOT NULL
                                  AND "t19"."month" >= (
                                    "t19"."hired_on" + INTERVAL '12 MONTH'
                                  )
                                  AND (
                                    "t19"."month" + INTERVAL '1 MONTH'
                                  ) <= MAKE_DATE(2026, 11, 1)
                              ) AS "t24"
                            ) AS "t26"
                          ) * 0.999999999999
                        )
                      )
                    END,
                    FALSE
                  )
              ) AS "t43"
            ) AS "t44"
            WHERE
              "t44"."hits" >= 2
          ) AS "t45"
          GROUP BY
            1
        ) AS "t47"
          ON "t11"."rep" = "t47"."rep"
      ) AS "t48"
    ) AS "t49"
  ) AS "t50"
  WHERE
    "t50"."ramped_now" OR NOT (
      "t50"."ramped"
    )
) AS "t51"
GROUP BY
  1

WITH "t18" AS (
  SELECT
    "t14"."rep",
    "t14"."month",
    SUM("t14"."amount") AS "revenue"
  FROM (
    SELECT
      "t9"."deal_id",
      "t9"."rep",
      "t9"."team",
      "t9"."source",
      "t9"."pipeline",
      "t9"."status",
      "t9"."created_at",
      "t9"."closed_at",
      "t9"."at",
      "t9"."amount_raw",
      "t9"."currency",
      CAST(1.000000 AS DECIMAL(18, 6)) AS "rate",
      "t9"."amount_raw" AS "amount",
      CAST(DATE_TRUNC('MONTH', "t9"."closed_at") AS DATE) AS "month"
    FROM (
      SELECT
        "t5"."deal_id",
        "t5"."rep_id" AS "rep",
        "t4"."team",
        "t5"."source",
        "t5"."pipeline",
        "t5"."status",
        "t5"."created_at",
        "t5"."closed_at",
        "t5"."closed_at" AS "at",
        "t5"."amount" AS "amount_raw",
        "t5"."currency"
      FROM "deals" AS "t5"
      LEFT OUTER JOIN "reps" AS "t4"
        ON "t5"."rep_id" = "t4"."rep_id"
    ) AS "t9"
    WHERE
      "t9"."status" = 'won'
      AND "t9"."closed_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
  ) AS "t14"
  GROUP BY
    1,
    2
)
SELECT
  "t47"."rep",
  SUM("t47"."days") FILTER(WHERE
    "t47"."ramped") AS "ramped_days",
  SUM(POWER(CAST("t47"."days" AS DOUBLE), 2)) FILTER(WHERE
    "t47"."ramped") AS "ramped_squares",
  SUM(CAST("t47"."ramped" AS BIGINT)) AS "n",
  SUM(CAST(NOT (
    "t47"."ramped"
  ) AS BIGINT)) AS "ramping",
  MAX("t47"."days") FILTER(WHERE
    NOT (
      "t47"."ramped"
    )) AS "ramping_days"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t45"."rep",
      "t45"."team",
      "t45"."name",
      "t45"."hired_on",
      "t45"."productive_month",
      (
        "t45"."productive_month" IS NOT NULL
      )
      AND (
        "t45"."productive_month" < MAKE_DATE(2026, 11, 1)
      ) AS "ramped",
      (
        "t45"."productive_month" IS NOT NULL
      )
      AND (
        "t45"."productive_month" < MAKE_DATE(2026, 11, 1)
      )
      AND (
        (
          (
            "t45"."productive_month" + INTERVAL '1' MONTH
          ) - INTERVAL '1' DAY
        ) >= MAKE_DATE(2026, 10, 1)
      ) AS "ramped_now",
      CASE
        WHEN (
          "t45"."productive_month" IS NOT NULL
        )
        AND (
          "t45"."productive_month" < MAKE_DATE(2026, 11, 1)
        )
        THEN DATE_DIFF(
          'DAY',
          "t45"."hired_on",
          (
            "t45"."productive_month" + INTERVAL '1' MONTH
          ) - INTERVAL '1' DAY
        )
        ELSE DATE_DIFF('DAY', "t45"."hired_on", MAKE_DATE(2026, 11, 1))
      END AS "days",
      MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0) AS "at"
    FROM (
      SELECT
        "t44".*
        EXCLUDE ("rep_right")
      FROM (
        SELECT
          "t12"."rep",
          "t12"."team",
          "t12"."name",
          "t12"."hired_on",
          "t43"."rep" AS "rep_right",
          "t43"."productive_month"
        FROM (
          SELECT
            "t0"."rep_id" AS "rep",
            "t0"."team",
            "t0"."name",
            "t0"."hired_on"
          FROM "reps" AS "t0"
          WHERE
            "t0"."hired_on" IS NOT NULL
            AND "t0"."hired_on" >= CAST((
              SELECT
                MIN("t1"."created_at") AS "Min(created_at)"
              FROM "deals" AS "t1"
            ) AS DATE)
            AND "t0"."hired_on" < MAKE_DATE(2026, 11, 1)
        ) AS "t12"
        LEFT OUTER JOIN (
          SELECT
            "t41"."rep",
            MIN("t41"."month") AS "productive_month"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t39"."rep",
                "t39"."team",
                "t39"."name",
                "t39"."hired_on",
                "t39"."span_start",
                "t39"."span_end",
                "t39"."month",
                "t39"."revenue",
                "t39"."quota",
                "t39"."any_quota",
                CASE
                  WHEN "t39"."any_quota" = 1
                  THEN (
                    "t39"."quota" > 0
                  )
                  AND (
                    CAST(COALESCE("t39"."revenue", 0) AS DOUBLE) >= (
                      "t39"."quota" * 1.0
                    )
                  )
                  ELSE (
                    (
                      SELECT
                        QUANTILE_CONT("t30"."revenue", 0.5) AS "Median(revenue)"
                      FROM (
                        SELECT
                          *
                        FROM (
                          SELECT
                            "t22"."rep",
                            "t22"."month",
                            "t22"."revenue",
                            "t4"."rep_id",
                            "t4"."name",
                            "t4"."team",
                            "t4"."hired_on"
                          FROM "t18" AS "t22"
                          INNER JOIN "reps" AS "t4"
                            ON "t22"."rep" = "t4"."rep_id"
                        ) AS "t25"
                        WHERE
                          "t25"."hired_on" IS NOT NULL
                          AND "t25"."month" >= (
                            "t25"."hired_on" + INTERVAL '12' MONTH
                          )
                      ) AS "t30"
                    ) IS NOT NULL
                  )
                  AND (
                    CAST(COALESCE("t39"."revenue", 0) AS DOUBLE) > 0
                  )
                  AND (
                    CAST(COALESCE("t39"."revenue", 0) AS DOUBLE) >= (
                      CAST((
                        SELECT
                          QUANTILE_CONT("t30"."revenue", 0.5) AS "Median(revenue)"
                        FROM (
                          SELECT
                            *
                          FROM (
                            SELECT
                              "t22"."rep",
                              "t22"."month",
                              "t22"."revenue",
                              "t4"."rep_id",
                              "t4"."name",
                              "t4"."team",
                              "t4"."hired_on"
                            FROM "t18" AS "t22"
                            INNER JOIN "reps" AS "t4"
                              ON "t22"."rep" = "t4"."rep_id"
                          ) AS "t25"
                          WHERE
                            "t25"."hired_on" IS NOT NULL
                            AND "t25"."month" >= (
                              "t25"."hired_on" + INTERVAL '12' MONTH
                            )
                        ) AS "t30"
                      ) AS DOUBLE) * 1.0
                    )
                  )
                END AS "hit"
              FROM (
                SELECT
                  "t36"."rep",
                  "t36"."team",
                  "t36"."name",
                  "t36"."hired_on",
                  "t36"."span_start",
                  "t36"."span_end",
                  "t36"."month",
                  "t36"."revenue",
                  "t36"."quota",
                  "t38"."any_quota"
                FROM (
                  SELECT
                    "t34".*
                    EXCLUDE ("month_right", "rep_right")
                  FROM (
                    SELECT
                      "t28"."rep",
                      "t28"."team",
                      "t28"."name",
                      "t28"."hired_on",
                      "t28"."span_start",
                      "t28"."span_end",
                      "t28"."month",
                      "t28"."revenue",
                      "t33"."rep" AS "rep_right",
                      "t33"."month" AS "month_right",
                      "t33"."quota"
                    FROM (
                      SELECT
                        "t26".*
                        EXCLUDE ("month_right", "rep_right")
                      FROM (
                        SELECT
                          "t23"."rep",
                          "t23"."team",
                          "t23"."name",
                          "t23"."hired_on",
                          "t23"."span_start",
                          "t23"."span_end",
                          "t23"."month",
                          "t21"."rep" AS "rep_right",
                          "t21"."month" AS "month_right",
                          "t21"."revenue"
                        FROM (
                          SELECT
                            *
                          FROM (
                            SELECT
                              "t12"."rep",
                              "t12"."team",
                              "t12"."name",
                              "t12"."hired_on",
                              "t6"."span_start",
                              "t6"."span_end",
                              "t6"."month"
                            FROM (
                              SELECT
                                "t0"."rep_id" AS "rep",
                                "t0"."team",
                                "t0"."name",
                                "t0"."hired_on"
                              FROM "reps" AS "t0"
                              WHERE
                                "t0"."hired_on" IS NOT NULL
                                AND "t0"."hired_on" >= CAST((
                                  SELECT
                                    MIN("t1"."created_at") AS "Min(created_at)"
                                  FROM "deals" AS "t1"
                                ) AS DATE)
                                AND "t0"."hired_on" < MAKE_DATE(2026, 11, 1)
                            ) AS "t12"
                            CROSS JOIN "memtable_1" AS "t6"
                          ) AS "t16"
                          WHERE
                            "t16"."month" >= DATE_TRUNC('MONTH', "t16"."hired_on")
                        ) AS "t23"
                        LEFT OUTER JOIN "t18" AS "t21"
                          ON "t23"."rep" = "t21"."rep" AND "t23"."month" = "t21"."month"
                      ) AS "t26"
                    ) AS "t28"
                    LEFT OUTER JOIN (
                      SELECT
                        "t29"."rep",
                        "t29"."month",
                        SUM("t29"."share") AS "quota"
                      FROM (
                        SELECT
                          "t24"."rep",
                          "t24"."team",
                          "t24"."start",
                          "t24"."end",
                          "t24"."amount_raw",
                          "t24"."currency",
                          "t24"."span_start",
                          "t24"."span_end",
                          "t24"."month",
                          "t24"."days",
                          "t24"."total_days",
                          (
                            "t24"."amount_raw" * "t24"."days"
                          ) / "t24"."total_days" AS "share",
                          CAST("t24"."days" < "t24"."total_days" AS BIGINT) AS "partial"
                        FROM (
                          SELECT
                            "t17"."rep",
                            "t17"."team",
                            "t17"."start",
                            "t17"."end",
                            "t17"."amount_raw",
                            "t17"."currency",
                            "t17"."span_start",
                            "t17"."span_end",
                            "t17"."month",
                            DATE_DIFF(
                              'DAY',
                              GREATEST("t17"."start", "t17"."span_start"),
                              LEAST("t17"."end" + INTERVAL '1' DAY, "t17"."span_end")
                            ) AS "days",
                            DATE_DIFF('DAY', "t17"."start", "t17"."end" + INTERVAL '1' DAY) AS "total_days"
                          FROM (
                            SELECT
                              "t15"."rep",
                              "t15"."team",
                              "t15"."start",
                              "t15"."end",
                              "t15"."amount_raw",
                              "t15"."currency",
                              "t6"."span_start",
                              "t6"."span_end",
                              "t6"."month"
                            FROM (
                              SELECT
                                *
                              FROM (
                                SELECT
                                  "t7"."rep_id" AS "rep",
                                  COALESCE("t7"."team", "t4"."team") AS "team",
                                  "t7"."period_start" AS "start",
                                  "t7"."period_end" AS "end",
                                  "t7"."amount" AS "amount_raw",
                                  "t7"."currency"
                                FROM "quotas" AS "t7"
                                LEFT OUTER JOIN "reps" AS "t4"
                                  ON "t7"."rep_id" = "t4"."rep_id"
                              ) AS "t10"
                              WHERE
                                "t10"."rep" IS NOT NULL
                            ) AS "t15"
                            CROSS JOIN "memtable_1" AS "t6"
                          ) AS "t17"
                          WHERE
                            DATE_DIFF(
                              'DAY',
                              GREATEST("t17"."start", "t17"."span_start"),
                              LEAST("t17"."end" + INTERVAL '1' DAY, "t17"."span_end")
                            ) > 0
                        ) AS "t24"
                      ) AS "t29"
                      GROUP BY
                        1,
                        2
                    ) AS "t33"
                      ON "t28"."rep" = "t33"."rep" AND "t28"."month" = "t33"."month"
                  ) AS "t34"
                ) AS "t36"
                INNER JOIN (
                  SELECT
                    "t35"."rep",
                    MAX(CAST("t35"."quota" IS NOT NULL AS BIGINT)) AS "any_quota"
                  FROM (
                    SELECT
                      "t34".*
                      EXCLUDE ("month_right", "rep_right")
                    FROM (
                      SELECT
                        "t28"."rep",
                        "t28"."team",
                        "t28"."name",
                        "t28"."hired_on",
                        "t28"."span_start",
                        "t28"."span_end",
                        "t28"."month",
                        "t28"."revenue",
                        "t33"."rep" AS "rep_right",
                        "t33"."month" AS "month_right",
                        "t33"."quota"
                      FROM (
                        SELECT
                          "t26".*
                          EXCLUDE ("month_right", "rep_right")
                        FROM (
                          SELECT
                            "t23"."rep",
                            "t23"."team",
                            "t23"."name",
                            "t23"."hired_on",
                            "t23"."span_start",
                            "t23"."span_end",
                            "t23"."month",
                            "t21"."rep" AS "rep_right",
                            "t21"."month" AS "month_right",
                            "t21"."revenue"
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t12"."rep",
                                "t12"."team",
                                "t12"."name",
                                "t12"."hired_on",
                                "t6"."span_start",
                                "t6"."span_end",
                                "t6"."month"
                              FROM (
                                SELECT
                                  "t0"."rep_id" AS "rep",
                                  "t0"."team",
                                  "t0"."name",
                                  "t0"."hired_on"
                                FROM "reps" AS "t0"
                                WHERE
                                  "t0"."hired_on" IS NOT NULL
                                  AND "t0"."hired_on" >= CAST((
                                    SELECT
                                      MIN("t1"."created_at") AS "Min(created_at)"
                                    FROM "deals" AS "t1"
                                  ) AS DATE)
                                  AND "t0"."hired_on" < MAKE_DATE(2026, 11, 1)
                              ) AS "t12"
                              CROSS JOIN "memtable_1" AS "t6"
                            ) AS "t16"
                            WHERE
                              "t16"."month" >= DATE_TRUNC('MONTH', "t16"."hired_on")
                          ) AS "t23"
                          LEFT OUTER JOIN "t18" AS "t21"
                            ON "t23"."rep" = "t21"."rep" AND "t23"."month" = "t21"."month"
                        ) AS "t26"
                      ) AS "t28"
                      LEFT OUTER JOIN (
                        SELECT
                          "t29"."rep",
                          "t29"."month",
                          SUM("t29"."share") AS "quota"
                        FROM (
                          SELECT
                            "t24"."rep",
                            "t24"."team",
                            "t24"."start",
                            "t24"."end",
                            "t24"."amount_raw",
                            "t24"."currency",
                            "t24"."span_start",
                            "t24"."span_end",
                            "t24"."month",
                            "t24"."days",
                            "t24"."total_days",
                            (
                              "t24"."amount_raw" * "t24"."days"
                            ) / "t24"."total_days" AS "share",
                            CAST("t24"."days" < "t24"."total_days" AS BIGINT) AS "partial"
                          FROM (
                            SELECT
                              "t17"."rep",
                              "t17"."team",
                              "t17"."start",
                              "t17"."end",
                              "t17"."amount_raw",
                              "t17"."currency",
                              "t17"."span_start",
                              "t17"."span_end",
                              "t17"."month",
                              DATE_DIFF(
                                'DAY',
                                GREATEST("t17"."start", "t17"."span_start"),
                                LEAST("t17"."end" + INTERVAL '1' DAY, "t17"."span_end")
                              ) AS "days",
                              DATE_DIFF('DAY', "t17"."start", "t17"."end" + INTERVAL '1' DAY) AS "total_days"
                            FROM (
                              SELECT
                                "t15"."rep",
                                "t15"."team",
                                "t15"."start",
                                "t15"."end",
                                "t15"."amount_raw",
                                "t15"."currency",
                                "t6"."span_start",
                                "t6"."span_end",
                                "t6"."month"
                              FROM (
                                SELECT
                                  *
                                FROM (
                                  SELECT
                                    "t7"."rep_id" AS "rep",
                                    COALESCE("t7"."team", "t4"."team") AS "team",
                                    "t7"."period_start" AS "start",
                                    "t7"."period_end" AS "end",
                                    "t7"."amount" AS "amount_raw",
                                    "t7"."currency"
                                  FROM "quotas" AS "t7"
                                  LEFT OUTER JOIN "reps" AS "t4"
                                    ON "t7"."rep_id" = "t4"."rep_id"
                                ) AS "t10"
                                WHERE
                                  "t10"."rep" IS NOT NULL
                              ) AS "t15"
                              CROSS JOIN "memtable_1" AS "t6"
                            ) AS "t17"
                            WHERE
                              DATE_DIFF(
                                'DAY',
                                GREATEST("t17"."start", "t17"."span_start"),
                                LEAST("t17"."end" + INTERVAL '1' DAY, "t17"."span_end")
                              ) > 0
                          ) AS "t24"
                        ) AS "t29"
                        GROUP BY
                          1,
                          2
                      ) AS "t33"
                        ON "t28"."rep" = "t33"."rep" AND "t28"."month" = "t33"."month"
                    ) AS "t34"
                  ) AS "t35"
                  GROUP BY
                    1
                ) AS "t38"
                  ON "t36"."rep" = "t38"."rep"
              ) AS "t39"
            ) AS "t40"
            WHERE
              "t40"."hit"
          ) AS "t41"
          GROUP BY
            1
        ) AS "t43"
          ON "t12"."rep" = "t43"."rep"
      ) AS "t44"
    ) AS "t45"
  ) AS "t46"
  WHERE
    "t46"."ramped_now" OR NOT (
      "t46"."ramped"
    )
) AS "t47"
GROUP BY
  1

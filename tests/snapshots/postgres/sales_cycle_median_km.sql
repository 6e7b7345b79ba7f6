SELECT
  "t7"."rep",
  ARRAY_AGG(
    (
      (
        "t7"."days" + 16777216
      ) * 8589934592
    ) + (
      CAST(CAST("t7"."won" AS INT) AS BIGINT) * 4294967296
    ) + "t7"."k"
  ) FILTER(WHERE
    (
      (
        (
          "t7"."days" + 16777216
        ) * 8589934592
      ) + (
        CAST(CAST("t7"."won" AS INT) AS BIGINT) * 4294967296
      ) + "t7"."k"
    ) IS NOT NULL) AS "spells",
  SUM("t7"."k") AS "n",
  SUM("t7"."k" * CAST(CAST("t7"."won" AS INT) AS BIGINT)) AS "wins"
FROM (
  SELECT
    "t6"."rep",
    "t6"."days",
    "t6"."won",
    COUNT(*) AS "k"
  FROM (
    SELECT
      "t5"."deal_id",
      "t5"."rep",
      "t5"."team",
      "t5"."source",
      "t5"."pipeline",
      "t5"."account",
      "t5"."stage",
      "t5"."segment",
      "t5"."industry",
      "t5"."region",
      "t5"."lost_reason",
      "t5"."status",
      "t5"."created_at",
      "t5"."closed_at",
      "t5"."at",
      "t5"."currency",
      CASE
        WHEN (
          "t5"."status" = 'won'
        )
        AND (
          (
            "t5"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
          )
          AND (
            "t5"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
        THEN CAST(EXTRACT(epoch FROM CAST(DATE("t5"."closed_at") AS TIMESTAMP) - CAST(DATE("t5"."created_at") AS TIMESTAMP)) / 86400 AS BIGINT)
        ELSE CAST(EXTRACT(epoch FROM CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(DATE("t5"."created_at") AS TIMESTAMP)) / 86400 AS BIGINT)
      END AS "days",
      (
        "t5"."status" = 'won'
      )
      AND (
        (
          "t5"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
        )
        AND (
          "t5"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
        )
      ) AS "won"
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
      (
        (
          "t5"."status" = 'won'
        )
        AND (
          (
            "t5"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
          )
          AND (
            "t5"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
      )
      OR (
        (
          "t5"."created_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
        )
        AND (
          (
            "t5"."closed_at" IS NULL
          )
          OR (
            "t5"."closed_at" >= CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
      )
  ) AS "t6"
  GROUP BY
    1,
    2,
    3
) AS "t7"
GROUP BY
  1

SELECT
  "t4"."rep",
  ARRAY_AGG(
    (
      (
        "t4"."days" + 16777216
      ) * 8589934592
    ) + (
      CAST(CAST("t4"."won" AS INT) AS BIGINT) * 4294967296
    ) + "t4"."k"
  ) FILTER(WHERE
    (
      (
        (
          "t4"."days" + 16777216
        ) * 8589934592
      ) + (
        CAST(CAST("t4"."won" AS INT) AS BIGINT) * 4294967296
      ) + "t4"."k"
    ) IS NOT NULL) AS "spells",
  SUM("t4"."k") AS "n",
  SUM("t4"."k" * CAST(CAST("t4"."won" AS INT) AS BIGINT)) AS "wins"
FROM (
  SELECT
    "t3"."rep",
    "t3"."days",
    "t3"."won",
    COUNT(*) AS "k"
  FROM (
    SELECT
      "t2"."deal_id",
      "t2"."rep",
      "t2"."team",
      "t2"."source",
      "t2"."pipeline",
      "t2"."account",
      "t2"."stage",
      "t2"."segment",
      "t2"."industry",
      "t2"."region",
      "t2"."lost_reason",
      "t2"."status",
      "t2"."created_at",
      "t2"."closed_at",
      "t2"."at",
      "t2"."currency",
      CASE
        WHEN (
          "t2"."status" = 'won'
        )
        AND (
          (
            "t2"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
          )
          AND (
            "t2"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
        THEN CAST(EXTRACT(epoch FROM CAST(DATE("t2"."closed_at") AS TIMESTAMP) - CAST(DATE("t2"."created_at") AS TIMESTAMP)) / 86400 AS BIGINT)
        ELSE CAST(EXTRACT(epoch FROM CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(DATE("t2"."created_at") AS TIMESTAMP)) / 86400 AS BIGINT)
      END AS "days",
      (
        "t2"."status" = 'won'
      )
      AND (
        (
          "t2"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
        )
        AND (
          "t2"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
        )
      ) AS "won"
    FROM (
      SELECT
        "t1"."deal_id",
        "t1"."rep",
        "t1"."team",
        "t1"."source",
        "t1"."pipeline",
        "t1"."account",
        "t1"."stage",
        "t1"."segment",
        "t1"."industry",
        "t1"."region",
        "t1"."lost_reason",
        "t1"."status",
        "t1"."created_at",
        "t1"."closed_at",
        "t1"."at",
        "t1"."currency"
      FROM (
        SELECT
          "t0"."deal_id",
          "t0"."rep_id" AS "rep",
          CAST(NULL AS VARCHAR) AS "team",
          "t0"."source",
          "t0"."pipeline",
          "t0"."account",
          "t0"."stage",
          CAST(NULL AS VARCHAR) AS "segment",
          CAST(NULL AS VARCHAR) AS "industry",
          CAST(NULL AS VARCHAR) AS "region",
          "t0"."lost_reason",
          "t0"."status",
          "t0"."created_at",
          "t0"."closed_at",
          "t0"."closed_at" AS "at",
          "t0"."amount" AS "amount_raw",
          "t0"."currency"
        FROM "deals" AS "t0"
      ) AS "t1"
    ) AS "t2"
    WHERE
      (
        (
          "t2"."status" = 'won'
        )
        AND (
          (
            "t2"."closed_at" >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
          )
          AND (
            "t2"."closed_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
      )
      OR (
        (
          "t2"."created_at" < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
        )
        AND (
          (
            "t2"."closed_at" IS NULL
          )
          OR (
            "t2"."closed_at" >= CAST('2026-11-01T00:00:00' AS TIMESTAMP)
          )
        )
      )
  ) AS "t3"
  GROUP BY
    1,
    2,
    3
) AS "t4"
GROUP BY
  1

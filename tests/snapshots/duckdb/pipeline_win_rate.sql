SELECT
  "t3"."rep",
  SUM(CAST("t3"."won_now" AS BIGINT)) AS "hits",
  COUNT(*) AS "n"
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
    (
      "t2"."status" = 'won'
    )
    AND (
      (
        "t2"."closed_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
      )
      AND (
        "t2"."closed_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
      )
    ) AS "won_now"
  FROM (
    SELECT
      "t1".*
      EXCLUDE ("amount_raw")
    FROM (
      SELECT
        "t0"."deal_id",
        "t0"."rep_id" AS "rep",
        CAST(NULL AS TEXT) AS "team",
        "t0"."source",
        "t0"."pipeline",
        "t0"."account",
        "t0"."stage",
        CAST(NULL AS TEXT) AS "segment",
        CAST(NULL AS TEXT) AS "industry",
        CAST(NULL AS TEXT) AS "region",
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
    "t2"."created_at" < MAKE_TIMESTAMP(2026, 11, 1, 0, 0, 0.0)
    AND (
      (
        "t2"."closed_at" IS NULL
      )
      OR (
        "t2"."closed_at" >= MAKE_TIMESTAMP(2026, 10, 1, 0, 0, 0.0)
      )
    )
) AS "t3"
GROUP BY
  1

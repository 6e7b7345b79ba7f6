SELECT
  COALESCE(`t14`.`rep`, `t11`.`rep`) AS `rep`,
  `t14`.`quota`,
  `t14`.`partial`,
  `t11`.`revenue`,
  `t11`.`n`
FROM (
  SELECT
    `t12`.`rep`,
    SUM(`t12`.`share`) AS `quota`,
    MAX(`t12`.`partial`) AS `partial`
  FROM (
    SELECT
      `t9`.`rep`,
      COALESCE(`t9`.`team`, '') AS `team`,
      `t9`.`start`,
      `t9`.`end`,
      `t9`.`amount_raw`,
      `t9`.`currency`,
      `t9`.`span_start`,
      `t9`.`span_end`,
      `t9`.`days`,
      `t9`.`total_days`,
      (
        `t9`.`amount_raw` * `t9`.`days`
      ) / `t9`.`total_days` AS `share`,
      CAST(`t9`.`days` < `t9`.`total_days` AS BIGINT) AS `partial`
    FROM (
      SELECT
        `t6`.`rep`,
        `t6`.`team`,
        `t6`.`start`,
        `t6`.`end`,
        `t6`.`amount_raw`,
        `t6`.`currency`,
        MAKE_DATE(2026, 10, 1) AS `span_start`,
        MAKE_DATE(2026, 11, 1) AS `span_end`,
        DATEDIFF(
          DAY,
          GREATEST(`t6`.`start`, MAKE_DATE(2026, 10, 1)),
          LEAST(`t6`.`end` + INTERVAL '1' DAY, MAKE_DATE(2026, 11, 1))
        ) AS `days`,
        DATEDIFF(DAY, `t6`.`start`, `t6`.`end` + INTERVAL '1' DAY) AS `total_days`
      FROM (
        SELECT
          `t3`.`rep_id` AS `rep`,
          COALESCE(`t3`.`team`, `t5`.`team`) AS `team`,
          `t3`.`period_start` AS `start`,
          `t3`.`period_end` AS `end`,
          `t3`.`amount` AS `amount_raw`,
          `t3`.`currency`
        FROM `quotas` AS `t3`
        LEFT OUTER JOIN `reps` AS `t5`
          ON `t3`.`rep_id` = `t5`.`rep_id`
      ) AS `t6`
      WHERE
        DATEDIFF(
          DAY,
          GREATEST(`t6`.`start`, MAKE_DATE(2026, 10, 1)),
          LEAST(`t6`.`end` + INTERVAL '1' DAY, MAKE_DATE(2026, 11, 1))
        ) > 0
    ) AS `t9`
    WHERE
      `t9`.`rep` IS NOT NULL
  ) AS `t12`
  GROUP BY
    1
) AS `t14`
FULL OUTER JOIN (
  SELECT
    `t8`.`rep`,
    SUM(`t8`.`amount`) AS `revenue`,
    COUNT(*) AS `n`
  FROM (
    SELECT
      `t7`.`deal_id`,
      `t7`.`rep`,
      COALESCE(`t7`.`team`, '') AS `team`,
      `t7`.`source`,
      `t7`.`pipeline`,
      `t7`.`account`,
      `t7`.`stage`,
      `t7`.`segment`,
      `t7`.`industry`,
      `t7`.`region`,
      `t7`.`lost_reason`,
      `t7`.`status`,
      `t7`.`created_at`,
      `t7`.`closed_at`,
      `t7`.`at`,
      `t7`.`amount_raw`,
      `t7`.`currency`,
      CAST('1.000000' AS DECIMAL(18, 6)) AS `rate`,
      `t7`.`amount_raw` AS `amount`
    FROM (
      SELECT
        `t4`.`deal_id`,
        `t4`.`rep_id` AS `rep`,
        `t5`.`team`,
        `t4`.`source`,
        `t4`.`pipeline`,
        `t4`.`account`,
        `t4`.`stage`,
        CAST(NULL AS STRING) AS `segment`,
        CAST(NULL AS STRING) AS `industry`,
        CAST(NULL AS STRING) AS `region`,
        `t4`.`lost_reason`,
        `t4`.`status`,
        `t4`.`created_at`,
        `t4`.`closed_at`,
        `t4`.`closed_at` AS `at`,
        `t4`.`amount` AS `amount_raw`,
        `t4`.`currency`
      FROM `deals` AS `t4`
      LEFT OUTER JOIN `reps` AS `t5`
        ON `t4`.`rep_id` = `t5`.`rep_id`
    ) AS `t7`
    WHERE
      `t7`.`status` = 'won'
      AND `t7`.`closed_at` >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
      AND `t7`.`closed_at` < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
  ) AS `t8`
  GROUP BY
    1
) AS `t11`
  ON `t14`.`rep` = `t11`.`rep`

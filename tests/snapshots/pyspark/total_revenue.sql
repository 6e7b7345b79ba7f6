SELECT
  `t1`.`rep`,
  SUM(`t1`.`amount`) AS `value`,
  COUNT(*) AS `n`
FROM (
  SELECT
    `t0`.`deal_id`,
    `t0`.`rep_id` AS `rep`,
    CAST(NULL AS STRING) AS `team`,
    `t0`.`source`,
    `t0`.`pipeline`,
    `t0`.`account`,
    `t0`.`stage`,
    CAST(NULL AS STRING) AS `segment`,
    CAST(NULL AS STRING) AS `industry`,
    CAST(NULL AS STRING) AS `region`,
    `t0`.`lost_reason`,
    `t0`.`status`,
    `t0`.`created_at`,
    `t0`.`closed_at`,
    `t0`.`closed_at` AS `at`,
    `t0`.`amount` AS `amount_raw`,
    `t0`.`currency`,
    CAST('1.000000' AS DECIMAL(18, 6)) AS `rate`,
    `t0`.`amount`
  FROM `deals` AS `t0`
  WHERE
    `t0`.`status` = 'won'
    AND `t0`.`closed_at` >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND `t0`.`closed_at` < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS `t1`
GROUP BY
  1

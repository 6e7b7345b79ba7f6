SELECT
  `t3`.`lost_reason`,
  `t3`.`rep`,
  COUNT(*) AS `value`,
  COUNT(*) AS `n`
FROM (
  SELECT
    *
  FROM (
    SELECT
      `t1`.`deal_id`,
      `t1`.`rep`,
      `t1`.`team`,
      `t1`.`source`,
      `t1`.`pipeline`,
      `t1`.`account`,
      `t1`.`stage`,
      `t1`.`segment`,
      `t1`.`industry`,
      `t1`.`region`,
      `t1`.`lost_reason`,
      `t1`.`status`,
      `t1`.`created_at`,
      `t1`.`closed_at`,
      `t1`.`at`,
      `t1`.`currency`
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
        `t0`.`currency`
      FROM `deals` AS `t0`
    ) AS `t1`
  ) AS `t2`
  WHERE
    `t2`.`status` = 'lost'
    AND `t2`.`closed_at` >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND `t2`.`closed_at` < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS `t3`
GROUP BY
  1,
  2

SELECT
  `t1`.`rep`,
  COUNT(*) AS `value`,
  COUNT(*) AS `n`
FROM (
  SELECT
    `t0`.`activity_id`,
    `t0`.`rep_id` AS `rep`,
    CAST(NULL AS STRING) AS `team`,
    LOWER(`t0`.`type`) AS `activity_type`,
    `t0`.`occurred_at` AS `at`,
    `t0`.`deal_id`
  FROM `activities` AS `t0`
  WHERE
    `t0`.`occurred_at` >= CAST('2026-10-01T00:00:00' AS TIMESTAMP)
    AND `t0`.`occurred_at` < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
) AS `t1`
GROUP BY
  1

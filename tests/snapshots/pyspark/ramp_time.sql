WITH `t9` AS (
  SELECT
    `t0`.`rep_id` AS `rep`,
    `t0`.`team`,
    `t0`.`name`,
    `t0`.`hired_on`
  FROM `reps` AS `t0`
  WHERE
    `t0`.`hired_on` IS NOT NULL
    AND `t0`.`hired_on` >= CAST((
      SELECT
        MIN(`t1`.`created_at`) AS `Min(created_at)`
      FROM `deals` AS `t1`
    ) AS DATE)
    AND `t0`.`hired_on` < MAKE_DATE(2026, 11, 1)
), `t15` AS (
  SELECT
    `t13`.`rep`,
    `t13`.`month`,
    SUM(`t13`.`amount`) AS `revenue`
  FROM (
    SELECT
      `t7`.`deal_id`,
      `t7`.`rep`,
      `t7`.`team`,
      `t7`.`source`,
      `t7`.`pipeline`,
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
      `t7`.`amount_raw` AS `amount`,
      CAST(DATE_TRUNC('month', `t7`.`closed_at`) AS DATE) AS `month`
    FROM (
      SELECT
        `t4`.`deal_id`,
        `t4`.`rep_id` AS `rep`,
        `t3`.`team`,
        `t4`.`source`,
        `t4`.`pipeline`,
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
      LEFT OUTER JOIN `reps` AS `t3`
        ON `t4`.`rep_id` = `t3`.`rep_id`
    ) AS `t7`
    WHERE
      `t7`.`status` = 'won'
      AND `t7`.`closed_at` < CAST('2026-11-01T00:00:00' AS TIMESTAMP)
  ) AS `t13`
  GROUP BY
    1,
    2
), `t19` AS (
  SELECT
    `t10`.`rep`,
    `t10`.`team`,
    `t10`.`name`,
    `t10`.`hired_on`,
    EXPLODE(
      IF(
        (
          INTERVAL '1' MONTH <> INTERVAL 0 month
        )
        AND (
          SIGN(INTERVAL '1' MONTH) = SIGN(
            CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP) - CAST(GREATEST(
              DATE_TRUNC('month', `t10`.`hired_on`),
              DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
            ) AS TIMESTAMP)
          )
        ),
        IF(
          ELEMENT_AT(
            SEQUENCE(
              CAST(GREATEST(
                DATE_TRUNC('month', `t10`.`hired_on`),
                DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
              ) AS TIMESTAMP),
              CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
              INTERVAL '1' MONTH
            ),
            SIZE(
              SEQUENCE(
                CAST(GREATEST(
                  DATE_TRUNC('month', `t10`.`hired_on`),
                  DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
                ) AS TIMESTAMP),
                CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
                INTERVAL '1' MONTH
              )
            )
          ) = CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
          SLICE(
            SEQUENCE(
              CAST(GREATEST(
                DATE_TRUNC('month', `t10`.`hired_on`),
                DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
              ) AS TIMESTAMP),
              CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
              INTERVAL '1' MONTH
            ),
            1,
            SIZE(
              SEQUENCE(
                CAST(GREATEST(
                  DATE_TRUNC('month', `t10`.`hired_on`),
                  DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
                ) AS TIMESTAMP),
                CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
                INTERVAL '1' MONTH
              )
            ) - 1
          ),
          SEQUENCE(
            CAST(GREATEST(
              DATE_TRUNC('month', `t10`.`hired_on`),
              DATE_TRUNC('month', MAKE_DATE(2026, 11, 1)) - INTERVAL '120' MONTH
            ) AS TIMESTAMP),
            CAST(MAKE_DATE(2026, 11, 1) AS TIMESTAMP),
            INTERVAL '1' MONTH
          )
        ),
        ARRAY()
      )
    ) AS `month`
  FROM `t9` AS `t10`
)
SELECT
  `t50`.`rep`,
  SUM(IF(`t50`.`ramped`, `t50`.`days`, NULL)) AS `ramped_days`,
  SUM(IF(`t50`.`ramped`, POWER(CAST(`t50`.`days` AS DOUBLE), 2), NULL)) AS `ramped_squares`,
  SUM(CAST(`t50`.`ramped` AS BIGINT)) AS `n`,
  SUM(CAST(NOT (
    `t50`.`ramped`
  ) AS BIGINT)) AS `ramping`,
  MAX(IF(NOT (
    `t50`.`ramped`
  ), `t50`.`days`, NULL)) AS `ramping_days`
FROM (
  SELECT
    *
  FROM (
    SELECT
      `t48`.`rep`,
      `t48`.`team`,
      `t48`.`name`,
      `t48`.`hired_on`,
      `t48`.`productive_month`,
      `t48`.`confirmed_month`,
      (
        `t48`.`confirmed_month` IS NOT NULL
      )
      AND (
        `t48`.`confirmed_month` < MAKE_DATE(2026, 11, 1)
      ) AS `ramped`,
      (
        `t48`.`confirmed_month` IS NOT NULL
      )
      AND (
        `t48`.`confirmed_month` < MAKE_DATE(2026, 11, 1)
      )
      AND (
        (
          (
            `t48`.`confirmed_month` + INTERVAL '1' MONTH
          ) - INTERVAL '1' DAY
        ) >= MAKE_DATE(2026, 10, 1)
      ) AS `ramped_now`,
      IF(
        (
          `t48`.`confirmed_month` IS NOT NULL
        )
        AND (
          `t48`.`confirmed_month` < MAKE_DATE(2026, 11, 1)
        ),
        DATEDIFF(
          DAY,
          `t48`.`hired_on`,
          (
            `t48`.`productive_month` + INTERVAL '1' MONTH
          ) - INTERVAL '1' DAY
        ),
        DATEDIFF(DAY, `t48`.`hired_on`, MAKE_DATE(2026, 11, 1))
      ) AS `days`,
      CAST('2026-10-01T00:00:00' AS TIMESTAMP) AS `at`
    FROM (
      SELECT
        `t47`.`rep`,
        `t47`.`team`,
        `t47`.`name`,
        `t47`.`hired_on`,
        `t47`.`productive_month`,
        `t47`.`confirmed_month`
      FROM (
        SELECT
          `t12`.`rep`,
          `t12`.`team`,
          `t12`.`name`,
          `t12`.`hired_on`,
          `t46`.`rep` AS `rep_right`,
          `t46`.`productive_month`,
          `t46`.`confirmed_month`
        FROM `t9` AS `t12`
        LEFT OUTER JOIN (
          SELECT
            `t44`.`rep`,
            MIN(`t44`.`first_hit`) AS `productive_month`,
            MIN(`t44`.`month`) AS `confirmed_month`
          FROM (
            SELECT
              *
            FROM (
              SELECT
                `t42`.`rep`,
                `t42`.`team`,
                `t42`.`name`,
                `t42`.`hired_on`,
                `t42`.`month`,
                `t42`.`revenue`,
                `t42`.`quota`,
                `t42`.`any_quota`,
                `t42`.`hit`,
                SUM(CAST(`t42`.`hit` AS BIGINT)) OVER (
                  PARTITION BY `t42`.`rep`
                  ORDER BY `t42`.`month` ASC NULLS LAST
                  ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
                ) AS `hits`,
                MIN(IF(`t42`.`hit`, `t42`.`month`, CAST(NULL AS DATE))) OVER (
                  PARTITION BY `t42`.`rep`
                  ORDER BY `t42`.`month` ASC NULLS LAST
                  ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
                ) AS `first_hit`
              FROM (
                SELECT
                  `t41`.`rep`,
                  `t41`.`team`,
                  `t41`.`name`,
                  `t41`.`hired_on`,
                  `t41`.`month`,
                  `t41`.`revenue`,
                  `t41`.`quota`,
                  `t41`.`any_quota`,
                  COALESCE(
                    IF(
                      `t41`.`any_quota` = 1,
                      (
                        `t41`.`quota` > 0
                      )
                      AND (
                        CAST(COALESCE(`t41`.`revenue`, 0) AS DOUBLE) >= (
                          `t41`.`quota` * 0.999999999999
                        )
                      ),
                      (
                        SELECT
                          PERCENTILE(CAST(`t26`.`revenue` AS DOUBLE), 0.5) AS `Median(Cast(revenue, float64))`
                        FROM (
                          SELECT
                            *
                          FROM (
                            SELECT
                              `t18`.`rep`,
                              `t18`.`month`,
                              `t18`.`revenue`,
                              `t3`.`rep_id`,
                              `t3`.`name`,
                              `t3`.`team`,
                              `t3`.`hired_on`
                            FROM `t15` AS `t18`
                            INNER JOIN `reps` AS `t3`
                              ON `t18`.`rep` = `t3`.`rep_id`
                          ) AS `t21`
                          WHERE
                            `t21`.`hired_on` IS NOT NULL
                            AND `t21`.`month` >= (
                              `t21`.`hired_on` + INTERVAL '12' MONTH
                            )
                        ) AS `t26`
                      ) IS NOT NULL
                      AND NOT ISNAN(
                        (
                          SELECT
                            PERCENTILE(CAST(`t26`.`revenue` AS DOUBLE), 0.5) AS `Median(Cast(revenue, float64))`
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                `t18`.`rep`,
                                `t18`.`month`,
                                `t18`.`revenue`,
                                `t3`.`rep_id`,
                                `t3`.`name`,
                                `t3`.`team`,
                                `t3`.`hired_on`
                              FROM `t15` AS `t18`
                              INNER JOIN `reps` AS `t3`
                                ON `t18`.`rep` = `t3`.`rep_id`
                            ) AS `t21`
                            WHERE
                              `t21`.`hired_on` IS NOT NULL
                              AND `t21`.`month` >= (
                                `t21`.`hired_on` + INTERVAL '12' MONTH
                              )
                          ) AS `t26`
                        )
                      )
                      AND (
                        CAST(COALESCE(`t41`.`revenue`, 0) AS DOUBLE) > 0
                      )
                      AND (
                        CAST(COALESCE(`t41`.`revenue`, 0) AS DOUBLE) >= (
                          (
                            SELECT
                              PERCENTILE(CAST(`t26`.`revenue` AS DOUBLE), 0.5) AS `Median(Cast(revenue, float64))`
                            FROM (
                              SELECT
                                *
                              FROM (
                                SELECT
                                  `t18`.`rep`,
                                  `t18`.`month`,
                                  `t18`.`revenue`,
                                  `t3`.`rep_id`,
                                  `t3`.`name`,
                                  `t3`.`team`,
                                  `t3`.`hired_on`
                                FROM `t15` AS `t18`
                                INNER JOIN `reps` AS `t3`
                                  ON `t18`.`rep` = `t3`.`rep_id`
                              ) AS `t21`
                              WHERE
                                `t21`.`hired_on` IS NOT NULL
                                AND `t21`.`month` >= (
                                  `t21`.`hired_on` + INTERVAL '12' MONTH
                                )
                            ) AS `t26`
                          ) * 0.999999999999
                        )
                      )
                    ),
                    FALSE
                  ) AS `hit`
                FROM (
                  SELECT
                    `t38`.`rep`,
                    `t38`.`team`,
                    `t38`.`name`,
                    `t38`.`hired_on`,
                    `t38`.`month`,
                    `t38`.`revenue`,
                    `t38`.`quota`,
                    `t40`.`any_quota`
                  FROM (
                    SELECT
                      `t36`.`rep`,
                      `t36`.`team`,
                      `t36`.`name`,
                      `t36`.`hired_on`,
                      `t36`.`month`,
                      `t36`.`revenue`,
                      `t36`.`quota`
                    FROM (
                      SELECT
                        `t30`.`rep`,
                        `t30`.`team`,
                        `t30`.`name`,
                        `t30`.`hired_on`,
                        `t30`.`month`,
                        `t30`.`revenue`,
                        `t35`.`rep` AS `rep_right`,
                        `t35`.`month` AS `month_right`,
                        `t35`.`quota`
                      FROM (
                        SELECT
                          `t27`.`rep`,
                          `t27`.`team`,
                          `t27`.`name`,
                          `t27`.`hired_on`,
                          `t27`.`month`,
                          `t27`.`revenue`
                        FROM (
                          SELECT
                            `t23`.`rep`,
                            `t23`.`team`,
                            `t23`.`name`,
                            `t23`.`hired_on`,
                            `t23`.`month`,
                            `t17`.`rep` AS `rep_right`,
                            `t17`.`month` AS `month_right`,
                            `t17`.`revenue`
                          FROM (
                            SELECT
                              `t20`.`rep`,
                              `t20`.`team`,
                              `t20`.`name`,
                              `t20`.`hired_on`,
                              CAST(`t20`.`month` AS DATE) AS `month`
                            FROM `t19` AS `t20`
                          ) AS `t23`
                          LEFT OUTER JOIN `t15` AS `t17`
                            ON `t23`.`rep` = `t17`.`rep` AND `t23`.`month` = `t17`.`month`
                        ) AS `t27`
                      ) AS `t30`
                      LEFT OUTER JOIN (
                        SELECT
                          `t33`.`rep`,
                          `t33`.`span_start` AS `month`,
                          SUM(`t33`.`share`) AS `quota`
                        FROM (
                          SELECT
                            `t32`.`rep`,
                            `t32`.`team`,
                            `t32`.`start`,
                            `t32`.`end`,
                            `t32`.`amount_raw`,
                            `t32`.`currency`,
                            `t32`.`span_start`,
                            `t32`.`span_end`,
                            `t32`.`days`,
                            `t32`.`total_days`,
                            (
                              `t32`.`amount_raw` * `t32`.`days`
                            ) / `t32`.`total_days` AS `share`,
                            CAST(`t32`.`days` < `t32`.`total_days` AS BIGINT) AS `partial`
                          FROM (
                            SELECT
                              `t29`.`rep`,
                              `t29`.`team`,
                              `t29`.`start`,
                              `t29`.`end`,
                              `t29`.`amount_raw`,
                              `t29`.`currency`,
                              `t29`.`span_start`,
                              `t29`.`span_end`,
                              DATEDIFF(
                                DAY,
                                GREATEST(`t29`.`start`, `t29`.`span_start`),
                                LEAST(`t29`.`end` + INTERVAL '1' DAY, `t29`.`span_end`)
                              ) AS `days`,
                              DATEDIFF(DAY, `t29`.`start`, `t29`.`end` + INTERVAL '1' DAY) AS `total_days`
                            FROM (
                              SELECT
                                `t14`.`rep`,
                                `t14`.`team`,
                                `t14`.`start`,
                                `t14`.`end`,
                                `t14`.`amount_raw`,
                                `t14`.`currency`,
                                `t25`.`span_start`,
                                `t25`.`span_end`
                              FROM (
                                SELECT
                                  *
                                FROM (
                                  SELECT
                                    `t5`.`rep_id` AS `rep`,
                                    COALESCE(`t5`.`team`, `t3`.`team`) AS `team`,
                                    `t5`.`period_start` AS `start`,
                                    `t5`.`period_end` AS `end`,
                                    `t5`.`amount` AS `amount_raw`,
                                    `t5`.`currency`
                                  FROM `quotas` AS `t5`
                                  LEFT OUTER JOIN `reps` AS `t3`
                                    ON `t5`.`rep_id` = `t3`.`rep_id`
                                ) AS `t8`
                                WHERE
                                  `t8`.`rep` IS NOT NULL
                              ) AS `t14`
                              INNER JOIN (
                                SELECT
                                  `t20`.`rep`,
                                  CAST(`t20`.`month` AS DATE) AS `span_start`,
                                  CAST(`t20`.`month` AS DATE) + INTERVAL '1' MONTH AS `span_end`
                                FROM `t19` AS `t20`
                              ) AS `t25`
                                ON `t14`.`rep` = `t25`.`rep`
                            ) AS `t29`
                            WHERE
                              DATEDIFF(
                                DAY,
                                GREATEST(`t29`.`start`, `t29`.`span_start`),
                                LEAST(`t29`.`end` + INTERVAL '1' DAY, `t29`.`span_end`)
                              ) > 0
                          ) AS `t32`
                        ) AS `t33`
                        GROUP BY
                          1,
                          2
                      ) AS `t35`
                        ON `t30`.`rep` = `t35`.`rep` AND `t30`.`month` = `t35`.`month`
                    ) AS `t36`
                  ) AS `t38`
                  INNER JOIN (
                    SELECT
                      `t37`.`rep`,
                      MAX(CAST(`t37`.`quota` IS NOT NULL AND NOT ISNAN(`t37`.`quota`) AS BIGINT)) AS `any_quota`
                    FROM (
                      SELECT
                        `t36`.`rep`,
                        `t36`.`team`,
                        `t36`.`name`,
                        `t36`.`hired_on`,
                        `t36`.`month`,
                        `t36`.`revenue`,
                        `t36`.`quota`
                      FROM (
                        SELECT
                          `t30`.`rep`,
                          `t30`.`team`,
                          `t30`.`name`,
                          `t30`.`hired_on`,
                          `t30`.`month`,
                          `t30`.`revenue`,
                          `t35`.`rep` AS `rep_right`,
                          `t35`.`month` AS `month_right`,
                          `t35`.`quota`
                        FROM (
                          SELECT
                            `t27`.`rep`,
                            `t27`.`team`,
                            `t27`.`name`,
                            `t27`.`hired_on`,
                            `t27`.`month`,
                            `t27`.`revenue`
                          FROM (
                            SELECT
                              `t23`.`rep`,
                              `t23`.`team`,
                              `t23`.`name`,
                              `t23`.`hired_on`,
                              `t23`.`month`,
                              `t17`.`rep` AS `rep_right`,
                              `t17`.`month` AS `month_right`,
                              `t17`.`revenue`
                            FROM (
                              SELECT
                                `t20`.`rep`,
                                `t20`.`team`,
                                `t20`.`name`,
                                `t20`.`hired_on`,
                                CAST(`t20`.`month` AS DATE) AS `month`
                              FROM `t19` AS `t20`
                            ) AS `t23`
                            LEFT OUTER JOIN `t15` AS `t17`
                              ON `t23`.`rep` = `t17`.`rep` AND `t23`.`month` = `t17`.`month`
                          ) AS `t27`
                        ) AS `t30`
                        LEFT OUTER JOIN (
                          SELECT
                            `t33`.`rep`,
                            `t33`.`span_start` AS `month`,
                            SUM(`t33`.`share`) AS `quota`
                          FROM (
                            SELECT
                              `t32`.`rep`,
                              `t32`.`team`,
                              `t32`.`start`,
                              `t32`.`end`,
                              `t32`.`amount_raw`,
                              `t32`.`currency`,
                              `t32`.`span_start`,
                              `t32`.`span_end`,
                              `t32`.`days`,
                              `t32`.`total_days`,
                              (
                                `t32`.`amount_raw` * `t32`.`days`
                              ) / `t32`.`total_days` AS `share`,
                              CAST(`t32`.`days` < `t32`.`total_days` AS BIGINT) AS `partial`
                            FROM (
                              SELECT
                                `t29`.`rep`,
                                `t29`.`team`,
                                `t29`.`start`,
                                `t29`.`end`,
                                `t29`.`amount_raw`,
                                `t29`.`currency`,
                                `t29`.`span_start`,
                                `t29`.`span_end`,
                                DATEDIFF(
                                  DAY,
                                  GREATEST(`t29`.`start`, `t29`.`span_start`),
                                  LEAST(`t29`.`end` + INTERVAL '1' DAY, `t29`.`span_end`)
                                ) AS `days`,
                                DATEDIFF(DAY, `t29`.`start`, `t29`.`end` + INTERVAL '1' DAY) AS `total_days`
                              FROM (
                                SELECT
                                  `t14`.`rep`,
                                  `t14`.`team`,
                                  `t14`.`start`,
                                  `t14`.`end`,
                                  `t14`.`amount_raw`,
                                  `t14`.`currency`,
                                  `t25`.`span_start`,
                                  `t25`.`span_end`
                                FROM (
                                  SELECT
                                    *
                                  FROM (
                                    SELECT
                                      `t5`.`rep_id` AS `rep`,
                                      COALESCE(`t5`.`team`, `t3`.`team`) AS `team`,
                                      `t5`.`period_start` AS `start`,
                                      `t5`.`period_end` AS `end`,
                                      `t5`.`amount` AS `amount_raw`,
                                      `t5`.`currency`
                                    FROM `quotas` AS `t5`
                                    LEFT OUTER JOIN `reps` AS `t3`
                                      ON `t5`.`rep_id` = `t3`.`rep_id`
                                  ) AS `t8`
                                  WHERE
                                    `t8`.`rep` IS NOT NULL
                                ) AS `t14`
                                INNER JOIN (
                                  SELECT
                                    `t20`.`rep`,
                                    CAST(`t20`.`month` AS DATE) AS `span_start`,
                                    CAST(`t20`.`month` AS DATE) + INTERVAL '1' MONTH AS `span_end`
                                  FROM `t19` AS `t20`
                                ) AS `t25`
                                  ON `t14`.`rep` = `t25`.`rep`
                              ) AS `t29`
                              WHERE
                                DATEDIFF(
                                  DAY,
                                  GREATEST(`t29`.`start`, `t29`.`span_start`),
                                  LEAST(`t29`.`end` + INTERVAL '1' DAY, `t29`.`span_end`)
                                ) > 0
                            ) AS `t32`
                          ) AS `t33`
                          GROUP BY
                            1,
                            2
                        ) AS `t35`
                          ON `t30`.`rep` = `t35`.`rep` AND `t30`.`month` = `t35`.`month`
                      ) AS `t36`
                    ) AS `t37`
                    GROUP BY
                      1
                  ) AS `t40`
                    ON `t38`.`rep` = `t40`.`rep`
                ) AS `t41`
              ) AS `t42`
            ) AS `t43`
            WHERE
              `t43`.`hits` >= 2
          ) AS `t44`
          GROUP BY
            1
        ) AS `t46`
          ON `t12`.`rep` = `t46`.`rep`
      ) AS `t47`
    ) AS `t48`
  ) AS `t49`
  WHERE
    `t49`.`ramped_now` OR NOT (
      `t49`.`ramped`
    )
) AS `t50`
GROUP BY
  1

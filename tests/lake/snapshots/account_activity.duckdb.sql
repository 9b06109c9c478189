SELECT
  "t3"."account_id",
  "t3"."currency",
  COUNT(*) FILTER(WHERE
    "t3"."direction" = 'in') AS "in_count",
  COALESCE(
    SUM("t3"."amount") FILTER(WHERE
      "t3"."direction" = 'in'),
    CAST(0.00 AS DECIMAL(38, 2))
  ) AS "in_amount",
  COUNT(*) FILTER(WHERE
    "t3"."direction" = 'out') AS "out_count",
  COALESCE(
    SUM("t3"."amount") FILTER(WHERE
      "t3"."direction" = 'out'),
    CAST(0.00 AS DECIMAL(38, 2))
  ) AS "out_amount",
  COUNT(DISTINCT "t3"."counterparty") FILTER(WHERE
    "t3"."direction" = 'in') AS "senders",
  COUNT(DISTINCT "t3"."counterparty") FILTER(WHERE
    "t3"."direction" = 'out') AS "receivers",
  COUNT(DISTINCT "t3"."counterparty") AS "counterparties",
  MIN("t3"."ts") AS "first_ts",
  MAX("t3"."ts") AS "last_ts"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t0"."src_account" AS "account_id",
      "t0"."dst_account" AS "counterparty",
      'out' AS "direction",
      "t0"."amount",
      COALESCE("t0"."currency", 'CNY') AS "currency",
      "t0"."ts",
      "t0"."txn_id"
    FROM "transactions" AS "t0"
  ) AS "t1"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t0"."dst_account" AS "account_id",
      "t0"."src_account" AS "counterparty",
      'in' AS "direction",
      "t0"."amount",
      COALESCE("t0"."currency", 'CNY') AS "currency",
      "t0"."ts",
      "t0"."txn_id"
    FROM "transactions" AS "t0"
  ) AS "t2"
) AS "t3"
GROUP BY
  1,
  2

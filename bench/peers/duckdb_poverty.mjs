// duckdb_poverty.mjs FILE THREADS - DuckDB's share of bench_poverty.sh: read the person CSV, the
// line (0.6 x the weighted median of everyone), and per area the weighted total, mean, median
// and the rate below the line (no SE). Prints nothing but errors: the script is timed whole.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: String(threads || 2) });
const c = await db.connect();
const q = (s) => `'${s.replace(/'/g, "''")}'`;
await c.run(`CREATE TABLE d AS SELECT area, weight, income FROM read_csv(${q(file)}, header = true)`);
const sql = `
WITH o AS (SELECT income, sum(weight) OVER (ORDER BY income ROWS UNBOUNDED PRECEDING)
                          / sum(weight) OVER () AS cw FROM d),
     l AS (SELECT 0.6 * min(income) AS t FROM o WHERE cw > 0.5),
     m AS (SELECT area, income, sum(weight) OVER (PARTITION BY area ORDER BY income
                                   ROWS UNBOUNDED PRECEDING) / sum(weight) OVER (PARTITION BY area) AS cw
           FROM d),
     med AS (SELECT area, min(income) AS median FROM m WHERE cw > 0.5 GROUP BY area)
SELECT d.area, sum(weight) AS w, sum(weight * income) / sum(weight) AS mean,
       sum(weight * (income < (SELECT t FROM l))::DOUBLE) / sum(weight) AS arop, any_value(med.median)
FROM d JOIN med USING (area) GROUP BY d.area`;
const r = await c.runAndReadAll(sql);
if (r.getRows().length === 0) throw new Error('no areas');

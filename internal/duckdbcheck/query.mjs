// query.mjs runs SQL statements in DuckDB (an independent Parquet reader,
// from the npm package @duckdb/node-api) and prints each result as JSON rows.
// Usage: node query.mjs 'SQL1' ['SQL2' ...]
// Used by Go tests to check that neurotab's Parquet files read correctly in
// another engine. Output: a JSON array with one array of row objects per SQL.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const out = [];
for (const sql of process.argv.slice(2)) {
  const reader = await conn.runAndReadAll(sql);
  out.push(reader.getRowObjectsJson());
}
process.stdout.write(JSON.stringify(out));

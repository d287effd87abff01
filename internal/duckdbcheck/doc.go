// Package duckdbcheck runs SQL in DuckDB, an independent Parquet reader, so
// tests can check that the files neurotab writes read as documented in
// another engine. DuckDB comes from the npm package @duckdb/node-api
// (installed by `npm install` in this folder; .ci/run does it). When node or the
// package is missing, Query reports ErrUnavailable and tests skip, unless
// NEUROTAB_REQUIRE_DUCKDB=1 (set by CI), when they fail.
package duckdbcheck

package duckdbcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// ErrUnavailable means node or @duckdb/node-api is not installed.
var ErrUnavailable = errors.New("duckdbcheck: node or @duckdb/node-api not installed (run npm install in internal/duckdbcheck)")

func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Available reports whether DuckDB can be run.
func Available() error {
	if _, err := exec.LookPath("node"); err != nil {
		return ErrUnavailable
	}
	if _, err := os.Stat(filepath.Join(dir(), "node_modules", "@duckdb", "node-api")); err != nil {
		return ErrUnavailable
	}
	return nil
}

// Query runs each SQL statement and returns its rows as JSON objects
// (numbers as float64 or strings, lists as []any).
func Query(sqls ...string) ([][]map[string]any, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	cmd := exec.Command("node", append([]string{filepath.Join(dir(), "query.mjs")}, sqls...)...)
	cmd.Dir = dir()
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("duckdb: %v: %s", err, stderr.String())
	}
	var res [][]map[string]any
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("duckdb output: %w", err)
	}
	return res, nil
}

// Require skips the test when DuckDB is unavailable, or fails it when
// NEUROTAB_REQUIRE_DUCKDB is set.
func Require(tb testing.TB) {
	tb.Helper()
	if err := Available(); err != nil {
		if v := os.Getenv("NEUROTAB_REQUIRE_DUCKDB"); v != "" && v != "0" {
			tb.Fatalf("%v; NEUROTAB_REQUIRE_DUCKDB is set", err)
		}
		tb.Skipf("%v; skipping the DuckDB cross-check", err)
	}
}

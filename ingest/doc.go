// Package ingest holds what every ingest path shares: deterministic sharding
// of an input list for cluster schedulers, and per-file outcome summaries.
// The per-source adapters live in sub-packages (eventdata for event
// streams; calcium-imaging adapters beside it).
package ingest

// Package ingest holds what every ingest path shares:
//
//   - Raw, one calcium-imaging recording as a source adapter reads it,
//     before homogenization (raw.go);
//   - Input, FileResult, Recording, Progress and Summary: the one entry,
//     result and progress shape of the converters (result.go) —
//     ingest/batch (calcium imaging → traces table), ingest/eventdata
//     (event streams → events table) and ingest/spikes (spike-sorted NWB →
//     spikes table) all take []Input and return []FileResult;
//   - Expand, which turns a folder given as input into the files a source
//     reads (expand.go);
//   - Shard, the deterministic split of an input list for cluster
//     schedulers (shard.go).
//
// The per-source readers live in sub-packages: ingest/calcium (calcium
// adapters and their registry), ingest/eventdata (event formats and their
// registry), ingest/homogenize (resampling, smoothing, normalization) and
// ingest/spikes. Formats are recognized by formats/sniff.
package ingest

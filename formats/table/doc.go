// Package table defines neurotab's canonical Arrow tables and their on-disk
// forms: Parquet (zstd, dictionary-encoded strings, streaming row groups) and
// Arrow IPC, written atomically and stamped with provenance.
//
// Tables (schemas in schema.go, one place for all of them):
//
//	traces       one row per recording × neuron, list<float32> columns (the
//	             published homogenized C. elegans layout); TracesLong is the
//	             one-row-per-sample form for SQL engines
//	neurons      the neuron atlas
//	edges        connectome edges (chemical | electrical | functional | neuromuscular)
//	events       event-camera / cochlea events (t µs, x, y, p)
//	spikes       spike times per unit (s)
//	predictions, metrics, fc, states, glm_weights, communities
//	             results of fit/ and analysis/, keyed by source_dataset and worm
//
// Writing: TracesBuilder, LongBuilder, EventsBuilder and RowBuilder make
// records; CreateParquet/CreateIPC stream them to a file (WriteParquet and
// WriteRows in one call). An output path names its form (ParseOutput):
// ".parquet" Parquet, ".arrow"/".feather" Arrow IPC, a name without an
// extension or ending in "/" a hive folder; CreateFile and WriteFile write
// the file forms. Reading has one shape for Parquet and Arrow IPC:
// Open returns a File whose Records streams record batches. On top of it,
// for a file or a hive-partitioned folder (DataFiles):
//
//	OpenRecordings   the recordings of a traces table, one Recording at a time
//	OpenRows[T]      typed rows (FCRow, MetricRow, …) of any other table
//
// both with Next until io.EOF, then Close.
//
// Orientation: rows of a dense trace matrix are time, columns are neurons
// (T × N). Times are in seconds except events (t in µs).
//
// Memory: every arrow.RecordBatch returned by this package is owned by the
// caller, who calls Release exactly once. Builders are released by their
// owner too. Readers' Next batches live until the following Next call unless
// retained.
//
// Files: writers write to a temporary file in the target folder, fsync it and
// rename it over the final name on Close, so an interrupted write never leaves
// a truncated file under the final name (at worst a hidden ".*.tmp-*" file,
// removed by Abort). Every file carries Provenance in its key-value metadata.
package table

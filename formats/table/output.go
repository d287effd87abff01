package table

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab"
)

// OutputKind is the on-disk form of a table output, named by the output
// path (ParseOutput).
type OutputKind int

const (
	// OutputParquet is one Parquet file (".parquet").
	OutputParquet OutputKind = iota + 1
	// OutputIPC is one Arrow IPC file, Feather v2 (".arrow", ".feather").
	OutputIPC
	// OutputDir is a hive-partitioned folder of Parquet files (a name
	// without an extension, or ending in "/").
	OutputDir
)

// OutputChoices lists the output forms ParseOutput accepts, for usage
// messages.
const OutputChoices = "FILE.parquet (Parquet), FILE.arrow or FILE.feather (Arrow IPC), or a folder: a name without an extension or ending in / (hive-partitioned Parquet)"

// String names the kind as the output choices do.
func (k OutputKind) String() string {
	switch k {
	case OutputParquet:
		return "Parquet file"
	case OutputIPC:
		return "Arrow IPC file"
	case OutputDir:
		return "hive folder"
	}
	return "unknown output"
}

// ParseOutput names the form of a table output from its path, the one rule
// every command follows: ".parquet" is Parquet, ".arrow" and ".feather" are
// Arrow IPC (Feather v2), a name without an extension or ending in "/" is a
// hive-partitioned folder. Any other name (".csv", "-", "") is an error
// wrapping neurotab.ErrParam that lists the choices.
func ParseOutput(path string) (OutputKind, error) {
	if path == "" || path == "-" {
		return 0, fmt.Errorf("output %q: not a file or folder name; use %s: %w", path, OutputChoices, neurotab.ErrParam)
	}
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return OutputDir, nil
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".parquet":
		return OutputParquet, nil
	case ".arrow", ".feather":
		return OutputIPC, nil
	case "":
		return OutputDir, nil
	default:
		return 0, fmt.Errorf("output %s: unknown extension %q; use %s: %w", path, ext, OutputChoices, neurotab.ErrParam)
	}
}

// TableWriter is a Writer that also takes provenance sources and metadata
// known only after the data. *ParquetWriter and *IPCWriter implement it.
type TableWriter interface {
	Writer
	// AddSource records one more source file in the provenance.
	AddSource(s SourceFile)
	// AddMetadata adds a key-value pair to the file's metadata.
	AddMetadata(key, value string)
	// Rows is the number of rows written so far.
	Rows() int64
}

var (
	_ TableWriter = (*ParquetWriter)(nil)
	_ TableWriter = (*IPCWriter)(nil)
)

// Create starts a file of table kind k at path in the form out: a Parquet
// file (CreateParquet) or an Arrow IPC file (CreateIPC). A folder is not a
// file: OutputDir is an error wrapping neurotab.ErrParam.
func Create(path string, out OutputKind, k Kind, prov Provenance, extra map[string]string, o *WriteOptions) (TableWriter, error) {
	switch out {
	// Each branch returns a nil TableWriter on error, never a typed nil.
	case OutputParquet:
		w, err := CreateParquet(path, k, prov, extra, o)
		if err != nil {
			return nil, err
		}
		return w, nil
	case OutputIPC:
		w, err := CreateIPC(path, k, prov, extra, ipcOptions(o))
		if err != nil {
			return nil, err
		}
		return w, nil
	}
	return nil, fmt.Errorf("%s: a %s is not one file: %w", path, out, neurotab.ErrParam)
}

// CreateFile is Create with the form named by the path (ParseOutput).
func CreateFile(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions) (TableWriter, error) {
	out, err := ParseOutput(path)
	if err != nil {
		return nil, err
	}
	return Create(path, out, k, prov, extra, o)
}

// WriteFile writes recs as one file of kind k, Parquet or Arrow IPC as the
// path names it (ParseOutput), atomically.
func WriteFile(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions, recs ...arrow.RecordBatch) error {
	w, err := CreateFile(path, k, prov, extra, o)
	if err != nil {
		return err
	}
	return writeAll(w, recs)
}

// ipcOptions keeps the options that apply to Arrow IPC: a Parquet-only
// codec (snappy, gzip, brotli) falls back to zstd.
func ipcOptions(o *WriteOptions) *WriteOptions {
	if o == nil {
		return nil
	}
	c := *o
	switch c.Compression {
	case "zstd", "lz4", "none", "uncompressed":
	default:
		c.Compression = ""
	}
	return &c
}

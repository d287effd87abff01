package table

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab"
)

// Metadata keys written into every file's key-value metadata (Parquet) or
// schema metadata (Arrow IPC).
const (
	MetaTable      = "neurotab.table"      // table kind, e.g. "traces"
	MetaVersion    = "neurotab.version"    // toolkit version
	MetaCommand    = "neurotab.command"    // command line, JSON array of strings
	MetaParameters = "neurotab.parameters" // parameters, a JSON object
	MetaSeed       = "neurotab.seed"       // seed of every random step, decimal
	MetaSources    = "neurotab.sources"    // source files, JSON array of SourceFile
)

// Version is the toolkit version recorded in provenance. Release builds set
// it with -ldflags "-X github.com/neurotab/neurotab/formats/table.Version=v1.2.3";
// otherwise it is the module version from the build info, or "0.1.0-devel".
var Version = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-devel"
}()

// SourceFile identifies one input file by path, size and SHA-256.
type SourceFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// HashFile returns the SourceFile record of the file at path.
func HashFile(path string) (SourceFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return SourceFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return SourceFile{}, fmt.Errorf("%s: %w", path, err)
	}
	return SourceFile{Path: path, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Provenance says how a file was made. Nothing in it depends on the clock,
// so the same inputs, parameters and seed give the same bytes.
type Provenance struct {
	Version    string         // toolkit version; Version when empty
	Command    []string       // command line (os.Args for the CLI)
	Parameters map[string]any // every parameter that shaped the output
	Seed       *neurotab.Seed // seed of the random steps; nil when nothing was random
	Sources    []SourceFile   // inputs
}

// NewProvenance is the one way a command builds the provenance of what it
// writes: its command line, the parameters that shaped the output, the seed
// (nil when nothing was random) and every input it read, hashed. An input
// that is a folder (a hive dataset) contributes each regular file below it,
// in path order. Inputs are tables as much as lab files: a command that
// reads traces.parquet records it like ingest records a .mat file.
func NewProvenance(command []string, params map[string]any, seed *neurotab.Seed, inputs ...string) (Provenance, error) {
	p := Provenance{Command: command, Parameters: params, Seed: seed, Sources: []SourceFile{}}
	for _, in := range inputs {
		files, err := inputFiles(in)
		if err != nil {
			return Provenance{}, err
		}
		for _, f := range files {
			sf, err := HashFile(f)
			if err != nil {
				return Provenance{}, err
			}
			p.Sources = append(p.Sources, sf)
		}
	}
	return p, nil
}

// inputFiles is path itself, or the regular files below a folder, sorted
// (hidden files, such as interrupted writes' temporaries, left out).
func inputFiles(path string) ([]string, error) {
	files, err := visibleFiles(path, func(string) bool { return true })
	sort.Strings(files)
	return files, err
}

// Metadata renders p as key-value metadata for a table of kind k. Keys are
// sorted, values deterministic (encoding/json sorts map keys).
func (p Provenance) Metadata(k Kind) (arrow.Metadata, error) {
	v := p.Version
	if v == "" {
		v = Version
	}
	cmd, err := json.Marshal(nonNil(p.Command))
	if err != nil {
		return arrow.Metadata{}, err
	}
	params := p.Parameters
	if params == nil {
		params = map[string]any{}
	}
	par, err := json.Marshal(params)
	if err != nil {
		return arrow.Metadata{}, fmt.Errorf("provenance parameters: %w", err)
	}
	src := p.Sources
	if src == nil {
		src = []SourceFile{}
	}
	srcs, err := json.Marshal(src)
	if err != nil {
		return arrow.Metadata{}, err
	}
	keys := []string{MetaCommand, MetaParameters, MetaSources, MetaTable, MetaVersion}
	vals := []string{string(cmd), string(par), string(srcs), string(k), v}
	if p.Seed != nil {
		keys = append(keys, MetaSeed)
		vals = append(vals, p.Seed.String())
	}
	return arrow.NewMetadata(keys, vals), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ParseProvenance reads provenance back from key-value metadata. Missing keys
// leave zero values; a malformed value (bad JSON, a seed that is not a
// decimal uint64) is an error naming the key and wrapping
// neurotab.ErrMalformed.
func ParseProvenance(md arrow.Metadata) (Provenance, Kind, error) {
	var p Provenance
	var k Kind
	if v, ok := md.GetValue(MetaTable); ok {
		k = Kind(v)
	}
	p.Version, _ = md.GetValue(MetaVersion)
	if v, ok := md.GetValue(MetaCommand); ok {
		if err := json.Unmarshal([]byte(v), &p.Command); err != nil {
			return p, k, fmt.Errorf("metadata %s: %v: %w", MetaCommand, err, neurotab.ErrMalformed)
		}
	}
	if v, ok := md.GetValue(MetaParameters); ok {
		if err := json.Unmarshal([]byte(v), &p.Parameters); err != nil {
			return p, k, fmt.Errorf("metadata %s: %v: %w", MetaParameters, err, neurotab.ErrMalformed)
		}
	}
	if v, ok := md.GetValue(MetaSources); ok {
		if err := json.Unmarshal([]byte(v), &p.Sources); err != nil {
			return p, k, fmt.Errorf("metadata %s: %v: %w", MetaSources, err, neurotab.ErrMalformed)
		}
	}
	if v, ok := md.GetValue(MetaSeed); ok {
		s, err := neurotab.ParseSeed(v)
		if err != nil {
			return p, k, fmt.Errorf("metadata %s: %v: %w", MetaSeed, err, neurotab.ErrMalformed)
		}
		p.Seed = &s
	}
	return p, k, nil
}

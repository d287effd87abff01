package table

import (
	"fmt"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
)

// Kind names a canonical table.
type Kind string

// The canonical tables of DESIGN.md.
const (
	Traces      Kind = "traces"
	TracesLong  Kind = "traces_long"
	Neurons     Kind = "neurons"
	Edges       Kind = "edges"
	Events      Kind = "events"
	Spikes      Kind = "spikes"
	Predictions Kind = "predictions"
	Metrics     Kind = "metrics"
	FC          Kind = "fc"
	States      Kind = "states"
	GLMWeights  Kind = "glm_weights"
	Communities Kind = "communities"
	// Behavior: behavior variables on the traces' frames (ingest behavior).
	Behavior Kind = "behavior"
	// NTFFactors, NTFDiagnostics: the factors and rank diagnostics of a
	// non-negative tensor factorization of dynamic FC (analyze dfc).
	NTFFactors     Kind = "ntf_factors"
	NTFDiagnostics Kind = "ntf_diagnostics"
	// StructureFunction, StructureNull: FC against a connectome with its
	// rewired null (analyze structure-function).
	StructureFunction Kind = "structure_function"
	StructureNull     Kind = "structure_null"
)

// DictString is the Arrow type of every string column: dictionary-encoded
// (int32 indices) UTF-8. Parquet stores it dictionary-encoded and pandas,
// Polars and DuckDB read it as a categorical/plain string.
var DictString arrow.DataType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// Float32List is the Arrow type of the trace columns.
var Float32List arrow.DataType = arrow.ListOf(arrow.PrimitiveTypes.Float32)

func req(name string, t arrow.DataType) arrow.Field { return arrow.Field{Name: name, Type: t} }
func opt(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

var (
	f64 = arrow.PrimitiveTypes.Float64
	f32 = arrow.PrimitiveTypes.Float32
	i32 = arrow.PrimitiveTypes.Int32
	i64 = arrow.PrimitiveTypes.Int64
	u16 = arrow.PrimitiveTypes.Uint16
	i8  = arrow.PrimitiveTypes.Int8
	bl  = arrow.FixedWidthTypes.Boolean
)

var schemas = map[Kind]*arrow.Schema{
	Traces: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("neuron", DictString),
		opt("slot", i32),
		req("is_labeled_neuron", bl),
		req("calcium_data", Float32List),
		req("time_in_seconds", Float32List),
		opt("original_calcium_data", Float32List),
		opt("original_time_in_seconds", Float32List),
		req("median_dt", f64),
		opt("original_median_dt", f64),
		req("max_timesteps", i32),
		opt("original_max_timesteps", i32),
		req("smooth_method", DictString),
		req("interpolate_method", DictString),
		req("normalization_method", DictString),
		req("raw_data_file", DictString),
	}, nil),
	TracesLong: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("neuron", DictString),
		req("t", f64),
		req("value", f32),
	}, nil),
	Neurons: arrow.NewSchema([]arrow.Field{
		req("neuron", DictString),
		opt("class", DictString),
		opt("type", DictString),
		opt("neurotransmitter", DictString),
		opt("x", f64),
		opt("y", f64),
		opt("z", f64),
		opt("slot", i32),
	}, nil),
	Edges: arrow.NewSchema([]arrow.Field{
		req("dataset", DictString),
		req("pre", DictString),
		req("post", DictString),
		req("type", DictString),
		req("weight", f64),
		opt("q_value", f64),
	}, nil),
	Events: arrow.NewSchema([]arrow.Field{
		req("sample", i32),
		req("t", i64),
		req("x", u16),
		req("y", u16),
		req("p", i8),
	}, nil),
	Spikes: arrow.NewSchema([]arrow.Field{
		req("recording", DictString),
		req("unit", i64),
		req("t", f64),
		opt("amplitude", f64),
	}, nil),
	Predictions: arrow.NewSchema([]arrow.Field{
		req("model", DictString),
		req("source_dataset", DictString),
		req("worm", DictString),
		req("neuron", DictString),
		req("split", DictString),
		req("t", f64),
		opt("observed", f64),
		req("predicted", f64),
	}, nil),
	Metrics: arrow.NewSchema([]arrow.Field{
		req("model", DictString),
		req("source_dataset", DictString),
		req("worm", DictString),
		opt("neuron", DictString),
		req("split", DictString),
		req("metric", DictString),
		req("value", f64),
	}, nil),
	FC: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("window", i32),
		req("t_start", f64),
		req("t_end", f64),
		req("pre", DictString),
		req("post", DictString),
		req("measure", DictString),
		req("value", f64),
		opt("p_value", f64),
		opt("q_value", f64),
	}, nil),
	States: arrow.NewSchema([]arrow.Field{
		req("model", DictString),
		req("source_dataset", DictString),
		req("worm", DictString),
		req("t", f64),
		req("state", i32),
		req("posterior", f64),
	}, nil),
	GLMWeights: arrow.NewSchema([]arrow.Field{
		req("model", DictString),
		req("state", i32),
		req("pre", DictString),
		req("post", DictString),
		req("lag", i32),
		req("weight", f64),
	}, nil),
	Behavior: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("grid", DictString),
		req("t", f64),
		req("variable", DictString),
		req("value", f64),
	}, nil),
	Communities: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("window", i32),
		req("neuron", DictString),
		req("community", i32),
	}, nil),
	NTFFactors: arrow.NewSchema([]arrow.Field{
		req("rank", i32),
		req("component", i32),
		req("weight", f64),
		req("mode", DictString),
		req("index", i32),
		opt("source_dataset", DictString),
		opt("worm", DictString),
		opt("t_start", f64),
		opt("t_end", f64),
		opt("pre", DictString),
		opt("post", DictString),
		req("loading", f64),
	}, nil),
	NTFDiagnostics: arrow.NewSchema([]arrow.Field{
		req("rank", i32),
		req("restarts", i32),
		req("relative_error", f64),
		req("similarity", f64),
		opt("core_consistency", f64),
	}, nil),
	StructureFunction: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("window", i32),
		req("measure", DictString),
		req("connectome", DictString),
		req("type", DictString),
		req("neurons", i32),
		req("pairs", i32),
		req("positives", i32),
		req("rewirings", i32),
		req("spearman", f64),
		req("spearman_null_mean", f64),
		req("spearman_null_sd", f64),
		req("spearman_p", f64),
		req("auc", f64),
		req("auc_null_mean", f64),
		req("auc_null_sd", f64),
		req("auc_p", f64),
	}, nil),
	StructureNull: arrow.NewSchema([]arrow.Field{
		req("source_dataset", DictString),
		req("worm", DictString),
		req("window", i32),
		req("measure", DictString),
		req("connectome", DictString),
		req("type", DictString),
		req("rewiring", i32),
		req("auc", f64),
		req("spearman", f64),
	}, nil),
}

// Schema returns the canonical Arrow schema of a table kind (without
// metadata). It panics on an unknown kind, a programmer error.
func Schema(k Kind) *arrow.Schema {
	s, ok := schemas[k]
	if !ok {
		panic(fmt.Sprintf("table: unknown table kind %q", k))
	}
	return s
}

// Kinds lists every canonical table kind in name order.
func Kinds() []Kind {
	ks := make([]Kind, 0, len(schemas))
	for k := range schemas {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, error) {
	if _, ok := schemas[Kind(s)]; ok {
		return Kind(s), nil
	}
	return "", fmt.Errorf("table: unknown table kind %q (known: %v)", s, Kinds())
}

// KindOf identifies a schema as one of the canonical tables: the kind recorded
// in its metadata (MetaTable), or else the kind whose fields it matches.
func KindOf(s *arrow.Schema) (Kind, bool) {
	if v, ok := s.Metadata().GetValue(MetaTable); ok {
		if _, known := schemas[Kind(v)]; known {
			return Kind(v), true
		}
	}
	for _, k := range Kinds() {
		if sameFields(schemas[k], s) {
			return k, true
		}
	}
	return "", false
}

func sameFields(want, got *arrow.Schema) bool {
	if want.NumFields() != got.NumFields() {
		return false
	}
	for i, f := range want.Fields() {
		g := got.Field(i)
		if f.Name != g.Name || !arrow.TypeEqual(f.Type, g.Type) {
			return false
		}
	}
	return true
}

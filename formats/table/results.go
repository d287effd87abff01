package table

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// Row is one typed row of a canonical table: TracesLongRow, NeuronRow,
// EdgeRow, SpikeRow, PredictionRow, MetricRow, FCRow, StateRow,
// GLMWeightRow, CommunityRow, NTFFactorRow, NTFDiagnosticRow,
// StructureFunctionRow, StructureNullRow or BehaviorRow. RowBuilder.AppendRow writes it and
// RowReader reads it back.
//
// Nulls: a null float is NaN, a null string "", a null slot -1 — the
// values that RowBuilder stores as null, so a row round-trips exactly.
type Row interface {
	// Kind is the table the row belongs to.
	Kind() Kind
	// Values are the row's values in schema order, nulls as nil, ready
	// for RowBuilder.Append.
	Values() []any
}

// rowType is the pointer type of a Row whose decoder this package knows.
type rowType[T any] interface {
	*T
	Row
	// bind returns a decoder of the batch's rows (c holds any error).
	bind(c *colset) func(dst *T, i int)
}

// TracesLongRow is a row of the traces_long table: one sample.
type TracesLongRow struct {
	SourceDataset, Worm, Neuron string
	T                           float64 // s
	Value                       float32
}

// NeuronRow is a row of the neurons table (atlas). Slot is -1 for none.
type NeuronRow struct {
	Neuron, Class, Type, Neurotransmitter string
	X, Y, Z                               float64
	Slot                                  int
}

// EdgeRow is a row of the edges table: A[Pre][Post] = Weight.
type EdgeRow struct {
	Dataset, Pre, Post, Type string
	Weight, QValue           float64
}

// SpikeRow is a row of the spikes table: one spike of Unit at T s.
type SpikeRow struct {
	Recording string
	Unit      int64
	T         float64 // s
	Amplitude float64
}

// PredictionRow is a row of the predictions table: a model's prediction of
// one neuron at time T (s); Observed is NaN when not known.
type PredictionRow struct {
	Model, SourceDataset, Worm, Neuron, Split string
	T, Observed, Predicted                    float64
}

// MetricRow is a row of the metrics table; Neuron is "" for a figure of
// the whole recording.
type MetricRow struct {
	Model, SourceDataset, Worm, Neuron, Split, Metric string
	Value                                             float64
}

// FCRow is a row of the fc table: C[Pre][Post] = Value over window Window
// (TStart to TEnd, s); PValue and QValue are NaN when not computed.
type FCRow struct {
	SourceDataset, Worm   string
	Window                int
	TStart, TEnd          float64
	Pre, Post, Measure    string
	Value, PValue, QValue float64
}

// StateRow is a row of the states table: the posterior of State at time T.
type StateRow struct {
	Model, SourceDataset, Worm string
	T                          float64
	State                      int
	Posterior                  float64
}

// GLMWeightRow is a row of the glm_weights table.
type GLMWeightRow struct {
	Model     string
	State     int
	Pre, Post string
	Lag       int
	Weight    float64
}

// CommunityRow is a row of the communities table.
type CommunityRow struct {
	SourceDataset, Worm string
	Window              int
	Neuron              string
	Community           int
}

// NTFFactorRow is a row of the ntf_factors table: the loading of one
// element of one mode of component Component (0-based, by decreasing
// Weight λ) of the rank-Rank CP model. Mode is "window" (Index the window,
// TStart and TEnd its times), "recording" (SourceDataset and Worm) or
// "pair" (Pre and Post, Pre before Post in the recording's neuron order);
// the fields of the other modes are null ("" and NaN).
type NTFFactorRow struct {
	Rank, Component     int
	Weight              float64
	Mode                string
	Index               int
	SourceDataset, Worm string
	TStart, TEnd        float64
	Pre, Post           string
	Loading             float64
}

// NTFDiagnosticRow is a row of the ntf_diagnostics table: the fit of one
// rank over Restarts restarts — the best relative reconstruction error
// ‖X − X̂‖/‖X‖, the mean factor match score of the other restarts with the
// best, and the core consistency (NaN, stored null, when undefined).
type NTFDiagnosticRow struct {
	Rank, Restarts                             int
	RelativeError, Similarity, CoreConsistency float64
}

// StructureFunctionRow is a row of the structure_function table: one FC
// matrix (SourceDataset, Worm, Window, Measure) against one connectome
// dataset and synapse Type (chemical, electrical or any) on Neurons shared
// neurons (Pairs unordered pairs, Positives of them with a synapse): the
// Spearman ρ of |FC| with synaptic weight and the ROC-AUC of |FC| for a
// synapse, each with the mean, standard deviation and one-sided p-value
// of its degree-preserving rewired null (Rewirings rewirings).
type StructureFunctionRow struct {
	SourceDataset, Worm                                   string
	Window                                                int
	Measure, Connectome, Type                             string
	Neurons, Pairs, Positives, Rewirings                  int
	Spearman, SpearmanNullMean, SpearmanNullSD, SpearmanP float64
	AUC, AUCNullMean, AUCNullSD, AUCP                     float64
}

// StructureNullRow is a row of the structure_null table: the AUC and the
// Spearman ρ of rewiring Rewiring (from 0) of the null of the matching
// structure_function row.
type StructureNullRow struct {
	SourceDataset, Worm       string
	Window                    int
	Measure, Connectome, Type string
	Rewiring                  int
	AUC, Spearman             float64
}

// BehaviorRow is a row of the behavior table: the value of one behavior
// Variable (velocity, reversal, …) at time T (s) on the recording's own
// frames (Grid GridOriginal) or on the homogenized traces' time grid (Grid
// GridHomogenized).
type BehaviorRow struct {
	SourceDataset, Worm, Grid string
	T                         float64
	Variable                  string
	Value                     float64
}

// Values of the grid column of the behavior table.
const (
	// GridOriginal: the recording's own frames, times re-based as the
	// traces' original_time_in_seconds.
	GridOriginal = "original"
	// GridHomogenized: the homogenized traces' time_in_seconds.
	GridHomogenized = "homogenized"
)

// Kind is Behavior.
func (BehaviorRow) Kind() Kind { return Behavior }

// Values in schema order.
func (r BehaviorRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Grid, r.T, r.Variable, r.Value}
}

func (*BehaviorRow) bind(c *colset) func(*BehaviorRow, int) {
	ds, wm, g, t, v, x := c.str("source_dataset"), c.str("worm"), c.str("grid"), c.f64("t"), c.str("variable"), c.f64("value")
	return func(r *BehaviorRow, i int) { *r = BehaviorRow{ds(i), wm(i), g(i), t(i), v(i), x(i)} }
}

// Kind is TracesLong.
func (TracesLongRow) Kind() Kind { return TracesLong }

// Kind is Neurons.
func (NeuronRow) Kind() Kind { return Neurons }

// Kind is Edges.
func (EdgeRow) Kind() Kind { return Edges }

// Kind is Spikes.
func (SpikeRow) Kind() Kind { return Spikes }

// Kind is Predictions.
func (PredictionRow) Kind() Kind { return Predictions }

// Kind is Metrics.
func (MetricRow) Kind() Kind { return Metrics }

// Kind is FC.
func (FCRow) Kind() Kind { return FC }

// Kind is States.
func (StateRow) Kind() Kind { return States }

// Kind is GLMWeights.
func (GLMWeightRow) Kind() Kind { return GLMWeights }

// Kind is Communities.
func (CommunityRow) Kind() Kind { return Communities }

// nullStr is nil for "" (a null string).
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Values in schema order.
func (r TracesLongRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Neuron, r.T, r.Value}
}

// Values in schema order; "" and -1 are null.
func (r NeuronRow) Values() []any {
	var slot any
	if r.Slot >= 0 {
		slot = r.Slot
	}
	return []any{r.Neuron, nullStr(r.Class), nullStr(r.Type), nullStr(r.Neurotransmitter), r.X, r.Y, r.Z, slot}
}

// Values in schema order.
func (r EdgeRow) Values() []any {
	return []any{r.Dataset, r.Pre, r.Post, r.Type, r.Weight, r.QValue}
}

// Values in schema order.
func (r SpikeRow) Values() []any { return []any{r.Recording, r.Unit, r.T, r.Amplitude} }

// Values in schema order.
func (r PredictionRow) Values() []any {
	return []any{r.Model, r.SourceDataset, r.Worm, r.Neuron, r.Split, r.T, r.Observed, r.Predicted}
}

// Values in schema order; Neuron "" is null.
func (r MetricRow) Values() []any {
	return []any{r.Model, r.SourceDataset, r.Worm, nullStr(r.Neuron), r.Split, r.Metric, r.Value}
}

// Values in schema order.
func (r FCRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Window, r.TStart, r.TEnd, r.Pre, r.Post, r.Measure, r.Value, r.PValue, r.QValue}
}

// Values in schema order.
func (r StateRow) Values() []any {
	return []any{r.Model, r.SourceDataset, r.Worm, r.T, r.State, r.Posterior}
}

// Values in schema order.
func (r GLMWeightRow) Values() []any {
	return []any{r.Model, r.State, r.Pre, r.Post, r.Lag, r.Weight}
}

// Values in schema order.
func (r CommunityRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Window, r.Neuron, r.Community}
}

// Kind is NTFFactors.
func (NTFFactorRow) Kind() Kind { return NTFFactors }

// Kind is NTFDiagnostics.
func (NTFDiagnosticRow) Kind() Kind { return NTFDiagnostics }

// Kind is StructureFunction.
func (StructureFunctionRow) Kind() Kind { return StructureFunction }

// Kind is StructureNull.
func (StructureNullRow) Kind() Kind { return StructureNull }

// Values in schema order; "" and NaN are null.
func (r NTFFactorRow) Values() []any {
	return []any{r.Rank, r.Component, r.Weight, r.Mode, r.Index, nullStr(r.SourceDataset), nullStr(r.Worm),
		r.TStart, r.TEnd, nullStr(r.Pre), nullStr(r.Post), r.Loading}
}

// Values in schema order; a NaN core consistency is null.
func (r NTFDiagnosticRow) Values() []any {
	return []any{r.Rank, r.Restarts, r.RelativeError, r.Similarity, r.CoreConsistency}
}

// Values in schema order.
func (r StructureFunctionRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Window, r.Measure, r.Connectome, r.Type, r.Neurons, r.Pairs, r.Positives, r.Rewirings,
		r.Spearman, r.SpearmanNullMean, r.SpearmanNullSD, r.SpearmanP, r.AUC, r.AUCNullMean, r.AUCNullSD, r.AUCP}
}

// Values in schema order.
func (r StructureNullRow) Values() []any {
	return []any{r.SourceDataset, r.Worm, r.Window, r.Measure, r.Connectome, r.Type, r.Rewiring, r.AUC, r.Spearman}
}

func (*TracesLongRow) bind(c *colset) func(*TracesLongRow, int) {
	ds, wm, nr, t, v := c.str("source_dataset"), c.str("worm"), c.str("neuron"), c.f64("t"), c.f64("value")
	return func(r *TracesLongRow, i int) { *r = TracesLongRow{ds(i), wm(i), nr(i), t(i), float32(v(i))} }
}

func (*NeuronRow) bind(c *colset) func(*NeuronRow, int) {
	nr, cl, ty, nt := c.str("neuron"), c.str("class"), c.str("type"), c.str("neurotransmitter")
	x, y, z, slot := c.f64("x"), c.f64("y"), c.f64("z"), c.integer("slot", -1)
	return func(r *NeuronRow, i int) { *r = NeuronRow{nr(i), cl(i), ty(i), nt(i), x(i), y(i), z(i), int(slot(i))} }
}

func (*EdgeRow) bind(c *colset) func(*EdgeRow, int) {
	ds, pre, post, ty, w, q := c.str("dataset"), c.str("pre"), c.str("post"), c.str("type"), c.f64("weight"), c.f64("q_value")
	return func(r *EdgeRow, i int) { *r = EdgeRow{ds(i), pre(i), post(i), ty(i), w(i), q(i)} }
}

func (*SpikeRow) bind(c *colset) func(*SpikeRow, int) {
	rec, unit, t, amp := c.str("recording"), c.integer("unit", 0), c.f64("t"), c.f64("amplitude")
	return func(r *SpikeRow, i int) { *r = SpikeRow{rec(i), unit(i), t(i), amp(i)} }
}

func (*PredictionRow) bind(c *colset) func(*PredictionRow, int) {
	m, ds, wm, nr, sp := c.str("model"), c.str("source_dataset"), c.str("worm"), c.str("neuron"), c.str("split")
	t, obs, pred := c.f64("t"), c.f64("observed"), c.f64("predicted")
	return func(r *PredictionRow, i int) {
		*r = PredictionRow{m(i), ds(i), wm(i), nr(i), sp(i), t(i), obs(i), pred(i)}
	}
}

func (*MetricRow) bind(c *colset) func(*MetricRow, int) {
	m, ds, wm, nr, sp, me, v := c.str("model"), c.str("source_dataset"), c.str("worm"), c.str("neuron"), c.str("split"), c.str("metric"), c.f64("value")
	return func(r *MetricRow, i int) { *r = MetricRow{m(i), ds(i), wm(i), nr(i), sp(i), me(i), v(i)} }
}

func (*FCRow) bind(c *colset) func(*FCRow, int) {
	ds, wm, win, t0, t1 := c.str("source_dataset"), c.str("worm"), c.integer("window", 0), c.f64("t_start"), c.f64("t_end")
	pre, post, me, v, p, q := c.str("pre"), c.str("post"), c.str("measure"), c.f64("value"), c.f64("p_value"), c.f64("q_value")
	return func(r *FCRow, i int) {
		*r = FCRow{ds(i), wm(i), int(win(i)), t0(i), t1(i), pre(i), post(i), me(i), v(i), p(i), q(i)}
	}
}

func (*StateRow) bind(c *colset) func(*StateRow, int) {
	m, ds, wm, t, st, po := c.str("model"), c.str("source_dataset"), c.str("worm"), c.f64("t"), c.integer("state", 0), c.f64("posterior")
	return func(r *StateRow, i int) { *r = StateRow{m(i), ds(i), wm(i), t(i), int(st(i)), po(i)} }
}

func (*GLMWeightRow) bind(c *colset) func(*GLMWeightRow, int) {
	m, st, pre, post, lag, w := c.str("model"), c.integer("state", 0), c.str("pre"), c.str("post"), c.integer("lag", 0), c.f64("weight")
	return func(r *GLMWeightRow, i int) { *r = GLMWeightRow{m(i), int(st(i)), pre(i), post(i), int(lag(i)), w(i)} }
}

func (*CommunityRow) bind(c *colset) func(*CommunityRow, int) {
	ds, wm, win, nr, cm := c.str("source_dataset"), c.str("worm"), c.integer("window", 0), c.str("neuron"), c.integer("community", 0)
	return func(r *CommunityRow, i int) { *r = CommunityRow{ds(i), wm(i), int(win(i)), nr(i), int(cm(i))} }
}

func (*NTFFactorRow) bind(c *colset) func(*NTFFactorRow, int) {
	rk, cp, w, md, ix := c.integer("rank", 0), c.integer("component", 0), c.f64("weight"), c.str("mode"), c.integer("index", 0)
	ds, wm, t0, t1, pre, post, l := c.str("source_dataset"), c.str("worm"), c.f64("t_start"), c.f64("t_end"), c.str("pre"), c.str("post"), c.f64("loading")
	return func(r *NTFFactorRow, i int) {
		*r = NTFFactorRow{int(rk(i)), int(cp(i)), w(i), md(i), int(ix(i)), ds(i), wm(i), t0(i), t1(i), pre(i), post(i), l(i)}
	}
}

func (*NTFDiagnosticRow) bind(c *colset) func(*NTFDiagnosticRow, int) {
	rk, rs, e, s, cc := c.integer("rank", 0), c.integer("restarts", 0), c.f64("relative_error"), c.f64("similarity"), c.f64("core_consistency")
	return func(r *NTFDiagnosticRow, i int) { *r = NTFDiagnosticRow{int(rk(i)), int(rs(i)), e(i), s(i), cc(i)} }
}

func (*StructureFunctionRow) bind(c *colset) func(*StructureFunctionRow, int) {
	ds, wm, win, me, cn, ty := c.str("source_dataset"), c.str("worm"), c.integer("window", 0), c.str("measure"), c.str("connectome"), c.str("type")
	n, pa, po, rw := c.integer("neurons", 0), c.integer("pairs", 0), c.integer("positives", 0), c.integer("rewirings", 0)
	s, sm, ss, sp := c.f64("spearman"), c.f64("spearman_null_mean"), c.f64("spearman_null_sd"), c.f64("spearman_p")
	a, am, as, ap := c.f64("auc"), c.f64("auc_null_mean"), c.f64("auc_null_sd"), c.f64("auc_p")
	return func(r *StructureFunctionRow, i int) {
		*r = StructureFunctionRow{ds(i), wm(i), int(win(i)), me(i), cn(i), ty(i), int(n(i)), int(pa(i)), int(po(i)), int(rw(i)),
			s(i), sm(i), ss(i), sp(i), a(i), am(i), as(i), ap(i)}
	}
}

func (*StructureNullRow) bind(c *colset) func(*StructureNullRow, int) {
	ds, wm, win, me, cn, ty := c.str("source_dataset"), c.str("worm"), c.integer("window", 0), c.str("measure"), c.str("connectome"), c.str("type")
	rw, a, s := c.integer("rewiring", 0), c.f64("auc"), c.f64("spearman")
	return func(r *StructureNullRow, i int) {
		*r = StructureNullRow{ds(i), wm(i), int(win(i)), me(i), cn(i), ty(i), int(rw(i)), a(i), s(i)}
	}
}

// RowReader streams the rows of one table kind, typed as T, from a Parquet
// file, an Arrow IPC file or a hive-partitioned folder of them (in the
// order of DataFiles), one batch at a time. It has the shape of
// RecordingReader: Next until io.EOF, then Close.
//
//	rr, err := table.OpenRows[table.FCRow]("fc.parquet", nil)
//	defer rr.Close()
//	for {
//		row, err := rr.Next()
//		if err == io.EOF {
//			break
//		}
//		… row.Pre, row.Post, row.Value …
//	}
type RowReader[T any, P rowType[T]] struct {
	src  *batchSource
	kind Kind
	dec  func(*T, int)
	n, i int // rows of the current batch, next row
	err  error
}

// OpenRows opens the table at path for reading rows of type T (the type
// parameter P is inferred). A file whose metadata names another table
// kind, or that lacks one of T's columns, is a *SchemaError. mem may be nil.
func OpenRows[T any, P rowType[T]](path string, mem memory.Allocator) (*RowReader[T, P], error) {
	src, err := newBatchSource(path, mem, func(File) int64 { return 64 << 10 })
	if err != nil {
		return nil, err
	}
	return &RowReader[T, P]{src: src, kind: P(new(T)).Kind()}, nil
}

// Next returns the next row, or io.EOF after the last one.
func (r *RowReader[T, P]) Next() (row T, err error) {
	if r.err != nil {
		return row, r.err
	}
	// A panic of Arrow on a corrupt batch is an error naming the file.
	defer func() {
		if r.err == nil && err != nil {
			r.err = err
		}
	}()
	defer recoverAs(&err, r.src.file())
	for r.i >= r.n {
		if r.err = r.nextBatch(); r.err != nil {
			return row, r.err
		}
	}
	r.dec(&row, r.i)
	r.i++
	return row, nil
}

func (r *RowReader[T, P]) nextBatch() error {
	rec, err := r.src.next()
	if err != nil {
		return err
	}
	if k, ok := r.src.kind(); ok && k != r.kind {
		return &SchemaError{File: r.src.file(), Table: r.kind, Column: MetaTable, Row: -1, Msg: fmt.Sprintf("a %s table, not %s", k, r.kind)}
	}
	c := &colset{rec: rec, kind: r.kind, file: r.src.file()}
	r.dec = P(new(T)).bind(c)
	if c.err != nil {
		return c.err
	}
	r.n, r.i = int(rec.NumRows()), 0
	return nil
}

// Close releases the reader and its open file.
func (r *RowReader[T, P]) Close() error { return r.src.close() }

// ReadRows reads every row of the table at path (for tables that fit in
// memory; stream large ones with OpenRows).
func ReadRows[T any, P rowType[T]](path string, mem memory.Allocator) ([]T, error) {
	rr, err := OpenRows[T, P](path, mem)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	var out []T
	for {
		row, err := rr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
}

// AppendRow adds a typed row (see Row); its kind must be the builder's.
func (rb *RowBuilder) AppendRow(r Row) error {
	if r.Kind() != rb.kind {
		return fmt.Errorf("%s table: cannot append a %s row: %w", rb.kind, r.Kind(), neurotab.ErrType)
	}
	return rb.Append(r.Values()...)
}

// WriteRows writes rows as one Parquet file of their kind, atomically
// (RowBuilder then WriteParquet): the one call a command needs for a
// result table that fits in memory.
func WriteRows[T any, P rowType[T]](path string, prov Provenance, o *WriteOptions, rows []T) error {
	kind := P(new(T)).Kind()
	rb := NewRowBuilder(o.Mem(), kind)
	defer rb.Release()
	for i := range rows {
		if err := rb.Append(P(&rows[i]).Values()...); err != nil {
			return fmt.Errorf("%s: row %d: %w", path, i, err)
		}
	}
	rec := rb.NewRecord()
	defer rec.Release()
	return WriteParquet(path, kind, prov, nil, o, rec)
}

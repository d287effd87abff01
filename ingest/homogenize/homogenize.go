package homogenize

import (
	"fmt"
	"math"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Result is one homogenized recording with what was decided on the way.
type Result struct {
	// Recording is the homogenized recording: T × N Data on Time (starting
	// at 0, step Dt), Original on OriginalTime (re-based), method strings.
	Recording *table.Recording
	// Columns[c] is the raw column index of output column c.
	Columns []int
	// Labels[j] is the atlas normalization of raw label j.
	Labels []connectome.Normalized
	// Notes are the adapter's notes (Raw.Notes) followed by this step's:
	// traces dropped and why, gaps filled, the resampling direction.
	Notes []string
	// Parameters are the resolved options (Options.Parameters).
	Parameters map[string]any
}

// Homogenize turns one raw recording into one homogenized recording with
// the steps of the package documentation: skip checks, label
// normalization, time re-basing, NaN filling, normalization, smoothing and
// resampling, each set by opt (the zero value is the published pipeline of
// Simeon et al. 2024, arXiv:2411.12091).
//
// Exactly one of the results is non-nil: the Result; a *Skip when the
// recording is left out on purpose (too short, no labeled neuron, no trace
// left); or an error — an option error wrapping neurotab.ErrParam, or a
// *DataError naming r.RawFile, r.Worm and the trace, wrapping
// neurotab.ErrShape, neurotab.ErrTimeOrder or neurotab.ErrNotFinite (see
// DataError).
// r is not modified.
func Homogenize(r *ingest.Raw, opt Options) (*Result, *Skip, error) {
	p, skip, err := Prepare(r, opt)
	if p == nil {
		return nil, skip, err
	}
	res := p.res
	N, T0, T := len(p.cols), len(p.ot), len(res.Recording.Time)
	res.Recording.Data, res.Recording.Original = mat.NewDense(T, N, nil), mat.NewDense(T0, N, nil)
	p.finish(runSteps(res.Recording, p.src, p.cols, p.ot, p.grid, p.o))
	return res, nil, nil
}

// Plan is a homogenization decided but not yet run: the skip checks passed,
// the kept traces, their order and the time grid are fixed. Its Blocks run
// the steps over a few traces at a time, so a large recording is
// homogenized and written without the whole homogenized matrix in memory.
type Plan struct {
	res  *Result
	src  blas64.General
	cols []column
	ot   []float64
	grid *Grid
	o    Options
}

// Prepare runs the checks and plans of Homogenize on r (the same skips and
// errors) without running the per-trace steps. Exactly one of the results
// is non-nil. r's traces must stay unchanged until the Plan's Blocks
// return.
func Prepare(r *ingest.Raw, opt Options) (*Plan, *Skip, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, fmt.Errorf("homogenize: nil recording: %w", neurotab.ErrShape)
	}
	if err := checkRaw(r); err != nil {
		return nil, nil, err
	}
	T0, _ := r.Traces.Dims()
	if o.MinSamples > 0 && T0 < o.MinSamples {
		return nil, newSkip(r, SkipTooShort, 0, o.MinSamples, fmt.Sprintf("%d samples, fewer than %d", T0, o.MinSamples)), nil
	}
	if !o.NoResample && T0 < 2 {
		return nil, nil, dataError(r, -1, neurotab.ErrShape, "resampling needs at least 2 samples, have %d", T0)
	}
	cols, norms, notes, skip, err := planTraces(r, o)
	if skip != nil || err != nil {
		return nil, skip, err
	}
	ot := make([]float64, T0) // re-based time
	for i, v := range r.Time {
		ot[i] = v - r.Time[0]
	}
	grid, note, err := planGrid(r, o, ot)
	if err != nil {
		return nil, nil, err
	}
	if note != "" {
		notes = append(notes, note)
	}
	res := newResult(r, o, cols, norms, ot, grid)
	res.Notes = notes
	return &Plan{res: res, src: r.Traces.RawMatrix(), cols: cols, ot: ot, grid: grid, o: o}, nil, nil
}

// Result is the plan's result: its Recording has the names, slots, times
// and methods of the output but no Data or Original (Homogenize fills
// them; Blocks hands them out a block at a time). Its Notes are complete
// once Blocks has returned.
func (p *Plan) Result() *Result { return p.res }

// Blocks runs the steps over the output traces in blocks of at most n
// (n < 1: all at once) and calls fn with each block in output order: a
// Recording of the block's neurons (the Result's header, Neurons, Slots
// and Labeled sliced to the block, Data and Original T × block and T0 ×
// block) and c0, the block's first output column. The block's matrices
// are reused by the next call: fn must not keep them. Blocks stops at fn's
// first error and returns it. Together the blocks hold exactly the values
// Homogenize puts in Data and Original.
func (p *Plan) Blocks(n int, fn func(c0 int, blk *table.Recording) error) error {
	rec := p.res.Recording
	N, T0, T := len(p.cols), len(p.ot), len(rec.Time)
	if n < 1 || n > N {
		n = N
	}
	data, orig := make([]float64, T*n), make([]float64, T0*n)
	filled := 0
	for c0 := 0; c0 < N; c0 += n {
		c1 := min(c0+n, N)
		blk := *rec
		blk.Neurons, blk.Slots, blk.Labeled = rec.Neurons[c0:c1], rec.Slots[c0:c1], rec.Labeled[c0:c1]
		blk.Data = mat.NewDense(T, c1-c0, data[:T*(c1-c0)])
		blk.Original = mat.NewDense(T0, c1-c0, orig[:T0*(c1-c0)])
		filled += runSteps(&blk, p.src, p.cols[c0:c1], p.ot, p.grid, p.o)
		if err := fn(c0, &blk); err != nil {
			return err
		}
	}
	p.finish(filled)
	return nil
}

// finish adds the filling note once every trace has been through the steps.
func (p *Plan) finish(filled int) {
	if filled > 0 {
		p.res.Notes = append(p.res.Notes, fmt.Sprintf("filled %d NaN samples by linear interpolation in time", filled))
	}
}

// dataError returns the *DataError of trace (-1: none) of r.
func dataError(r *ingest.Raw, trace int, e error, format string, args ...any) error {
	de := &DataError{File: r.RawFile, Recording: r.Worm, Trace: trace, Msg: fmt.Sprintf(format, args...), Err: e}
	if trace >= 0 && trace < len(r.Labels) {
		de.Label = r.Labels[trace]
	}
	return de
}

// newSkip returns the Skip of r for reason.
func newSkip(r *ingest.Raw, reason SkipReason, labeled, threshold int, detail string) *Skip {
	T0, N0 := r.Traces.Dims()
	return &Skip{Reason: reason, Dataset: r.Dataset, Worm: r.Worm, RawFile: r.RawFile,
		Samples: T0, Traces: N0, Labeled: labeled, Threshold: threshold, Detail: detail}
}

// checkRaw checks that the traces, labels and time vector of r fit
// together and that time is finite and strictly increasing.
func checkRaw(r *ingest.Raw) error {
	if r.Traces == nil {
		return dataError(r, -1, neurotab.ErrShape, "no traces")
	}
	T0, N0 := r.Traces.Dims()
	if T0 == 0 || N0 == 0 {
		// mat.Dense{} is 0×0; any other Dense has both dims ≥ 1.
		return dataError(r, -1, neurotab.ErrShape, "empty traces matrix")
	}
	switch {
	case len(r.Labels) != N0:
		return dataError(r, -1, neurotab.ErrShape, "%d labels for %d traces", len(r.Labels), N0)
	case len(r.Time) != T0:
		return dataError(r, -1, neurotab.ErrShape, "time vector has %d samples, traces have %d", len(r.Time), T0)
	}
	if msg, err := checkTime(r.Time); err != nil {
		return dataError(r, -1, err, "%s", msg)
	}
	return nil
}

// planTraces decides which traces are kept and in which output order: the
// label plan, then the all-NaN and infinite checks on the kept traces, then
// the skips for no labeled neuron or no trace left. It returns the output
// columns, the normalization of every raw label and the notes so far.
func planTraces(r *ingest.Raw, o Options) (cols []column, norms []connectome.Normalized, notes []string, skip *Skip, err error) {
	_, N0 := r.Traces.Dims()
	notes = append([]string(nil), r.Notes...)
	cols, norms, lnotes := labelPlan(o.Atlas, r.Labels, o.DropUnlabeled)
	notes = append(notes, lnotes...)
	src := r.Traces.RawMatrix()
	finite, firstInf := scanFinite(src, cols)
	kept := cols[:0]
	for k, c := range cols {
		if i := firstInf[k]; i >= 0 {
			return nil, nil, nil, nil, dataError(r, c.raw, neurotab.ErrNotFinite, "%g at sample %d", src.Data[i*src.Stride+c.raw], i)
		}
		if finite[k] == 0 {
			if !o.DropAllNaN {
				return nil, nil, nil, nil, dataError(r, c.raw, neurotab.ErrNotFinite, "all-NaN trace (%d samples)", src.Rows)
			}
			notes = append(notes, fmt.Sprintf("trace %d (%q) dropped: all NaN", c.raw, r.Labels[c.raw]))
			continue
		}
		kept = append(kept, c)
	}
	cols = kept
	nLabeled := 0
	for _, c := range cols {
		if c.labeled {
			nLabeled++
		}
	}
	if nLabeled == 0 && !o.AllowUnlabeled {
		return nil, nil, nil, newSkip(r, SkipNoLabeled, 0, 0, fmt.Sprintf("none of %d traces has a canonical neuron label%s", N0, labelExamples(r.Labels))), nil
	}
	if len(cols) == 0 {
		return nil, nil, nil, newSkip(r, SkipNoTraces, nLabeled, 0, fmt.Sprintf("all %d traces were dropped", N0)), nil
	}
	return finishPlan(cols, r.Labels, o.Atlas.Len(), o.UnlabeledSlots), norms, notes, nil, nil
}

// scanFinite counts, for each of cols, its finite samples and finds its
// first infinite one (-1: none), in one pass over the rows (memory order).
func scanFinite(src blas64.General, cols []column) (finite, firstInf []int) {
	finite = make([]int, len(cols))
	firstInf = make([]int, len(cols))
	for k := range firstInf {
		firstInf[k] = -1
	}
	for i := 0; i < src.Rows; i++ {
		row := src.Data[i*src.Stride : i*src.Stride+src.Cols]
		for k, c := range cols {
			v := row[c.raw]
			switch {
			case math.IsNaN(v):
			case math.IsInf(v, 0):
				if firstInf[k] < 0 {
					firstInf[k] = i
				}
			default:
				finite[k]++
			}
		}
	}
	return finite, firstInf
}

// planGrid plans the resampling of the re-based time ot (nil with
// Options.NoResample) and returns its note.
func planGrid(r *ingest.Raw, o Options, ot []float64) (*Grid, string, error) {
	if o.NoResample {
		return nil, "", nil
	}
	grid, msg, err := newGrid(ot, o.Dt)
	if err != nil {
		return nil, "", dataError(r, -1, err, "%s", msg)
	}
	dir := "up"
	if grid.Down {
		dir = "down"
	}
	return grid, fmt.Sprintf("resampled %s from median dt %.6g s to %g s: %d → %d samples", dir, table.MedianDt(ot), o.Dt, len(ot), grid.Len()), nil
}

// newResult allocates the Result for the output columns cols: names,
// slots, times, methods and provenance; Data and Original are nil.
func newResult(r *ingest.Raw, o Options, cols []column, norms []connectome.Normalized, ot []float64, grid *Grid) *Result {
	N := len(cols)
	tm, interp := ot, "none"
	if grid != nil {
		tm, interp = grid.Time, grid.Method()
	}
	rec := &table.Recording{
		Dataset: r.Dataset, Worm: r.Worm,
		Neurons: make([]string, N), Slots: make([]int, N), Labeled: make([]bool, N),
		Time:         append([]float64(nil), tm...),
		OriginalTime: ot,
		SmoothMethod: o.SmoothMethod(), InterpolateMethod: interp,
		NormalizationMethod: string(o.Normalize), RawDataFile: r.RawFile,
	}
	res := &Result{Recording: rec, Columns: make([]int, N), Labels: norms, Parameters: o.Parameters()}
	for c, col := range cols {
		rec.Neurons[c], rec.Slots[c], rec.Labeled[c] = col.name, col.slot, col.labeled
		res.Columns[c] = col.raw
	}
	return res
}

// runSteps fills rec.Original and rec.Data from the raw traces src: each
// output column's trace goes through filling, normalization, smoothing and
// resampling. It returns the number of NaN samples filled.
//
// Traces go through in blocks of `tile` columns: each block is copied
// into contiguous columns (so every step reads and writes memory in
// order) and copied out into Original and Data, so the working memory is
// a few blocks, not further copies of the recording.
func runSteps(rec *table.Recording, src blas64.General, cols []column, ot []float64, grid *Grid, o Options) (filled int) {
	N, T0, T := len(cols), len(ot), len(rec.Time)
	a := make([]float64, T0) // working trace on the original grid
	b := make([]float64, T0) // smoothed
	bw := min(tile, N)
	in := make([]float64, bw*T0) // block of raw traces, column-major
	om := make([]float64, bw*T0) // block of Original
	dm := make([]float64, bw*T)  // block of Data
	var gw []float64
	if o.Smooth == SmoothGaussian {
		gw = gaussianWeights(nil, o.Sigma)
	}
	for c0 := 0; c0 < N; c0 += bw {
		blk := cols[c0:min(c0+bw, N)]
		transposeIn(in, src, blk)
		for k := range blk {
			copy(a, in[k*T0:(k+1)*T0])
			if o.OriginalAsGiven {
				copy(om[k*T0:], a)
			}
			if o.FillNaN == FillNaNLinear {
				var n int
				a, n = FillLinear(a, ot, a)
				filled += n
			}
			switch o.Normalize {
			case NormalizeZScore:
				a = ZScore(a, a)
			case NormalizeCausal:
				a = CausalNormalize(a, a)
			}
			if !o.OriginalAsGiven {
				copy(om[k*T0:], a)
			}
			var sm []float64
			switch o.Smooth {
			case SmoothMovingAverage:
				sm = MovingAverage(b, a, o.Window)
			case SmoothGaussian:
				sm = gaussianSmooth(b, a, gw)
			case SmoothExponential:
				sm = ExponentialSmooth(b, a, o.Alpha)
			default:
				sm = a
			}
			if grid != nil {
				grid.Resample(dm[k*T:(k+1)*T], sm)
			} else {
				copy(dm[k*T:], sm)
			}
		}
		transposeOut(rec.Original.RawMatrix(), om, c0, len(blk))
		transposeOut(rec.Data.RawMatrix(), dm, c0, len(blk))
	}
	return filled
}

// tile is the block edge of the cache-friendly transposes.
const tile = 32

// transposeIn copies the columns cols[k].raw of src into cm[k*T:(k+1)*T].
func transposeIn(cm []float64, src blas64.General, cols []column) {
	T := src.Rows
	for i0 := 0; i0 < T; i0 += tile {
		i1 := min(i0+tile, T)
		for k, c := range cols {
			dst := cm[k*T : (k+1)*T]
			for i := i0; i < i1; i++ {
				dst[i] = src.Data[i*src.Stride+c.raw]
			}
		}
	}
}

// transposeOut copies the n column-major columns of cm (column k at
// cm[k*Rows:]) into columns c0 … c0+n-1 of m.
func transposeOut(m blas64.General, cm []float64, c0, n int) {
	for i0 := 0; i0 < m.Rows; i0 += tile {
		i1 := min(i0+tile, m.Rows)
		for k := 0; k < n; k++ {
			col := cm[k*m.Rows : (k+1)*m.Rows]
			for i := i0; i < i1; i++ {
				m.Data[i*m.Stride+c0+k] = col[i]
			}
		}
	}
}

// labelExamples lists up to three non-empty raw labels for a skip message.
func labelExamples(labels []string) string {
	var ex []string
	for _, l := range labels {
		if l != "" {
			ex = append(ex, fmt.Sprintf("%q", l))
			if len(ex) == 3 {
				break
			}
		}
	}
	if len(ex) == 0 {
		return " (all labels empty)"
	}
	return " (e.g. " + strings.Join(ex, ", ") + ")"
}

// Package dfc is the dynamic functional connectome task of `neurotab
// analyze dfc`: it fits sliding-window FC (package fc) to every recording
// of a traces table, stacks the windows of the recordings into a windows ×
// recordings × neuron-pairs tensor of non-negative affinities, factorizes
// it by non-negative CP (package ntf) at ranks 1 … Rank with the rank
// diagnostics, and finds the communities of each recording's static FC
// (package community; positive correlations are the edges). Results become rows of the fc, ntf_factors,
// ntf_diagnostics and communities tables.
//
// The method is the dynamic functional connectome of Dyballa, Lang,
// Haslund-Gourley, Yemini & Zucker (2024, "Learning dynamic
// representations of the functional connectome in neurobiological
// networks", ICLR, arXiv:2402.14102): each CP component is a time course
// over the windows, a weight per recording (worm) and a set of neuron
// pairs with high affinity together. The paper's own "differential
// affinity" could not be verified from a source available here, so the
// affinities offered are |r| (AffinityAbs, the default) and (1 + r)/2
// (AffinityPositive), of the windowed FC kind chosen in Config.FC.
//
// The tensor is built on the neurons that every recording has, none of
// them constant in any recording (a trace constant within one window gives
// its pairs affinity 0 there), and on the first W windows, W the
// fewest windows of a recording (recordings of different length keep
// their extra windows in the fc table only). The window times written
// with the window loadings are those of the first recording.
package dfc

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/community"
	"github.com/neurotab/neurotab/analysis/fc"
	"github.com/neurotab/neurotab/analysis/ntf"
	"github.com/neurotab/neurotab/formats/table"
)

// Affinity names the map from an FC value to a tensor entry.
type Affinity string

// The affinities of Config.Affinity.
const (
	// AffinityAbs is |r|: coupling of either sign counts alike.
	AffinityAbs Affinity = "abs"
	// AffinityPositive is (1 + r)/2 in [0, 1] for a correlation: positive
	// coupling high, anti-correlation low, independence ½.
	AffinityPositive Affinity = "positive"
)

// Affinities lists the affinities Config accepts.
func Affinities() []Affinity { return []Affinity{AffinityAbs, AffinityPositive} }

// Defaults of Config.
const (
	DefaultRank     = 3
	DefaultRestarts = 10
)

// Config configures Run. FC.Window is required; the other zero values are
// usable.
type Config struct {
	// FC is the windowed FC (Window > 0, Step, Taper, Estimator, and Kind:
	// a symmetric one, correlation, partial, covariance or precision);
	// its Worms selects recordings. Its Surrogates, FDR, Jobs and shards
	// are not used.
	FC fc.Config
	// Affinity maps each windowed FC value to the tensor; "" means
	// AffinityAbs.
	Affinity Affinity
	// Rank is the largest CP rank: ranks 1 … Rank are fitted for the
	// diagnostics and the factors of rank Rank are kept; 0 means
	// DefaultRank. It must be at most ntf.MaxRank of the tensor.
	Rank int
	// Restarts per rank (0 means DefaultRestarts); MaxIter and Tol as in
	// ntf.CP.
	Restarts, MaxIter int
	Tol               float64
	// Resolution is γ of the community consensus (0 means 1).
	Resolution float64
	// Seed seeds the CP restarts (ntf.CP.Seed) and the community runs.
	Seed neurotab.Seed
	// Progress, when not nil, is told of each step: stage "fc" per
	// recording, "ntf" per rank, "communities" per recording.
	Progress func(stage string, done, total int)
}

// FieldError is an error caused by one configuration field (Field names
// it: "Window", "Rank"), so that a command can name its flag.
type FieldError struct {
	Field string
	Err   error
}

// Error returns the cause's message.
func (e *FieldError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

func (c *Config) rank() int {
	if c.Rank == 0 {
		return DefaultRank
	}
	return c.Rank
}

func (c *Config) restarts() int {
	if c.Restarts == 0 {
		return DefaultRestarts
	}
	return c.Restarts
}

func (c *Config) affinity() (func(float64) float64, error) {
	switch c.Affinity {
	case "", AffinityAbs:
		return math.Abs, nil
	case AffinityPositive:
		return func(r float64) float64 { return math.Max(0, (1+r)/2) }, nil
	}
	return nil, fmt.Errorf("dfc: unknown affinity %q (want abs or positive): %w", c.Affinity, neurotab.ErrParam)
}

// Check reports whether the configuration is valid. Errors wrap
// neurotab.ErrParam.
func (c *Config) Check() error {
	if c.FC.Window <= 0 {
		return &FieldError{"Window", fmt.Errorf("dfc: dynamic FC needs a window > 0, not %v: %w", c.FC.Window, neurotab.ErrParam)}
	}
	if err := c.FC.Check(); err != nil {
		return err
	}
	switch c.FC.Kind {
	case "", fc.KindCorrelation, fc.KindPartial, fc.KindCovariance, fc.KindPrecision:
	default:
		return fmt.Errorf("dfc: kind %s is not a symmetric measure; the pair tensor and the communities need correlation, partial, covariance or precision: %w", c.FC.Kind, neurotab.ErrParam)
	}
	if _, err := c.affinity(); err != nil {
		return err
	}
	switch {
	case c.Rank < 0:
		return &FieldError{"Rank", fmt.Errorf("dfc: rank %d < 0: %w", c.Rank, neurotab.ErrParam)}
	case c.Restarts < 0:
		return fmt.Errorf("dfc: restarts %d < 0: %w", c.Restarts, neurotab.ErrParam)
	case c.Resolution < 0 || math.IsNaN(c.Resolution) || math.IsInf(c.Resolution, 0):
		return fmt.Errorf("dfc: resolution %v, want finite ≥ 0: %w", c.Resolution, neurotab.ErrParam)
	}
	cp := ntf.CP{Rank: c.rank(), Restarts: c.restarts(), MaxIter: c.MaxIter, Tol: c.Tol}
	return cp.Check()
}

// Parameters returns the configuration as provenance parameters: those of
// the windowed FC, affinity, rank, restarts, max_iter, tol, resolution and
// seed.
func (c *Config) Parameters() map[string]any {
	p := c.FC.Parameters()
	delete(p, "surrogates")
	delete(p, "fdr")
	delete(p, "shard")
	aff := c.Affinity
	if aff == "" {
		aff = AffinityAbs
	}
	cp := ntf.CP{Rank: c.rank(), Restarts: c.restarts(), MaxIter: c.MaxIter, Tol: c.Tol, Seed: c.Seed}
	for k, v := range cp.Parameters() {
		p[k] = v
	}
	res := c.Resolution
	if res == 0 {
		res = 1
	}
	p["affinity"], p["resolution"] = string(aff), res
	return p
}

// Diagnostic is the fit of one rank (ntf.CP over Restarts restarts).
type Diagnostic struct {
	Rank int
	// RelativeError is ‖X − X̂‖/‖X‖ of the best restart, Similarity the
	// mean factor match score of the others with it, CoreConsistency
	// CORCONDIA of the best (NaN when undefined, e.g. a rank above a
	// dimension of the tensor).
	RelativeError, Similarity, CoreConsistency float64
}

// Partition is the community of each neuron of one recording's static FC.
type Partition struct {
	Neurons   []string // the recording's non-constant neurons
	Community []int    // canonical labels 0…k−1 (community.Relabel)
	Q         float64  // modularity of the partition on the positive FC
}

// Result is the outcome of Run.
type Result struct {
	// Windowed and Static are the FC of each recording, in input order:
	// sliding windows, and the whole recording (window 0).
	Windowed, Static []*fc.Result
	// Neurons are the neurons of the tensor (shared, never constant) and
	// Pairs its third mode, i < j over them, as [2]string{pre, post}.
	Neurons []string
	Pairs   [][2]string
	// Tensor is the windows × recordings × pairs affinity tensor.
	Tensor *ntf.Tensor
	// Diagnostics per rank 1 … Rank; Model is the best fit at Rank.
	Diagnostics []Diagnostic
	Model       *ntf.Model
	// Partitions are the communities of each recording's static FC (its
	// positive entries as edge weights).
	Partitions []Partition
	// Restarts is the number of restarts per rank.
	Restarts int
}

// Source yields recordings one at a time, io.EOF after the last.
type Source = fc.Source

// Run reads every recording of src (those of cfg.FC.Worms when set) and
// computes the Result. It holds the windowed FC of every recording in
// memory (the tensor needs them all): W · N² values per recording. Errors: an invalid configuration (neurotab.ErrParam),
// no recording, a window longer than a recording (neurotab.ErrShape, a
// *FieldError of Window), fewer than 2 neurons shared by the recordings
// (neurotab.ErrShape), a rank above what the tensor allows
// (neurotab.ErrParam, a *FieldError of Rank), and the errors of fc.Fit,
// ntf.CP and community.Consensus.
func Run(src Source, cfg Config) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	aff, _ := cfg.affinity()
	res := &Result{Restarts: cfg.restarts()}
	static := cfg.FC
	static.Window, static.Step, static.Taper = 0, 0, ""
	want := map[string]bool{}
	for _, w := range cfg.FC.Worms {
		want[w] = true
	}
	seen := map[string]bool{}
	for {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[rec.Worm] {
			continue
		}
		seen[rec.Worm] = true
		if err := checkWindow(rec, cfg.FC.Window); err != nil {
			return nil, err
		}
		win, err := fc.Fit(rec, cfg.FC)
		if err != nil {
			return nil, err
		}
		st, err := fc.Fit(rec, static)
		if err != nil {
			return nil, err
		}
		res.Windowed, res.Static = append(res.Windowed, win), append(res.Static, st)
		if cfg.Progress != nil {
			cfg.Progress("fc", len(res.Windowed), 0)
		}
	}
	for _, w := range cfg.FC.Worms {
		if !seen[w] {
			return nil, fmt.Errorf("dfc: worm %q is not in the input: %w", w, neurotab.ErrNotFound)
		}
	}
	if len(res.Windowed) == 0 {
		return nil, fmt.Errorf("dfc: no recording: %w", neurotab.ErrShape)
	}
	if err := res.buildTensor(aff); err != nil {
		return nil, err
	}
	I, J, K := res.Tensor.Dims[0], res.Tensor.Dims[1], res.Tensor.Dims[2]
	R := cfg.rank()
	if mr := ntf.MaxRank(I, J, K); R > mr {
		return nil, &FieldError{"Rank", fmt.Errorf("dfc: rank %d is larger than the %d a %d windows × %d recordings × %d pairs tensor allows (min(IJ, IK, JK)): %w",
			R, mr, I, J, K, neurotab.ErrParam)}
	}
	for r := 1; r <= R; r++ {
		cp := ntf.CP{Rank: r, Restarts: cfg.restarts(), MaxIter: cfg.MaxIter, Tol: cfg.Tol, Seed: cfg.Seed}
		if err := cp.Fit(res.Tensor); err != nil {
			return nil, fmt.Errorf("dfc: rank %d: %w", r, err)
		}
		rel, _ := cp.RelativeErrors()
		sim, _ := cp.Similarity()
		cc, err := cp.CoreConsistency()
		if err != nil {
			cc = math.NaN()
		}
		res.Diagnostics = append(res.Diagnostics, Diagnostic{Rank: r, RelativeError: rel[0], Similarity: sim, CoreConsistency: cc})
		if r == R {
			res.Model, _ = cp.Model()
		}
		if cfg.Progress != nil {
			cfg.Progress("ntf", r, R)
		}
	}
	for k, st := range res.Static {
		p, err := communities(st, cfg.Resolution, cfg.Seed)
		if err != nil {
			return nil, fmt.Errorf("dfc: recording %s/%s: communities: %w", st.Window.Dataset, st.Window.Worm, err)
		}
		res.Partitions = append(res.Partitions, p)
		if cfg.Progress != nil {
			cfg.Progress("communities", k+1, len(res.Static))
		}
	}
	return res, nil
}

// checkWindow reports a window longer than rec (in samples of its median
// interval, as fc converts it).
func checkWindow(rec *table.Recording, window time.Duration) error {
	T := len(rec.Time)
	dt := table.MedianDt(rec.Time)
	if !(dt > 0) {
		return nil // fc.Fit names the problem
	}
	if width := int(math.Round(window.Seconds() / dt)); width > T {
		return &FieldError{"Window", fmt.Errorf("dfc: recording %s/%s: window %v (%d samples of %.3g s) is longer than the recording (%d samples, %.1f s): %w",
			rec.Dataset, rec.Worm, window, width, dt, T, rec.Time[T-1]-rec.Time[0], neurotab.ErrShape)}
	}
	return nil
}

// buildTensor sets Neurons, Pairs and Tensor.
func (res *Result) buildTensor(aff func(float64) float64) error {
	first := res.Windowed[0]
	W := len(first.Windows)
	count := map[string]int{}
	bad := map[string]bool{}
	for _, r := range res.Windowed {
		W = min(W, len(r.Windows))
		for _, l := range r.Neurons {
			count[l]++
		}
		for _, l := range r.Constant {
			bad[l] = true
		}
	}
	for _, l := range first.Neurons {
		if count[l] == len(res.Windowed) && !bad[l] {
			res.Neurons = append(res.Neurons, l)
		}
	}
	if len(res.Neurons) < 2 {
		return fmt.Errorf("dfc: %d neurons are shared by all %d recordings (and never constant), want at least 2 for a pair: %w",
			len(res.Neurons), len(res.Windowed), neurotab.ErrShape)
	}
	if W == 0 {
		return fmt.Errorf("dfc: a recording has no window: %w", neurotab.ErrShape)
	}
	n := len(res.Neurons)
	for i := range n {
		for j := i + 1; j < n; j++ {
			res.Pairs = append(res.Pairs, [2]string{res.Neurons[i], res.Neurons[j]})
		}
	}
	x := ntf.NewTensor(W, len(res.Windowed), len(res.Pairs), nil)
	for r, rec := range res.Windowed {
		idx := make([]int, n)
		for a, l := range res.Neurons {
			idx[a] = slices.Index(rec.Neurons, l)
		}
		for w := range W {
			m := rec.Windows[w].Matrices[0].Value
			p := 0
			for a := range n {
				for b := a + 1; b < n; b++ {
					v := 0.0
					if c := m.At(idx[a], idx[b]); !math.IsNaN(c) {
						v = aff(c)
					}
					if !(v >= 0) || math.IsInf(v, 0) {
						return fmt.Errorf("dfc: recording %s/%s window %d pair %s-%s: affinity %v, want finite ≥ 0: %w",
							rec.Window.Dataset, rec.Window.Worm, w, res.Pairs[p][0], res.Pairs[p][1], v, neurotab.ErrOutOfRange)
					}
					x.Set(w, r, p, v)
					p++
				}
			}
		}
	}
	res.Tensor = x
	return nil
}

// communities partitions |C| of the static FC st over its non-constant
// neurons by consensus Louvain.
func communities(st *fc.Result, resolution float64, seed neurotab.Seed) (Partition, error) {
	labels, sub := staticSub(st)
	part, q, err := Communities(sub, resolution, seed)
	if err != nil {
		return Partition{}, err
	}
	return Partition{Neurons: labels, Community: part, Q: q}, nil
}

// staticSub returns the non-constant neurons of st and its first matrix
// over them, symmetrized as (C_ij + C_ji)/2 with NaN as 0.
func staticSub(st *fc.Result) ([]string, *mat.SymDense) {
	m := st.Matrices[0].Value
	var keep []int
	var labels []string
	for i, l := range st.Neurons {
		if !slices.Contains(st.Constant, l) {
			keep, labels = append(keep, i), append(labels, l)
		}
	}
	sub := mat.NewSymDense(len(keep), nil)
	for a, i := range keep {
		for b := a + 1; b < len(keep); b++ {
			v := (m.At(i, keep[b]) + m.At(keep[b], i)) / 2
			if math.IsNaN(v) {
				v = 0
			}
			sub.SetSym(a, b, v)
		}
	}
	return labels, sub
}

// Communities returns the consensus Louvain partition (community.Consensus,
// seeded) of the graph of the positive entries of m, a symmetric matrix
// (diagonal ignored; negative entries, anti-correlations, are no edge, so
// anti-correlated neurons do not join one community), and its modularity.
// A graph without edges is one community per node.
func Communities(m mat.Symmetric, resolution float64, seed neurotab.Seed) ([]int, float64, error) {
	n := m.SymmetricDim()
	g, err := community.FromMatrix(m, community.DropNegative)
	if err != nil {
		return nil, 0, err
	}
	if g.TotalWeight() == 0 {
		part := make([]int, n)
		for i := range part {
			part[i] = i
		}
		return part, 0, nil
	}
	c := community.Consensus{Resolution: resolution, Seed: seed}
	if err := c.Fit(g); err != nil {
		return nil, 0, err
	}
	part := make([]int, n)
	if err := c.PartitionTo(part); err != nil {
		return nil, 0, err
	}
	q, err := c.Modularity()
	return part, q, err
}

// errNoModel guards the row methods of a Result that did not come from Run.
var errNoModel = fmt.Errorf("dfc: result without a model: %w", neurotab.ErrNotFitted)

package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/glmhmm"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/spikes"
	"github.com/spf13/cobra"
)

// analyzeGLMHMMOptions are the flags of 'analyze glmhmm'.
type analyzeGLMHMMOptions struct {
	g          *Globals
	Traces     string
	Spikes     string
	Bin        time.Duration
	Worms      []string
	States     string
	Emission   string
	Prior      string
	Connectome string
	// PriorStrength, FixPrior, PriorSigma and Tau tune the priors.
	PriorStrength, PriorSigma, Tau float64
	FixPrior                       bool
	Behavior                       string
	Window                         int
	Decay                          float64
	L2                             float64
	Restarts                       int
	MaxIter                        int
	HeldOut                        float64
	Shifts                         int
	Seed                           uint64
	Out                            string
	NoFigures                      bool
}

// newAnalyzeGLMHMMCmd binds the flags of 'analyze glmhmm'; runF replaces
// runAnalyzeGLMHMM when not nil (tests of the flag wiring).
func newAnalyzeGLMHMMCmd(g *Globals, runF func(*analyzeGLMHMMOptions) error) *cobra.Command {
	o := &analyzeGLMHMMOptions{g: g}
	cmd := &cobra.Command{
		Use:   "glmhmm --traces TRACES.parquet | --spikes SPIKES.parquet --bin 20ms --states 2..4 -o DIR",
		Short: "State-switching GLMs (HMM-GLM): hidden states, per-state interaction weights",
		Long: `glmhmm fits a hidden Markov model whose states each own a GLM of neuron-to-
neuron interactions (Escola et al. 2011; Li et al., ICLR 2024) to every
recording of a traces table (--emission gaussian: each neuron z-scored) or of
a spikes table binned at --bin (--emission poisson: counts per bin). In state
k neuron n at bin t has mean b_kn + Σ_m W_k[n][m] c_tm, with c the history of
every neuron through an exponential basis (--window bins, --decay 1/s).

For every K of --states (K or MIN..MAX) EM runs --restarts seeded restarts
on the training chunks (the recording in 10 chunks, --held-out of them held
out); the K with the highest held-out log-likelihood per bin is chosen and
decodes the whole recording. --prior none fits every state on its own with
the ridge penalty --l2 (per training bin); --prior gaussian ties the states'
weights to a learned mean W̄ (σ --prior-sigma); --prior onehot (Li et al.,
ICLR 2024) factors each weight into a connection type (inhibitory, none,
excitatory) with a state-shared learned prior π and a strength.
--connectome EDGES informs onehot: a synapse pre → post signed by the
presynaptic transmitter (GABA inhibitory), no synapse between two named
neurons, the uniform prior for unlabeled traces; --prior-strength sets how
strongly, --fix-prior keeps π at the connectome's types.

DIR receives, for all recordings:
  states.parquet       per bin: the posterior of every state (model M), and the
                       Viterbi state with its posterior (model M/viterbi)
  glm_weights.parquet  W_k[post][pre] (lag 0: the basis-filtered history), the
                       biases (pre "(bias)") and Gaussian variances ("(variance)")
  metrics.parquet      train and held-out log-likelihood per bin of every K,
                       bits/spike against the mean-rate null (poisson), chosen_k,
                       occupancy[k], initial[k], transition[i][j]; with
                       --behavior and a "reversal" variable, the balanced
                       accuracy of the states against reversals and its
                       circular-shift null (--shifts)
  figures/DATASET_WORM_{states,weights,transitions,loglik}.png
M is glmhmm-EMISSION-K<k>@DATASET/WORM. Progress goes to stderr; nothing is
written when a recording fails.`,
		Example: `  neurotab demo -o demo && neurotab analyze glmhmm --traces demo/traces.parquet --states 2..3 -o demo/glmhmm
  neurotab ingest behavior --source dag2023 2022-07-26-31-data.h5 -o behavior.parquet
  neurotab analyze glmhmm --traces traces.parquet --behavior behavior.parquet --states 2..4 -o glmhmm
  neurotab analyze glmhmm --spikes spikes.parquet --bin 20ms --emission poisson --states 2..6 -o glmhmm`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runAnalyzeGLMHMM(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Traces, "traces", "", "traces table (Parquet or Arrow file, or hive folder)")
	f.StringVar(&o.Spikes, "spikes", "", "spikes table, binned at --bin (instead of --traces)")
	f.DurationVar(&o.Bin, "bin", 0, "bin width of --spikes (e.g. 20ms)")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringVar(&o.States, "states", "2..4", "numbers of states tried: K or MIN..MAX")
	f.StringVar(&o.Emission, "emission", "", "gaussian (traces; default) or poisson (spike counts; default with --spikes)")
	f.StringVar(&o.Prior, "prior", glmhmm.PriorNone, "prior over the states' weights: none, gaussian or onehot")
	f.StringVar(&o.Connectome, "connectome", "", "edges table informing the onehot prior (chemical and electrical edges of every dataset in it)")
	f.Float64Var(&o.PriorStrength, "prior-strength", 2, "onehot with --connectome: log-odds of the connectome's type in π")
	f.BoolVar(&o.FixPrior, "fix-prior", false, "onehot with --connectome: keep π at the connectome's types")
	f.Float64Var(&o.PriorSigma, "prior-sigma", 1.0/3, "gaussian prior: σ of the states' weights around their mean")
	f.Float64Var(&o.Tau, "tau", 0.2, "onehot prior: Concrete temperature τ")
	f.StringVar(&o.Behavior, "behavior", "", "behavior table ('neurotab ingest behavior') drawn under the states and scored against them")
	f.IntVar(&o.Window, "window", 5, "history window, bins")
	f.Float64Var(&o.Decay, "decay", 1, "history basis decay, 1/s")
	f.Float64Var(&o.L2, "l2", 3, "ridge penalty on the weights per training bin")
	f.IntVar(&o.Restarts, "restarts", 3, "seeded EM restarts per K")
	f.IntVar(&o.MaxIter, "max-iter", 100, "EM iterations per restart at most")
	f.Float64Var(&o.HeldOut, "held-out", 0.2, "fraction of the recording held out to choose K")
	f.IntVar(&o.Shifts, "shifts", 1000, "circular shifts of the behavior label in the null")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the restarts and the null")
	f.StringVarP(&o.Out, "out", "o", "", "output folder (created; must be empty if it exists)")
	f.BoolVar(&o.NoFigures, "no-figures", false, "write no figures")
	return cmd
}

// config turns the flags into a glmhmm.Config; mistakes are usage errors,
// a prior of a later build an ErrUnsupported error.
func (o *analyzeGLMHMMOptions) config() (glmhmm.Config, error) {
	switch {
	case (o.Traces == "") == (o.Spikes == ""):
		return glmhmm.Config{}, usagef("give one of --traces and --spikes")
	case o.Spikes != "" && o.Bin <= 0:
		return glmhmm.Config{}, usagef("--spikes needs --bin (e.g. --bin 20ms)")
	case o.Out == "":
		return glmhmm.Config{}, usagef("-o/--out is required")
	case o.Connectome != "" && o.Prior != glmhmm.PriorOneHot:
		return glmhmm.Config{}, usagef("--connectome informs --prior onehot only")
	case o.Shifts < 1:
		return glmhmm.Config{}, usagef("--shifts %d: want at least 1", o.Shifts)
	}
	if st, err := os.Stat(o.Out); err == nil {
		if !st.IsDir() {
			return glmhmm.Config{}, usagef("-o %s: exists and is not a folder", o.Out)
		}
		if ents, _ := os.ReadDir(o.Out); len(ents) > 0 {
			return glmhmm.Config{}, usagef("-o %s: folder is not empty; give a new or empty folder", o.Out)
		}
	}
	lo, hi, err := glmhmm.ParseStates(o.States)
	if err != nil {
		return glmhmm.Config{}, &UsageError{fmt.Errorf("--states: %w", err)}
	}
	em := o.Emission
	if em == "" {
		em = glmhmm.Gaussian
		if o.Spikes != "" {
			em = glmhmm.Poisson
		}
	}
	l2 := o.L2
	if l2 == 0 {
		l2 = -1 // the flag's 0 means no penalty, the Config's 0 the default
	}
	cfg := glmhmm.Config{MinStates: lo, MaxStates: hi, Emission: em, Prior: o.Prior, Window: o.Window, Decay: o.Decay,
		L2: l2, Restarts: o.Restarts, MaxIter: o.MaxIter, HeldOut: o.HeldOut, Seed: neurotab.Seed(o.Seed),
		PriorSigma: o.PriorSigma, Tau: o.Tau, PriorStrength: o.PriorStrength, FixPrior: o.FixPrior}
	if o.Connectome != "" {
		edges, err := connectome.ReadEdges(o.Connectome)
		if err != nil {
			return glmhmm.Config{}, err
		}
		cfg.Connectome = edges
	}
	if err := cfg.Check(); err != nil {
		if errors.Is(err, neurotab.ErrUnsupported) {
			return glmhmm.Config{}, err
		}
		return glmhmm.Config{}, &UsageError{err}
	}
	return cfg, nil
}

// recordings reads the recordings to fit: the traces, or the spikes binned
// into counts per bin; filtered by --worm.
func (o *analyzeGLMHMMOptions) recordings() ([]*table.Recording, error) {
	var recs []*table.Recording
	if o.Spikes != "" {
		rates, err := spikes.BinRates(o.Spikes, o.Bin)
		if err != nil {
			return nil, err
		}
		bin := o.Bin.Seconds()
		for _, r := range rates {
			T, N := r.Data.Dims()
			for t := range T {
				for n := range N {
					r.Data.Set(t, n, math.Round(r.Data.At(t, n)*bin)) // rate·bin is the count
				}
			}
			if N < 2 {
				return nil, fmt.Errorf("%s: recording %s has %d unit: an HMM-GLM of interactions needs at least 2: %w", o.Spikes, r.Worm, N, neurotab.ErrShape)
			}
			r.NormalizationMethod = fmt.Sprintf("counts(bin=%gs)", bin)
			recs = append(recs, r)
		}
	} else {
		rr, err := table.OpenRecordings(o.Traces, nil)
		if err != nil {
			return nil, err
		}
		defer rr.Close()
		for {
			r, err := rr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			recs = append(recs, r)
		}
	}
	var kept []*table.Recording
	for _, r := range recs {
		if len(o.Worms) == 0 || slices.Contains(o.Worms, r.Worm) {
			kept = append(kept, r)
		}
	}
	for _, w := range o.Worms {
		if !slices.ContainsFunc(kept, func(r *table.Recording) bool { return r.Worm == w }) {
			return nil, fmt.Errorf("--worm %q is not in the input: %w", w, neurotab.ErrNotFound)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%s%s: no recording: %w", o.Traces, o.Spikes, neurotab.ErrNotFound)
	}
	return kept, nil
}

// glmhmmOutput gathers the rows of every recording.
type glmhmmOutput struct {
	states  []table.Row
	weights []table.Row
	metrics []table.Row
	figures []string
}

// runAnalyzeGLMHMM fits every recording, then writes the tables and
// figures into a hidden folder beside -o and renames it to -o.
func runAnalyzeGLMHMM(o *analyzeGLMHMMOptions) (err error) {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	recs, err := o.recordings()
	if err != nil {
		return err
	}
	var beh []table.BehaviorRow
	if o.Behavior != "" {
		if beh, err = table.ReadRows[table.BehaviorRow](o.Behavior, nil); err != nil {
			return err
		}
	}
	inputs := []string{o.Traces + o.Spikes}
	if o.Behavior != "" {
		inputs = append(inputs, o.Behavior)
	}
	params := cfg.Parameters()
	if o.Spikes != "" {
		params["bin"] = o.Bin.String()
	}
	prov, err := table.NewProvenance(o.g.Args, params, &cfg.Seed, inputs...)
	if err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(o.Out))
	if _, err := os.Stat(parent); os.IsNotExist(err) {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		defer func() {
			if err != nil {
				os.Remove(parent) // only if still empty
			}
		}()
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(o.Out)+"-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var out glmhmmOutput
	var lines []string
	for i, rec := range recs {
		T, N := rec.Data.Dims()
		o.g.Logf("glmhmm %d/%d: %s/%s, %d neurons × %d bins, K %s", i+1, len(recs), rec.Dataset, rec.Worm, N, T, o.States)
		start := time.Now()
		res, err := glmhmm.Fit(rec, cfg, func(s string) { o.g.Logf("  %s", s) })
		if err != nil {
			return err
		}
		line, err := o.collect(&out, res, beh, cfg.Seed, tmp)
		if err != nil {
			return err
		}
		lines = append(lines, line+fmt.Sprintf("  (%.1f s)", time.Since(start).Seconds()))
	}
	written, err := writeGLMHMMTables(tmp, prov, &out)
	if err != nil {
		return err
	}
	if err := os.Remove(o.Out); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.Rename(tmp, o.Out); err != nil {
		return err
	}
	for _, l := range lines {
		o.g.Reportln(l)
	}
	for _, w := range written {
		o.g.Reportf("wrote %s\n", filepath.Join(o.Out, w))
	}
	for _, f := range out.figures {
		o.g.Reportf("wrote %s\n", filepath.Join(o.Out, "figures", f))
	}
	return nil
}

// collect adds the rows of one fit to out, scores it against the behavior's
// reversals when there are any, draws its figures into dir/figures and
// returns its summary line.
func (o *analyzeGLMHMMOptions) collect(out *glmhmmOutput, res *glmhmm.Result, beh []table.BehaviorRow, seed neurotab.Seed, dir string) (string, error) {
	for _, r := range res.StateRows() {
		out.states = append(out.states, r)
	}
	ws, err := res.WeightRows()
	if err != nil {
		return "", err
	}
	for _, r := range ws {
		out.weights = append(out.weights, r)
	}
	for _, r := range res.MetricRows() {
		out.metrics = append(out.metrics, r)
	}
	var scores []string
	for _, c := range res.Candidates {
		s := fmt.Sprintf("K=%d %.3f", c.K, c.HeldOutLL)
		if !math.IsNaN(c.BitsPerSpike) {
			s += fmt.Sprintf(" (%.3f bits/spike)", c.BitsPerSpike)
		}
		scores = append(scores, s)
	}
	T, N := res.Data.Dims()
	line := fmt.Sprintf("ok  %s/%s  %d neurons × %d bins  chosen K=%d  held-out nats/bin: %s", res.Dataset, res.Worm, N, T, res.K(), strings.Join(scores, ", "))
	var panels []behaviorPanel
	if len(beh) > 0 {
		if rev, grid, err := glmhmm.BehaviorOn(beh, res.Dataset, res.Worm, "reversal", res.Time); err == nil {
			label := make([]bool, len(rev))
			for i, v := range rev {
				label[i] = v >= 0.5
			}
			a, err := glmhmm.BehaviorAgreement(res.Path, res.K(), label, o.Shifts, seed)
			if err != nil {
				return "", fmt.Errorf("%s: %s/%s: %w", o.Behavior, res.Dataset, res.Worm, err)
			}
			for _, r := range res.AgreementRows("reversal", a) {
				out.metrics = append(out.metrics, r)
			}
			line += fmt.Sprintf("\n    reversals (%s grid): balanced accuracy %.3f, circular-shift null mean %.3f, p = %.3g", grid, a.BalancedAccuracy, a.NullMean, a.P)
			panels = append(panels, behaviorPanel{"reversal", rev})
		} else {
			o.g.Logf("  %v", err)
		}
		if v, _, err := glmhmm.BehaviorOn(beh, res.Dataset, res.Worm, "velocity", res.Time); err == nil {
			panels = append(panels, behaviorPanel{"velocity", v})
		}
	}
	if !o.NoFigures {
		figs, err := drawGLMHMM(filepath.Join(dir, "figures"), res, panels)
		if err != nil {
			return "", err
		}
		out.figures = append(out.figures, figs...)
	}
	return line, nil
}

// writeGLMHMMTables writes the three tables into dir and returns their
// names with row counts.
func writeGLMHMMTables(dir string, prov table.Provenance, out *glmhmmOutput) ([]string, error) {
	var written []string
	for _, t := range []struct {
		name string
		kind table.Kind
		rows []table.Row
	}{{"states.parquet", table.States, out.states}, {"glm_weights.parquet", table.GLMWeights, out.weights}, {"metrics.parquet", table.Metrics, out.metrics}} {
		if err := writeTable(filepath.Join(dir, t.name), t.kind, prov, t.rows); err != nil {
			return nil, err
		}
		written = append(written, fmt.Sprintf("%s  %d rows", t.name, len(t.rows)))
	}
	return written, nil
}

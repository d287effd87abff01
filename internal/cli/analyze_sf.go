package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/sfcompare"
	"github.com/neurotab/neurotab/analysis/structure"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// analyzeSFOptions are the flags of 'analyze structure-function'.
type analyzeSFOptions struct {
	g          *Globals
	FC         string
	GLM        string
	Connectome string
	Types      []string
	Consensus  bool
	Rewirings  int
	Seed       uint64
	Out        string
	NoFigures  bool
}

// newAnalyzeSFCmd binds the flags of 'analyze structure-function'; runF
// replaces runAnalyzeSF when not nil (tests of the flag wiring).
func newAnalyzeSFCmd(g *Globals, runF func(*analyzeSFOptions) error) *cobra.Command {
	o := &analyzeSFOptions{g: g}
	cmd := &cobra.Command{
		Use:   "structure-function --fc FC.parquet|--glm GLM_WEIGHTS.parquet --connectome EDGES.parquet [--type chemical|electrical|any] -o DIR",
		Short: "Compare FC with a connectome: Spearman, ROC-AUC and a degree-preserving rewired null",
		Long: `structure-function compares every FC matrix of an fc table (one per
source_dataset, worm, window and measure; from 'analyze fc' or 'analyze dfc')
with every connectome dataset of an edges table (from 'connectome import'), on
the neurons they share, for each synapse --type:

  chemical    a chemical synapse in either direction (A + Aᵀ)
  electrical  a gap junction
  any         either

Pairs are unordered: the score of a pair is |FC| (the mean of C[i][j] and
C[j][i] for a directed measure). The Spearman ρ of |FC| with the synaptic
weight, and the ROC-AUC of |FC| for a synapse, are compared with
--rewirings degree-preserving rewirings of the connectome (Maslov–Sneppen
swaps keeping every neuron's in- and out-degree, gap junctions keeping the
degree; seeded): p = (1 + #{null ≥ observed}) / (1 + R).

--glm compares the couplings of a glm_weights table (state-switching GLMs)
instead: per model and state, the coupling of a pair is Σ over lags of |w|,
averaged over its two directions (rows: source_dataset = model, worm empty,
window = state, measure glm_weight).

A neuron missing some pairs in the fc table (a constant trace) is left out of
that matrix. A matrix sharing fewer than 2 neurons with a connectome, or a type
without synapses (or with nothing else) among the shared neurons, is skipped
with its reason on stderr; if nothing can be compared it is an error.

Written in DIR (nothing when a step fails):

  structure_function.parquet  one row per matrix × connectome × type: neurons,
                              pairs, positives, rewirings, spearman and auc with
                              their null mean, sd and p-value
  structure_null.parquet      the null: auc and spearman of every rewiring
  figures/roc_DATASET_WORM_MEASURE_CONNECTOME.png
                              ROC curve of each type with the 95% band of the
                              rewired curves (window 0 only)`,
		Example: `  neurotab connectome import --source white1986_whole aconnectome_white_1986_whole.csv -o white.parquet
  neurotab analyze fc --traces traces.parquet -o fc.parquet
  neurotab analyze structure-function --fc fc.parquet --connectome white.parquet -o sf-out
  neurotab analyze structure-function --fc fc.parquet --connectome edges.parquet --type chemical --rewirings 5000 --seed 7 -o sf-out`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runAnalyzeSF(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.FC, "fc", "", "fc table (from 'analyze fc' or 'analyze dfc')")
	f.StringVar(&o.GLM, "glm", "", "glm_weights table, compared instead of an fc table")
	f.StringVar(&o.Connectome, "connectome", "", "edges table (from 'connectome import'); each dataset in it is compared")
	f.StringArrayVar(&o.Types, "type", nil, "synapse type to predict: chemical, electrical or any (repeat; default all three)")
	f.BoolVar(&o.Consensus, "consensus", false, "also compare with the consensus of the edges table's datasets")
	f.IntVar(&o.Rewirings, "rewirings", structure.DefaultRewirings, "degree-preserving rewirings of the null")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the rewirings")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	f.BoolVar(&o.NoFigures, "no-figures", false, "write no figures")
	return cmd
}

// config turns the flags into an sfcompare.Config; mistakes are usage
// errors naming the flag.
func (o *analyzeSFOptions) config() (sfcompare.Config, error) {
	switch {
	case o.FC == "" && o.GLM == "":
		return sfcompare.Config{}, usagef("--fc (or --glm) is required")
	case o.FC != "" && o.GLM != "":
		return sfcompare.Config{}, usagef("--fc and --glm: give one of them")
	case o.Connectome == "":
		return sfcompare.Config{}, usagef("--connectome is required")
	case o.Out == "":
		return sfcompare.Config{}, usagef("-o/--out is required")
	case o.Rewirings < 1:
		return sfcompare.Config{}, usagef("--rewirings %d: want at least 1", o.Rewirings)
	}
	cfg := sfcompare.Config{Rewirings: o.Rewirings, Seed: neurotab.Seed(o.Seed)}
	for _, s := range o.Types {
		t, err := sfcompare.ParseType(s)
		if err != nil {
			return sfcompare.Config{}, usagef("--type %q: want chemical, electrical or any", s)
		}
		cfg.Types = append(cfg.Types, t)
	}
	return cfg, nil
}

// runAnalyzeSF reads both tables, compares, and writes the tables and
// figures through a hidden folder, so that an error leaves nothing.
func runAnalyzeSF(o *analyzeSFOptions) error {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	params := map[string]any{"rewirings": cfg.Rewirings, "consensus": o.Consensus}
	var types []string
	for _, t := range cfg.Types {
		types = append(types, string(t))
	}
	if len(types) == 0 {
		types = []string{"chemical", "electrical", "any"}
	}
	params["types"] = strings.Join(types, ",")
	seed := cfg.Seed
	input, flag := o.FC, "--fc"
	if o.GLM != "" {
		input, flag = o.GLM, "--glm"
	}
	prov, err := table.NewProvenance(o.g.Args, params, &seed, input, o.Connectome)
	if err != nil {
		return err
	}
	mats, err := readMatrices(o)
	if err != nil {
		return err
	}
	if len(mats) == 0 {
		return fmt.Errorf("%s: the table has no rows (%s): %w", input, flag, neurotab.ErrNotFound)
	}
	edges, err := connectome.ReadEdges(o.Connectome)
	if err != nil {
		return err
	}
	conns := sfcompare.Connectomes(edges, o.Consensus)
	if len(conns) == 0 {
		return fmt.Errorf("%s: no chemical or electrical edge (--connectome): %w", o.Connectome, neurotab.ErrNotFound)
	}
	for _, m := range mats {
		if len(m.Dropped) > 0 {
			o.g.Logf("structure-function: %s/%s window %d %s: %d neurons without every pair left out (%s)", m.Dataset, m.Worm, m.Window, m.Measure, len(m.Dropped), strings.Join(m.Dropped, " "))
		}
	}
	cfg.Progress = func(done, total int) {
		o.g.Debugf("structure-function: comparison %d of %d", done, total)
	}
	o.g.Logf("structure-function: %d FC matrices × %d connectomes × %d types, %d rewirings each", len(mats), len(conns), len(types), cfg.Rewirings)
	comps, skips, err := sfcompare.Run(mats, conns, cfg)
	for _, s := range skips {
		o.g.Logf("skip %s/%s window %d %s against %s (%s): %s", s.Matrix.Dataset, s.Matrix.Worm, s.Matrix.Window, s.Matrix.Measure, s.Connectome, s.Type, neurotab.OneLine(s.Err))
	}
	if errors.Is(err, neurotab.ErrNotFound) {
		return fmt.Errorf("%s against %s: %w (%s and --connectome share no neuron label)", input, o.Connectome, err, flag)
	}
	if err != nil {
		return fmt.Errorf("%s against %s: %w", input, o.Connectome, err)
	}
	tmp, err := hiddenDir(o.Out)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var metric []table.StructureFunctionRow
	var null []table.StructureNullRow
	for i := range comps {
		r, n := comps[i].Rows()
		metric, null = append(metric, r), append(null, n...)
	}
	if err := table.WriteRows(filepath.Join(tmp, "structure_function.parquet"), prov, nil, metric); err != nil {
		return err
	}
	if err := table.WriteRows(filepath.Join(tmp, "structure_null.parquet"), prov, nil, null); err != nil {
		return err
	}
	if !o.NoFigures {
		if err := writeROCFigures(filepath.Join(tmp, "figures"), comps); err != nil {
			return err
		}
	}
	written, err := moveInto(tmp, o.Out)
	if err != nil {
		return err
	}
	for _, c := range comps {
		r := c.Result
		o.g.Reportf("ok  %s/%s w%d %s vs %s %-10s %3d neurons %5d pairs (%d with)  AUC %.3f (null %.3f ± %.3f, p %.3g)  ρ %.3f (null %.3f ± %.3f, p %.3g)\n",
			c.Matrix.Dataset, c.Matrix.Worm, c.Matrix.Window, c.Matrix.Measure, c.Connectome, c.Type, r.Neurons, r.Pairs, r.Positives,
			r.AUC, r.NullAUCMean, r.NullAUCSD, r.PAUC, r.Spearman, r.NullSpearmanMean, r.NullSpearmanSD, r.PSpearman)
	}
	for _, l := range written {
		o.g.Reportf("wrote %s\n", l)
	}
	return nil
}

// readMatrices reads the --fc or --glm table into matrices.
func readMatrices(o *analyzeSFOptions) ([]sfcompare.Matrix, error) {
	var mats []sfcompare.Matrix
	var err error
	if o.GLM != "" {
		rows, rerr := table.ReadRows[table.GLMWeightRow](o.GLM, nil)
		if rerr != nil {
			return nil, rerr
		}
		if mats, err = sfcompare.GLMMatrices(rows); err != nil {
			return nil, fmt.Errorf("%s: %w", o.GLM, err)
		}
		return mats, nil
	}
	rows, err := table.ReadRows[table.FCRow](o.FC, nil)
	if err != nil {
		return nil, err
	}
	if mats, err = sfcompare.Matrices(rows); err != nil {
		return nil, fmt.Errorf("%s: %w", o.FC, err)
	}
	return mats, nil
}

// writeROCFigures draws one ROC figure per window-0 matrix and connectome,
// a curve per type.
func writeROCFigures(dir string, comps []sfcompare.Comparison) error {
	type key struct {
		m *sfcompare.Matrix
		c string
	}
	var order []key
	curves := map[key][]structure.ROCCurve{}
	shared := map[key]int{}
	for i := range comps {
		c := &comps[i]
		if c.Matrix.Window != 0 {
			continue
		}
		k := key{c.Matrix, c.Connectome}
		if _, ok := curves[k]; !ok {
			order = append(order, k)
		}
		curves[k] = append(curves[k], c.Curve())
		shared[k] = c.Result.Neurons
	}
	if len(order) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range order {
		m := k.m
		name := strings.Map(func(r rune) rune {
			if r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return r
			}
			return '_'
		}, fmt.Sprintf("roc_%s_%s_%s_%s", m.Dataset, m.Worm, m.Measure, k.c)) + ".png"
		title := fmt.Sprintf("%s/%s  %s\nvs %s, %d shared neurons", m.Dataset, m.Worm, m.Measure, k.c, shared[k])
		if err := writeFigure(filepath.Join(dir, name), func(f *os.File) error {
			return structure.PlotROC(f, "png", title, curves[k])
		}); err != nil {
			return err
		}
	}
	return nil
}

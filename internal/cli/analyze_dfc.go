package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/community"
	"github.com/neurotab/neurotab/analysis/dfc"
	"github.com/neurotab/neurotab/analysis/fc"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// analyzeDFCOptions are the flags of 'analyze dfc'.
type analyzeDFCOptions struct {
	g          *Globals
	Traces     string
	Worms      []string
	Kind       string
	Estimator  string
	Window     time.Duration
	Step       time.Duration
	Taper      string
	Affinity   string
	Rank       int
	Restarts   int
	Resolution float64
	Seed       uint64
	Out        string
	NoFigures  bool
}

// newAnalyzeDFCCmd binds the flags of 'analyze dfc'; runF replaces
// runAnalyzeDFC when not nil (tests of the flag wiring).
func newAnalyzeDFCCmd(g *Globals, runF func(*analyzeDFCOptions) error) *cobra.Command {
	o := &analyzeDFCOptions{g: g}
	cmd := &cobra.Command{
		Use:   "dfc --traces TRACES.parquet --window 60s --step 10s [--rank R --restarts 10] -o DIR",
		Short: "Dynamic functional connectome: windowed FC, tensor factorization (NTF), communities",
		Long: `dfc computes the dynamic functional connectome of the recordings of a traces
table (Dyballa et al. 2024, ICLR, arXiv:2402.14102):

 1. sliding-window FC of every recording (--kind, --window, --step, --taper,
    as 'analyze fc --window'), and the static FC of the whole recording;
 2. a windows × recordings × neuron-pairs tensor of affinities, |r| (--affinity
    abs) or (1 + r)/2 (positive), on the neurons every recording has (none
    constant) and the first W windows, W the fewest of a recording;
 3. its non-negative CP factorization by HALS at ranks 1 … --rank, --restarts
    seeded restarts each, with the rank diagnostics: reconstruction error,
    similarity across restarts (factor match score), core consistency;
 4. the communities of each recording's static FC: consensus Louvain (at
    --resolution, seeded) on the graph of its positive correlations, so that
    anti-correlated neurons do not share a community.

Written in DIR (nothing is written when a step fails):

  fc.parquet               windowed fc table (every neuron of every recording)
  fc_static.parquet        static fc table (window 0 = whole recording)
  ntf_factors.parquet      loadings of the rank --rank model: mode window (index,
                           t_start, t_end of the first recording's windows),
                           recording (source_dataset, worm) and pair (pre, post)
  ntf_diagnostics.parquet  rank, restarts, relative_error, similarity,
                           core_consistency (null when undefined)
  communities.parquet      community of each neuron of each recording's static
                           FC (window 0, as in fc_static.parquet)
  figures/ntf_components.png          window and recording loadings per component
  figures/ntf_pairs_cK.png            pair loadings of component K as a neuron ×
                                      neuron matrix, ordered by its communities
  figures/fc_communities_DATASET_WORM.png  static FC ordered by community,
                                      boundaries drawn
  figures/graph_DATASET_WORM.png      the strongest positive FC (3N edges and
                                      each neuron's 2 strongest), nodes
                                      coloured by community

A rank above min(IJ, IK, JK) of the I × J × K tensor, or a window longer than a
recording, is an error. The seed drives the restarts, the community runs and the
graph layout: the same seed gives the same bytes.`,
		Example: `  neurotab analyze dfc --traces traces.parquet --window 60s --step 10s -o dfc-out
  neurotab analyze dfc --traces traces.parquet --window 60s --step 10s --taper hann --rank 4 --restarts 20 --seed 7 -o dfc-out
  duckdb -c "SELECT rank, relative_error, similarity, core_consistency FROM 'dfc-out/ntf_diagnostics.parquet'"`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runAnalyzeDFC(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Traces, "traces", "", "traces table (Parquet or Arrow file, or hive folder)")
	f.StringArrayVar(&o.Worms, "worm", nil, "only this recording (repeat for several)")
	f.StringVar(&o.Kind, "kind", string(fc.KindCorrelation), "windowed FC measure: correlation, partial, covariance or precision")
	f.StringVar(&o.Estimator, "estimator", "empirical", "covariance estimator: "+strings.Join(fc.Estimators(), ", "))
	f.DurationVar(&o.Window, "window", 0, "sliding-window width (required, e.g. 60s)")
	f.DurationVar(&o.Step, "step", 0, "start of one window to the next (default --window)")
	f.StringVar(&o.Taper, "taper", "none", "weights of a window's samples: none or hann")
	f.StringVar(&o.Affinity, "affinity", string(dfc.AffinityAbs), "tensor entry of an FC value r: abs (|r|) or positive ((1+r)/2)")
	f.IntVar(&o.Rank, "rank", dfc.DefaultRank, "largest CP rank R (ranks 1…R are fitted for the diagnostics)")
	f.IntVar(&o.Restarts, "restarts", dfc.DefaultRestarts, "random restarts per rank")
	f.Float64Var(&o.Resolution, "resolution", 1, "modularity resolution γ of the communities")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the restarts, the community runs and the graph layout")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	f.BoolVar(&o.NoFigures, "no-figures", false, "write no figures")
	return cmd
}

// config turns the flags into a dfc.Config; mistakes are usage errors
// naming the flag.
func (o *analyzeDFCOptions) config() (dfc.Config, error) {
	switch {
	case o.Traces == "":
		return dfc.Config{}, usagef("--traces is required")
	case o.Out == "":
		return dfc.Config{}, usagef("-o/--out is required")
	case o.Window <= 0:
		return dfc.Config{}, usagef("--window is required (a duration > 0, e.g. 60s)")
	case o.Rank < 1:
		return dfc.Config{}, usagef("--rank %d: want at least 1", o.Rank)
	case o.Restarts < 1:
		return dfc.Config{}, usagef("--restarts %d: want at least 1", o.Restarts)
	case o.Affinity != string(dfc.AffinityAbs) && o.Affinity != string(dfc.AffinityPositive):
		return dfc.Config{}, usagef("--affinity %q: want abs or positive", o.Affinity)
	case !(o.Resolution > 0):
		return dfc.Config{}, usagef("--resolution %v: want > 0", o.Resolution)
	}
	cfg := dfc.Config{FC: fc.Config{Kind: fc.Kind(o.Kind), Estimator: o.Estimator, Window: o.Window, Step: o.Step, Taper: fc.Taper(o.Taper), Worms: o.Worms},
		Affinity: dfc.Affinity(o.Affinity), Rank: o.Rank, Restarts: o.Restarts, Resolution: o.Resolution, Seed: neurotab.Seed(o.Seed)}
	if err := cfg.Check(); err != nil {
		return dfc.Config{}, &UsageError{err}
	}
	return cfg, nil
}

// dfcFlags name the flag of each field of a dfc.FieldError.
var dfcFlags = map[string]string{"Window": "--window", "Rank": "--rank"}

// runAnalyzeDFC computes everything in memory, writes the tables and
// figures into a hidden folder beside DIR and moves them in at the end, so
// that an error leaves nothing behind.
func runAnalyzeDFC(o *analyzeDFCOptions) (err error) {
	cfg, err := o.config()
	if err != nil {
		return err
	}
	cfg.Progress = func(stage string, done, total int) {
		switch stage {
		case "fc":
			o.g.Logf("dfc: windowed and static FC of recording %d", done)
		case "ntf":
			o.g.Logf("dfc: NTF rank %d of %d (%d restarts)", done, total, cfg.Restarts)
		case "communities":
			o.g.Logf("dfc: communities of recording %d of %d", done, total)
		}
	}
	seed := cfg.Seed
	prov, err := table.NewProvenance(o.g.Args, cfg.Parameters(), &seed, o.Traces)
	if err != nil {
		return err
	}
	rr, err := table.OpenRecordings(o.Traces, nil)
	if err != nil {
		return err
	}
	defer rr.Close()
	res, err := dfc.Run(rr, cfg)
	if err != nil {
		var fe *dfc.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("%s: %s %v: %w", o.Traces, dfcFlags[fe.Field], flagValue(o, fe.Field), err)
		}
		return fmt.Errorf("%s: %w", o.Traces, err)
	}
	tmp, err := hiddenDir(o.Out)
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := writeDFC(tmp, res, prov, !o.NoFigures, cfg.Seed); err != nil {
		return err
	}
	written, err := moveInto(tmp, o.Out)
	if err != nil {
		return err
	}
	I, J, K := res.Tensor.Dims[0], res.Tensor.Dims[1], res.Tensor.Dims[2]
	o.g.Reportf("tensor %d windows × %d recordings × %d pairs (%d shared neurons)\n", I, J, K, len(res.Neurons))
	for _, d := range res.Diagnostics {
		o.g.Reportf("rank %d  relative error %.4f  similarity %.3f  core consistency %s\n", d.Rank, d.RelativeError, d.Similarity, orUndefined(d.CoreConsistency))
	}
	for k, p := range res.Partitions {
		w := res.Static[k].Window
		o.g.Reportf("ok  %s/%s  %d neurons in %d communities (Q %.3f)\n", w.Dataset, w.Worm, len(p.Neurons), countCommunities(p.Community), p.Q)
	}
	for _, l := range written {
		o.g.Reportf("wrote %s\n", l)
	}
	return nil
}

func flagValue(o *analyzeDFCOptions, field string) any {
	if field == "Rank" {
		return o.Rank
	}
	return o.Window
}

func orUndefined(v float64) string {
	if v != v {
		return "undefined"
	}
	return fmt.Sprintf("%.1f", v)
}

func countCommunities(part []int) int {
	k := 0
	for _, c := range part {
		k = max(k, c+1)
	}
	return k
}

// writeDFC writes the tables and figures of res into dir.
func writeDFC(dir string, res *dfc.Result, prov table.Provenance, figures bool, seed neurotab.Seed) error {
	for _, t := range []struct {
		name    string
		results []*fc.Result
	}{{"fc.parquet", res.Windowed}, {"fc_static.parquet", res.Static}} {
		if err := writeFCResults(filepath.Join(dir, t.name), t.results, prov); err != nil {
			return err
		}
	}
	factors, err := res.FactorRows()
	if err != nil {
		return err
	}
	if err := table.WriteRows(filepath.Join(dir, "ntf_factors.parquet"), prov, nil, factors); err != nil {
		return err
	}
	if err := table.WriteRows(filepath.Join(dir, "ntf_diagnostics.parquet"), prov, nil, res.DiagnosticRows()); err != nil {
		return err
	}
	if err := table.WriteRows(filepath.Join(dir, "communities.parquet"), prov, nil, res.CommunityRows()); err != nil {
		return err
	}
	if !figures {
		return nil
	}
	figDir := filepath.Join(dir, "figures")
	if err := os.MkdirAll(figDir, 0o755); err != nil {
		return err
	}
	title := fmt.Sprintf("NTF rank %d of %d windows × %d recordings × %d pairs", res.Model.Rank(), res.Tensor.Dims[0], res.Tensor.Dims[1], res.Tensor.Dims[2])
	if err := writeFigure(filepath.Join(figDir, "ntf_components.png"), func(f *os.File) error { return res.PlotComponents(f, "png", title) }); err != nil {
		return err
	}
	for c := range res.Model.Rank() {
		m := res.PairMatrix(c)
		part, _, err := dfc.Communities(m, 1, seed)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("ntf_pairs_c%d.png", c+1)
		opt := community.HeatmapOptions{Title: fmt.Sprintf("NTF component %d: pair loadings by community (%d)", c+1, countCommunities(part)), ColourBarLabel: "pair loading"}
		if err := writeFigure(filepath.Join(figDir, name), func(f *os.File) error {
			return community.PlotOrderedHeatmap(f, "png", m, res.Neurons, part, opt)
		}); err != nil {
			return err
		}
	}
	for k, p := range res.Partitions {
		st := res.Static[k]
		m := res.StaticMatrix(k)
		base := strings.TrimSuffix(figureName(st), ".png")
		opt := community.HeatmapOptions{Title: fmt.Sprintf("%s/%s  %s by community (Q %.2f)", st.Window.Dataset, st.Window.Worm, st.Matrices[0].Measure, p.Q),
			Signed: true, ColourBarLabel: st.Matrices[0].Measure}
		if err := writeFigure(filepath.Join(figDir, "fc_communities_"+base+".png"), func(f *os.File) error {
			return community.PlotOrderedHeatmap(f, "png", m, p.Neurons, p.Community, opt)
		}); err != nil {
			return err
		}
		gt := fmt.Sprintf("%s/%s  strongest positive %s, coloured by community", st.Window.Dataset, st.Window.Worm, st.Matrices[0].Measure)
		if err := writeFigure(filepath.Join(figDir, "graph_"+base+".png"), func(f *os.File) error {
			return community.PlotGraph(f, "png", gt, m, p.Neurons, p.Community, seed)
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeFCResults writes the fc rows of results as one fc table.
func writeFCResults(path string, results []*fc.Result, prov table.Provenance) (err error) {
	w, err := table.CreateFile(path, table.FC, prov, nil, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	rb := table.NewRowBuilder(nil, table.FC)
	defer rb.Release()
	for _, res := range results {
		if _, err := res.AppendRows(rb); err != nil {
			return err
		}
		rec := rb.NewRecord()
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return w.Close()
}

// writeFigure creates path and draws into it.
func writeFigure(path string, draw func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := draw(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// hiddenDir makes a hidden temporary folder beside out (on the same file
// system, so its files can be renamed into out).
func hiddenDir(out string) (string, error) {
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, "."+filepath.Base(filepath.Clean(out))+"-*")
}

// moveInto renames every file under tmp to the same place under out
// (created when missing) and returns the new paths, in walk order.
func moveInto(tmp, out string) ([]string, error) {
	var moved []string
	err := filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(tmp, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if err := os.Rename(path, dst); err != nil {
			return err
		}
		moved = append(moved, dst)
		return nil
	})
	return moved, err
}

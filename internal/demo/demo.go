// Package demo runs neurotab's built-in demonstration: it simulates a small
// multi-worm calcium dataset from a known ground-truth network with hidden
// state switches (package synth), on real C. elegans neuron labels from the
// canonical atlas, writes each worm as a lab would (a CSV file sampled at
// 2 Hz, zero-padded names such as "DA01", unidentified ROIs), and runs those
// files through the same ingest path as real data: source adapter,
// homogenization (label normalization, z-score, causal smoothing,
// resampling to 0.333 s) and the Parquet writer. It needs no input files and
// no network.
//
// Outputs in the chosen folder:
//
//	raw/worm<k>.csv      the simulated "lab files" (time column, one column per ROI)
//	traces.parquet       homogenized traces table, one row per worm × recorded neuron
//	traces_long.parquet  the same samples one row each (for SQL engines)
//	neurons.parquet      the simulated neurons with atlas class/type/slot
//	edges.parquet        the ground-truth coupling as chemical edges pre → post with
//	                     weight |W[post][pre]|; the signed coupling is
//	                     connectome.SignedAdjacency of it with the atlas's default
//	                     sign rule (transmitters in neurons.parquet), exactly Wᵀ
//	states.parquet       the true hidden state at every sample of the traces'
//	                     homogenized time grid (model "ground_truth")
package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/batch"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/synth"
)

// Config sets the demo's size and seed.
type Config struct {
	Out     string // output folder (created)
	Seed    neurotab.Seed
	Worms   int // default 4
	Neurons int // network size, drawn from the 300 canonical neurons (default 60)
	Samples int // raw samples per worm at 0.5 s (default 900, 7.5 minutes)
	States  int // hidden states (default 2)
	Command []string
	// Progress is called after each worm is simulated (may be nil).
	Progress func(done, total int)
	// Phase, when set, is called as each later phase starts ("writing the
	// lab files", "ingesting", "writing the ground truth"), so a command
	// can say what runs after the simulation.
	Phase func(name string)
}

// Output is one file the demo wrote.
type Output struct {
	Path  string
	Table table.Kind
	Rows  int64
	Bytes int64
}

// Dataset is the source_dataset name of the simulated recordings.
const Dataset = "neurotab_demo"

// Run simulates and writes the demo tables; it returns what it wrote.
func Run(cfg Config) ([]Output, error) {
	if cfg.Worms == 0 {
		cfg.Worms = 4
	}
	if cfg.Neurons == 0 {
		cfg.Neurons = 60
	}
	if cfg.Samples == 0 {
		cfg.Samples = 900
	}
	if cfg.States == 0 {
		cfg.States = 2
	}
	if cfg.Samples < 600 {
		return nil, fmt.Errorf("demo: --samples %d: the ingest path skips recordings shorter than 600 samples, as the published pipeline does", cfg.Samples)
	}
	atlas := connectome.DefaultAtlas()
	if cfg.Neurons < 2 || cfg.Neurons > atlas.Len() {
		return nil, fmt.Errorf("demo: neurons must be between 2 and %d, not %d", atlas.Len(), cfg.Neurons)
	}
	// Everything is written into a hidden temporary folder beside the
	// output and moved into place at the end: an interrupted or failed demo
	// (a full disk) leaves the old folder or none, never a partial one.
	final := cfg.Out
	if parent := filepath.Dir(filepath.Clean(final)); parent != "." {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, err
		}
	}
	td, err := table.CreateTempDir(final)
	if err != nil {
		return nil, err
	}
	defer td.Abort()
	cfg.Out = td.Path
	// A seeded draw of canonical neurons, kept in slot order.
	rng := cfg.Seed.Rand(1)
	all := atlas.Neurons()
	pick := rng.Perm(len(all))[:cfg.Neurons]
	sort.Ints(pick)
	labels := make([]string, len(pick))
	for i, p := range pick {
		labels[i] = all[p].Label
	}
	// Dale signs from the atlas's transmitters (the default sign rule), so
	// that neurons.parquet and the sign rule reproduce the true coupling.
	signs := connectome.Signs(atlas, labels, connectome.SignRule{})
	res, err := synth.Simulate(synth.Config{Neurons: labels, Worms: 1, Samples: cfg.Samples, States: cfg.States, Dt: RawDt,
		Signs: signs, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	net := res.Network
	worms := res.Worms
	// Further worms share the network; simulate them one at a time for progress.
	for w := 1; w < cfg.Worms; w++ {
		r, err := synth.SimulateWorms(res, w, 1)
		if err != nil {
			return nil, err
		}
		worms = append(worms, r...)
		if cfg.Progress != nil {
			cfg.Progress(w+1, cfg.Worms)
		}
	}
	seed := cfg.Seed
	params := map[string]any{"worms": cfg.Worms, "neurons": cfg.Neurons, "samples": cfg.Samples, "states": cfg.States,
		"dt": res.Config.Dt, "model": "synth (rate network with hidden states, GCaMP calcium)",
		"connection_prob": res.Config.ConnectionProb, "gain": res.Config.Gain, "dwell_s": res.Config.Dwell}
	prov := table.Provenance{Command: cfg.Command, Parameters: params, Seed: &seed}

	var outs []Output
	write := func(name string, k table.Kind, rec arrow.RecordBatch) error {
		defer rec.Release()
		p := filepath.Join(cfg.Out, name)
		if err := table.WriteParquet(p, k, prov, nil, nil, rec); err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		outs = append(outs, Output{Path: p, Table: k, Rows: rec.NumRows(), Bytes: st.Size()})
		return nil
	}

	phase := func(name string) {
		if cfg.Phase != nil {
			cfg.Phase(name)
		}
	}
	// The lab files, then the ingest path.
	phase("writing the lab files")
	rawDir := filepath.Join(cfg.Out, "raw")
	if err := os.MkdirAll(rawDir, 0o755); err != nil {
		return nil, err
	}
	var rawPaths []string
	for _, w := range worms {
		p := filepath.Join(rawDir, w.ID+".csv")
		if err := writeLabCSV(p, w, net); err != nil {
			return nil, err
		}
		rawPaths = append(rawPaths, p)
	}
	phase("ingesting them")
	tracesPath := filepath.Join(cfg.Out, "traces.parquet")
	bcfg := batch.Config{Source: "generic", Adapter: calcium.Options{TimeColumn: "time"}, Jobs: 2, Command: cfg.Command,
		Seed: &seed, SourceBase: cfg.Out, Dataset: Dataset}
	results, err := batch.ToFile(ingest.Inputs("", rawPaths...), tracesPath, bcfg)
	if err != nil {
		return nil, err
	}
	if s := ingest.Summarize(results); s.Written != len(worms) {
		return nil, fmt.Errorf("demo: %d of %d simulated worms were ingested (%+v; %v)", s.Written, len(worms), s, ingest.SortedSkips(results))
	}
	st, err := os.Stat(tracesPath)
	if err != nil {
		return nil, err
	}
	var rows int64
	for _, f := range results {
		for _, r := range f.Recordings {
			if r.Err == nil && r.Skipped == "" {
				rows += int64(r.Neurons)
			}
		}
	}
	outs = append(outs, Output{Path: tracesPath, Table: table.Traces, Rows: rows, Bytes: st.Size()})
	phase("writing the long table and the ground truth")
	long, states, err := longAndStates(tracesPath, worms)
	if err != nil {
		return nil, err
	}
	if err := write("traces_long.parquet", table.TracesLong, long); err != nil {
		states.Release()
		return nil, err
	}
	if err := write("states.parquet", table.States, states); err != nil {
		return nil, err
	}

	nb := table.NewRowBuilder(nil, table.Neurons)
	defer nb.Release()
	for _, l := range labels {
		n, _ := atlas.Neuron(l)
		if err := nb.Append(n.Label, n.Class, n.Type, n.Neurotransmitter, n.X, n.Y, n.Z, n.Slot); err != nil {
			return nil, err
		}
	}
	if err := write("neurons.parquet", table.Neurons, nb.NewRecord()); err != nil {
		return nil, err
	}

	eb := table.NewRowBuilder(nil, table.Edges)
	defer eb.Release()
	N := len(labels)
	for pre := 0; pre < N; pre++ {
		for post := 0; post < N; post++ {
			// W is [post][pre] (recurrent weights); edges are pre → post with
			// the unsigned strength, as a connectome stores synapses.
			if w := net.W.At(post, pre); w != 0 {
				if err := eb.Append(Dataset+"_ground_truth", labels[pre], labels[post], connectome.Chemical.String(), math.Abs(w), nil); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := write("edges.parquet", table.Edges, eb.NewRecord()); err != nil {
		return nil, err
	}
	if err := td.Commit(); err != nil {
		return nil, err
	}
	for i := range outs {
		rel, _ := filepath.Rel(td.Path, outs[i].Path)
		outs[i].Path = filepath.Join(final, rel)
	}
	return outs, nil
}

// RawDt is the sampling interval of the simulated lab files (2 Hz, like
// several published whole-brain recordings); ingest resamples to 0.333 s.
const RawDt = 0.5

// labName writes a canonical label as labs often do: numbered motor neurons
// zero-padded to two digits (DA1 → DA01, VB11 stays), which the ingest
// path's label normalization undoes.
func labName(label string) string {
	i := len(label)
	for i > 0 && label[i-1] >= '0' && label[i-1] <= '9' {
		i--
	}
	if i < len(label) && len(label)-i == 1 && i >= 2 {
		return label[:i] + "0" + label[i:]
	}
	return label
}

// writeLabCSV writes one simulated worm as a lab's CSV: a time column, then
// one column per recorded ROI, named by its identity when identified and
// "roi_<k>" otherwise.
func writeLabCSV(path string, w synth.Worm, net synth.Network) error {
	af, err := table.CreateAtomic(path)
	if err != nil {
		return err
	}
	defer af.Abort()
	cw := csv.NewWriter(af)
	header := []string{"time"}
	for j, i := range w.Neurons {
		if w.Labeled[j] {
			header = append(header, labName(net.Neurons[i]))
		} else {
			header = append(header, "roi_"+strconv.Itoa(i))
		}
	}
	cw.Write(header)
	T, N := w.F.Dims()
	row := make([]string, N+1)
	for t := 0; t < T; t++ {
		row[0] = strconv.FormatFloat(w.Time[t], 'f', 3, 64)
		for j := 0; j < N; j++ {
			row[j+1] = strconv.FormatFloat(w.F.At(t, j), 'g', 8, 64)
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return af.Commit()
}

// longAndStates streams the ingested traces back one recording at a time
// (never the whole table) and
// returns the traces_long rows and the true hidden states on each
// recording's homogenized time grid: the state at time t is the raw
// sample's state in effect then (the last raw sample at or before t). The
// times are the traces table's own float32 values, so the two tables join
// on (source_dataset, worm, t) exactly.
func longAndStates(tracesPath string, worms []synth.Worm) (long, states arrow.RecordBatch, err error) {
	byID := map[string]*synth.Worm{}
	for i := range worms {
		byID[worms[i].ID] = &worms[i]
	}
	rr, err := table.OpenRecordings(tracesPath, nil)
	if err != nil {
		return nil, nil, err
	}
	defer rr.Close()
	lb := table.NewLongBuilder(nil)
	defer lb.Release()
	sb := table.NewRowBuilder(nil, table.States)
	defer sb.Release()
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if err := lb.Append(r); err != nil {
			return nil, nil, err
		}
		w, ok := byID[r.Worm]
		if !ok {
			return nil, nil, fmt.Errorf("demo: traces hold worm %q that was not simulated", r.Worm)
		}
		if err := appendStates(sb, r, w); err != nil {
			return nil, nil, err
		}
	}
	return lb.NewRecord(), sb.NewRecord(), nil
}

// appendStates appends the states rows of one recording (see longAndStates).
func appendStates(sb *table.RowBuilder, r *table.Recording, w *synth.Worm) error {
	k := 0
	for _, t := range r.Time {
		t = float64(float32(t)) // as stored in time_in_seconds
		for k+1 < len(w.Time) && w.Time[k+1] <= t+1e-9 {
			k++
		}
		if err := sb.Append("ground_truth", r.Dataset, r.Worm, t, w.States[k], 1.0); err != nil {
			return err
		}
	}
	return nil
}

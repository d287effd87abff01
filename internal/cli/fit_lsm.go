package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/spiking"
	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/eventdata"
	"github.com/neurotab/neurotab/internal/progress"
)

// fitLSMOptions are the flags of 'fit lsm'.
type fitLSMOptions struct {
	g             *Globals
	Events        string
	Labels        string
	LabelsMeta    bool
	Grid          []int
	InputChannels int
	InputWeight   float64
	Fanout        int
	Weight        float64
	Epochs        int
	Static        bool
	NoAstrocyte   bool
	TestFraction  float64
	Ridge         float64
	Seed          uint64
	Out           string
}

// newFitLSMCmd binds the flags of 'fit lsm'; runF replaces runFitLSM when
// not nil (tests of the flag wiring).
func newFitLSMCmd(g *Globals, runF func(*fitLSMOptions) error) *cobra.Command {
	o := &fitLSMOptions{g: g}
	cmd := &cobra.Command{
		Use:   "lsm --events EVENTS.parquet (--labels LABELS.csv | --labels-from-metadata) -o DIR",
		Short: "Classify event samples with a liquid state machine (astrocyte-modulated STDP) against binned events",
		Long: `lsm drives a spiking liquid (NALSM: LIF neurons, τ_v = 64, V_th = 20, on a 3-D grid
with distance-dependent connectivity and Dale's law) with the events of each
sample of an events table (the output of 'neurotab ingest' on event files),
1 ms per step, every pixel and polarity an input channel. With STDP on (the
default) the liquid first learns unsupervised over the training samples
(--epochs passes), its depression rate set by the NALSM astrocyte
(--no-astrocyte: plain STDP), and is then frozen. The features of a sample
are the spike counts of the liquid's neurons; a ridge classifier (--ridge)
reads them out. The baseline is the same readout on the raw binned events
(counts per channel group in 3 time bins, about 1,000 features).

Labels: --labels CSV with columns sample,label (one row per sample of the
table), or --labels-from-metadata (the events.labels of SHD-style tables).
--test-fraction of each class, drawn with --seed, is held out.

Written in DIR:
  metrics.parquet    accuracy of lsm and binned-events on the test split;
                     the liquid's firing rate (Hz) and branching factor; its
                     kernel quality (kernel_rank, the rank of the training
                     samples' states) and separation (between-class over
                     within-class distance) on the train split
  confusion.parquet  metrics rows: neuron = true class, metric =
                     "predicted:<class>", value = test samples
  raster.png         the liquid's spikes for the first test sample
  branching.png      branching factor per sample over STDP training

For the real N-MNIST (the NALSM paper reports 97.42 ± 0.07 % over 5 seeds,
with 8,000 neurons), ingest its Train/Test .bin files to one table with the
digit as label and pass --grid 20,20,20.`,
		Example: `  neurotab fit lsm --events dvs.parquet --labels labels.csv -o lsm-out
  neurotab fit lsm --events shd.parquet --labels-from-metadata --grid 20,20,20 --epochs 2 -o lsm-out
  duckdb -c "SELECT model, value FROM 'lsm-out/metrics.parquet' WHERE metric = 'accuracy'"`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFitLSM(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Events, "events", "", "events table (Parquet)")
	f.StringVar(&o.Labels, "labels", "", "CSV with columns sample,label")
	f.BoolVar(&o.LabelsMeta, "labels-from-metadata", false, "take the labels from the table's events.labels metadata")
	f.IntSliceVar(&o.Grid, "grid", []int{10, 10, 10}, "liquid grid nx,ny,nz (N = nx·ny·nz neurons, 80% excitatory)")
	f.IntVar(&o.InputChannels, "input-channels", 0, "input layer channels (default: the sensor's width·height·2)")
	f.Float64Var(&o.InputWeight, "input-weight", 8, "weight of an input spike onto each of its liquid neurons")
	f.IntVar(&o.Fanout, "fanout", 5, "liquid neurons each input channel reaches")
	f.Float64Var(&o.Weight, "weight", 6, "initial excitatory weight (inhibitory: twice, negative)")
	f.IntVar(&o.Epochs, "epochs", 1, "unsupervised STDP passes over the training samples")
	f.BoolVar(&o.Static, "static", false, "no STDP: a fixed liquid")
	f.BoolVar(&o.NoAstrocyte, "no-astrocyte", false, "plain STDP (depression rate = potentiation rate)")
	f.Float64Var(&o.TestFraction, "test-fraction", 0.25, "share of each class held out for testing")
	f.Float64Var(&o.Ridge, "ridge", 1, "ridge penalty of the readouts (features z-scored)")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the liquid, the input layer and the split")
	f.StringVarP(&o.Out, "out", "o", "", "output folder")
	return cmd
}

func (o *fitLSMOptions) classify() (spiking.Classify, error) {
	switch {
	case o.Events == "":
		return spiking.Classify{}, usagef("--events is required")
	case o.Out == "":
		return spiking.Classify{}, usagef("-o/--out is required")
	case (o.Labels == "") == !o.LabelsMeta:
		return spiking.Classify{}, usagef("give one of --labels and --labels-from-metadata")
	case len(o.Grid) != 3 || slices.Min(o.Grid) < 1:
		return spiking.Classify{}, usagef("--grid %v: want three positive sizes nx,ny,nz", o.Grid)
	case !(o.TestFraction > 0 && o.TestFraction < 1):
		return spiking.Classify{}, usagef("--test-fraction %v: want a value in (0, 1)", o.TestFraction)
	case o.Epochs < 1 || o.Fanout < 1 || !(o.InputWeight > 0) || !(o.Weight > 0) || !(o.Ridge >= 0):
		return spiking.Classify{}, usagef("--epochs, --fanout, --input-weight and --weight must be positive, --ridge ≥ 0")
	}
	w := o.Weight
	return spiking.Classify{
		LSM: spiking.LSM{Grid: [3]int{o.Grid[0], o.Grid[1], o.Grid[2]}, Weights: spiking.Weights{EE: w, EI: w, IE: 2 * w, II: 2 * w},
			Fanout: o.Fanout, InputWeight: o.InputWeight, Plastic: !o.Static, Astrocyte: !o.Static && !o.NoAstrocyte, Seed: neurotab.Seed(o.Seed)},
		Epochs: o.Epochs, TestFraction: o.TestFraction, Alpha: o.Ridge, Seed: neurotab.Seed(o.Seed),
	}, nil
}

// lsmInput is an events table read as samples.
type lsmInput struct {
	ids      []int32 // sample ids, increasing
	samples  []spiking.EventSample
	channels int
	meta     map[string]int // events.labels, when present
}

// readLSMEvents reads every sample of the events table; a sensor larger
// than the input layer, an event off the sensor or an empty table is an
// error naming the file.
func readLSMEvents(path string, inputChannels int) (*lsmInput, error) {
	ef, err := eventdata.OpenEvents(path)
	if err != nil {
		return nil, err
	}
	defer ef.Close()
	if ef.Width <= 0 || ef.Height <= 0 {
		return nil, fmt.Errorf("%s: metadata gives no sensor size (events.width, events.height): %w", path, neurotab.ErrSchema)
	}
	in := &lsmInput{channels: ef.Width * ef.Height * 2}
	if inputChannels > 0 {
		if in.channels > inputChannels {
			return nil, fmt.Errorf("%s: sensor %d×%d×2 has %d channels, more than the input layer's %d (--input-channels): %w", path, ef.Width, ef.Height, in.channels, inputChannels, neurotab.ErrShape)
		}
		in.channels = inputChannels
	}
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	if v, ok := pf.Metadata().GetValue(table.MetaEventsLabels); ok {
		if err := json.Unmarshal([]byte(v), &in.meta); err != nil {
			pf.Close()
			return nil, fmt.Errorf("%s: metadata %s: %v: %w", path, table.MetaEventsLabels, err, neurotab.ErrMalformed)
		}
	}
	pf.Close()
	at := map[int32]int{}
	err = ef.Each(func(sample int32, b *events.Batch) error {
		k, ok := at[sample]
		if !ok {
			k = len(in.ids)
			at[sample] = k
			in.ids = append(in.ids, sample)
			in.samples = append(in.samples, spiking.EventSample{})
		}
		s := &in.samples[k]
		for i := range b.Len() {
			x, y := int(b.X[i]), int(b.Y[i])
			if x >= ef.Width || y >= ef.Height {
				return fmt.Errorf("event %d at (%d, %d) off the %d×%d sensor: %w", i, x, y, ef.Width, ef.Height, neurotab.ErrOutOfRange)
			}
			s.T = append(s.T, b.T[i])
			s.Ch = append(s.Ch, int32(spiking.Channel(x, y, int(b.P[i]), ef.Width)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(in.ids) == 0 {
		return nil, fmt.Errorf("%s: no events: %w", path, neurotab.ErrShape)
	}
	return in, nil
}

// lsmLabels returns the class index of every sample and the class names
// (sorted; numerically when all are integers).
func (o *fitLSMOptions) lsmLabels(in *lsmInput) ([]int, []string, error) {
	byID := map[int32]string{}
	src := o.Labels
	if o.LabelsMeta {
		src = o.Events + " (events.labels)"
		if len(in.meta) == 0 {
			return nil, nil, fmt.Errorf("%s: no events.labels metadata; give --labels: %w", o.Events, neurotab.ErrNotFound)
		}
		for k, v := range in.meta {
			id, err := strconv.ParseInt(k, 10, 32)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: sample id %q: %w", src, k, neurotab.ErrMalformed)
			}
			byID[int32(id)] = strconv.Itoa(v)
		}
	} else {
		r, err := csvtab.Open(o.Labels, csvtab.Options{})
		if err != nil {
			return nil, nil, err
		}
		defer r.Close()
		cs, cl := slices.Index(r.Header, "sample"), slices.Index(r.Header, "label")
		if cs < 0 || cl < 0 {
			return nil, nil, fmt.Errorf("%s: header %v lacks the columns sample and label: %w", o.Labels, r.Header, neurotab.ErrSchema)
		}
		err = r.Each(func(row []string) error {
			id, err := strconv.ParseInt(strings.TrimSpace(row[cs]), 10, 32)
			if err != nil {
				return fmt.Errorf("%s: sample %q is not an integer: %w", o.Labels, row[cs], neurotab.ErrMalformed)
			}
			byID[int32(id)] = strings.TrimSpace(row[cl])
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	names := map[string]bool{}
	for _, id := range in.ids {
		l, ok := byID[id]
		if !ok {
			return nil, nil, fmt.Errorf("%s: no label for sample %d of %s (%d labels for %d samples): %w", src, id, o.Events, len(byID), len(in.ids), neurotab.ErrNotFound)
		}
		names[l] = true
	}
	if len(byID) != len(in.ids) {
		for id := range byID {
			if !slices.Contains(in.ids, id) {
				return nil, nil, fmt.Errorf("%s: sample %d has a label but no events in %s: %w", src, id, o.Events, neurotab.ErrNotFound)
			}
		}
	}
	classes := make([]string, 0, len(names))
	for n := range names {
		classes = append(classes, n)
	}
	slices.SortFunc(classes, func(a, b string) int {
		x, ea := strconv.Atoi(a)
		y, eb := strconv.Atoi(b)
		if ea == nil && eb == nil {
			return x - y
		}
		return strings.Compare(a, b)
	})
	labels := make([]int, len(in.ids))
	for i, id := range in.ids {
		labels[i] = slices.Index(classes, byID[id])
	}
	return labels, classes, nil
}

// runFitLSM reads, simulates and writes; on an error nothing is written.
func runFitLSM(o *fitLSMOptions) error {
	c, err := o.classify()
	if err != nil {
		return err
	}
	in, err := readLSMEvents(o.Events, o.InputChannels)
	if err != nil {
		return err
	}
	labels, classes, err := o.lsmLabels(in)
	if err != nil {
		return err
	}
	seed := neurotab.Seed(o.Seed)
	inputs := []string{o.Events}
	if o.Labels != "" {
		inputs = append(inputs, o.Labels)
	}
	prov, err := table.NewProvenance(o.g.Args, c.Parameters(), &seed, inputs...)
	if err != nil {
		return err
	}
	var bar *progress.Bar
	phase := ""
	res, err := c.Run(in.samples, labels, in.channels, func(ph string, done, total int) {
		if ph != phase {
			if bar != nil {
				bar.Done()
			}
			bar, phase = progress.New(o.g.Stderr, "lsm "+ph, "samples", int64(total), o.g.Progress()), ph
		}
		bar.Add(1)
	})
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", o.Events, err)
	}
	title := fmt.Sprintf("Liquid spikes, test sample %d (class %s)", in.ids[res.RasterSample], classes[labels[res.RasterSample]])
	return writeLSM(o, prov, res, classes, title)
}

func writeLSM(o *fitLSMOptions, prov table.Provenance, res *spiking.ClassifyResult, classes []string, title string) error {
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	ds := strings.TrimSuffix(filepath.Base(o.Events), filepath.Ext(o.Events))
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(max(len(v), 1))
	}
	m := func(model, metric string, v float64) table.MetricRow {
		return table.MetricRow{Model: model, SourceDataset: ds, Split: "test", Metric: metric, Value: v}
	}
	metrics := []table.MetricRow{m("lsm", "accuracy", res.Accuracy), m("binned-events", "accuracy", res.Baseline),
		m("lsm", "firing_rate_hz", res.Rate), m("lsm", "branching_factor", mean(res.FrozenBranching))}
	for _, d := range []table.MetricRow{m("lsm", "kernel_rank", float64(res.KernelRank)), m("lsm", "separation", res.Separation)} {
		d.Split = "train"
		metrics = append(metrics, d)
	}
	var conf []table.MetricRow
	for _, mc := range []struct {
		model string
		c     [][]int
	}{{"lsm", res.Confusion}, {"binned-events", res.BaselineConfusion}} {
		for t, row := range mc.c {
			for p, v := range row {
				conf = append(conf, table.MetricRow{Model: mc.model, SourceDataset: ds, Neuron: classes[t], Split: "test", Metric: "predicted:" + classes[p], Value: float64(v)})
			}
		}
	}
	paths := map[string]string{}
	for _, name := range []string{"metrics.parquet", "confusion.parquet", "raster.png", "branching.png"} {
		paths[name] = filepath.Join(o.Out, name)
	}
	var written []string
	fail := func(err error) error {
		for _, p := range written {
			os.Remove(p)
		}
		return err
	}
	for _, t := range []struct {
		name string
		rows []table.MetricRow
	}{{"metrics.parquet", metrics}, {"confusion.parquet", conf}} {
		if err := table.WriteRows(paths[t.name], prov, nil, t.rows); err != nil {
			return fail(err)
		}
		written = append(written, paths[t.name])
	}
	figs := []struct {
		name string
		draw func(f *table.AtomicFile) error
	}{
		{"raster.png", func(f *table.AtomicFile) error {
			n := o.Grid[0] * o.Grid[1] * o.Grid[2]
			return spiking.WriteRaster(f, "png", title, res.RasterT, res.RasterN, n, int(0.8*float64(n)+0.5))
		}},
		{"branching.png", func(f *table.AtomicFile) error {
			return spiking.WriteBranching(f, "png", res.Branching, res.FrozenBranching)
		}},
	}
	for _, fg := range figs {
		af, err := table.CreateAtomic(paths[fg.name])
		if err != nil {
			return fail(err)
		}
		if err := fg.draw(af); err != nil {
			af.Abort()
			return fail(fmt.Errorf("%s: %w", paths[fg.name], err))
		}
		if err := af.Commit(); err != nil {
			return fail(err)
		}
		written = append(written, paths[fg.name])
	}
	o.g.Reportf("ok  %s  %d samples (%d train, %d test), %d classes  test accuracy: lsm %.3f (%d neurons, %.1f Hz, σ %.2f, kernel rank %d, separation %.2f), binned-events %.3f (%d features)\n",
		o.Events, len(res.Train)+len(res.Test), len(res.Train), len(res.Test), res.Classes, res.Accuracy, res.Features, res.Rate, mean(res.FrozenBranching), res.KernelRank, res.Separation, res.Baseline, res.BaselineFeatures)
	o.g.Reportf("wrote %s  %d rows\n", paths["metrics.parquet"], len(metrics))
	o.g.Reportf("wrote %s  %d rows\n", paths["confusion.parquet"], len(conf))
	o.g.Reportf("wrote %s\nwrote %s\n", paths["raster.png"], paths["branching.png"])
	return nil
}

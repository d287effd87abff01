package spiking

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
)

// EventSample is the input of one sample: the time of each input spike in
// µs from the sample's start and its input channel (see Channel for event
// cameras).
type EventSample struct {
	T  []int64
	Ch []int32
}

// Classify is event classification with a liquid state machine (Maass et
// al. 2002; NALSM, Ivanov & Michmizos 2021): each sample drives the liquid
// from rest, 1 ms per step; the features are the spike counts of the N
// liquid neurons over the sample, z-scored on the training samples, and a
// ridge classifier (readout.Classifier, one-hot targets) reads them out.
// With LSM.Plastic the liquid first learns unsupervised, Epochs passes of
// STDP over the training samples, and is then frozen. The baseline is the
// same readout on the raw binned events: event counts per channel group
// (BaselinePool consecutive channels) in BaselineBins equal time bins.
type Classify struct {
	// LSM configures the liquid.
	LSM LSM
	// Epochs is the number of unsupervised STDP passes (with LSM.Plastic;
	// zero means 1).
	Epochs int
	// TestFraction of the samples, drawn at random per class, is held out
	// (default 0.25).
	TestFraction float64
	// Alpha is the ridge penalty (default 1).
	Alpha float64
	// BaselinePool and BaselineBins define the baseline's features
	// (defaults: the smallest pool giving ≤ 1,000 features, and 3 bins).
	BaselinePool, BaselineBins int
	// Seed draws the train/test split (stream 20).
	Seed neurotab.Seed
}

// ClassifyResult is what Classify.Run measured.
type ClassifyResult struct {
	// Classes is K; Train and Test are the sample indices of each split.
	Classes     int
	Train, Test []int
	// Accuracy and Confusion ([true][predicted] counts) are those of the
	// LSM readout on the test samples; Baseline and BaselineConfusion of
	// the readout on binned events.
	Accuracy, Baseline           float64
	Confusion, BaselineConfusion [][]int
	// Features and BaselineFeatures are the feature counts.
	Features, BaselineFeatures int
	// Branching is σ per training sample during STDP (empty when the
	// liquid is static), then per sample of the frozen liquid in
	// FrozenBranching.
	Branching, FrozenBranching []float64
	// RasterT (ms) and RasterN (neuron) are the liquid's spikes for the
	// first test sample.
	RasterT, RasterN []int32
	RasterSample     int
	// Rate is the mean firing rate of the frozen liquid in Hz.
	Rate float64
	// KernelRank and Separation are the liquid's diagnostics on the
	// training samples' spike counts (see KernelRank and Separation).
	KernelRank int
	Separation float64
}

func (c Classify) defaults(channels int) Classify {
	if c.Epochs == 0 {
		c.Epochs = 1
	}
	if c.TestFraction == 0 {
		c.TestFraction = 0.25
	}
	if c.Alpha == 0 {
		c.Alpha = 1
	}
	if c.BaselineBins == 0 {
		c.BaselineBins = 3
	}
	if c.BaselinePool == 0 {
		c.BaselinePool = max(1, (channels*c.BaselineBins+999)/1000)
	}
	return c
}

// Parameters returns the configuration with defaults, for provenance.
func (c Classify) Parameters() map[string]any {
	p := c.LSM.Parameters()
	p["epochs"], p["test_fraction"], p["alpha"] = c.Epochs, c.TestFraction, c.Alpha
	p["baseline_pool"], p["baseline_bins"], p["split_seed"] = c.BaselinePool, c.BaselineBins, c.Seed.String()
	return p
}

// Run classifies samples (with labels in [0, K)) on an input of the given
// number of channels. progress, when not nil, is called after each
// simulated sample with a phase name. The errors wrap neurotab.ErrShape
// (labels and samples differ in number, a class with fewer than 2 samples,
// a sample with no event), ErrOutOfRange (a channel beyond the input) or
// ErrParam.
func (c Classify) Run(samples []EventSample, labels []int, channels int, progress func(phase string, done, total int)) (*ClassifyResult, error) {
	c = c.defaults(channels)
	if len(samples) != len(labels) {
		return nil, fmt.Errorf("spiking: %d samples and %d labels: %w", len(samples), len(labels), neurotab.ErrShape)
	}
	if !(c.TestFraction > 0 && c.TestFraction < 1) || c.Epochs < 0 || !(c.Alpha >= 0) {
		return nil, fmt.Errorf("spiking: classify test fraction %v, epochs %d, alpha %v: %w", c.TestFraction, c.Epochs, c.Alpha, neurotab.ErrParam)
	}
	k := 0
	for i, l := range labels {
		if l < 0 {
			return nil, fmt.Errorf("spiking: sample %d has label %d: %w", i, l, neurotab.ErrOutOfRange)
		}
		k = max(k, l+1)
	}
	for i, s := range samples {
		if len(s.T) == 0 || len(s.T) != len(s.Ch) {
			return nil, fmt.Errorf("spiking: sample %d has %d events: %w", i, len(s.T), neurotab.ErrShape)
		}
		for _, ch := range s.Ch {
			if ch < 0 || int(ch) >= channels {
				return nil, fmt.Errorf("spiking: sample %d has channel %d, the input layer %d: %w", i, ch, channels, neurotab.ErrOutOfRange)
			}
		}
	}
	res := &ClassifyResult{Classes: k}
	// stratified split
	rng := c.Seed.Rand(20)
	for cl := range k {
		var idx []int
		for i, l := range labels {
			if l == cl {
				idx = append(idx, i)
			}
		}
		if len(idx) < 2 {
			return nil, fmt.Errorf("spiking: class %d has %d samples, need 2 (one to train, one to test): %w", cl, len(idx), neurotab.ErrShape)
		}
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		nt := min(max(1, int(math.Round(c.TestFraction*float64(len(idx))))), len(idx)-1)
		res.Test = append(res.Test, idx[:nt]...)
		res.Train = append(res.Train, idx[nt:]...)
	}
	slices.Sort(res.Train)
	slices.Sort(res.Test)
	res.RasterSample = res.Test[0]

	liq, err := c.LSM.New(channels)
	if err != nil {
		return nil, err
	}
	n := liq.Net.Syn.N
	br := liq.Net.Branching()
	if liq.STDP != nil {
		total := c.Epochs * len(res.Train)
		for e := range c.Epochs {
			for j, i := range res.Train {
				liq.drive(samples[i], nil)
				s, _ := br.Take()
				res.Branching = append(res.Branching, s)
				if progress != nil {
					progress("stdp", e*len(res.Train)+j+1, total)
				}
			}
		}
		liq.Net.Plasticity = nil
	}
	feat := mat.NewDense(len(samples), n, nil)
	var spikes, steps int64
	for i, s := range samples {
		row := feat.RawRowView(i)
		var raster *[2][]int32
		if i == res.RasterSample {
			raster = &[2][]int32{}
		}
		st := liq.drive(s, func(t int32, sp []int32) {
			for _, j := range sp {
				row[j]++
			}
			spikes += int64(len(sp))
			if raster != nil {
				for _, j := range sp {
					raster[0] = append(raster[0], t)
					raster[1] = append(raster[1], j)
				}
			}
		})
		steps += int64(st)
		if raster != nil {
			res.RasterT, res.RasterN = raster[0], raster[1]
		}
		sg, _ := br.Take()
		res.FrozenBranching = append(res.FrozenBranching, sg)
		if progress != nil {
			progress("features", i+1, len(samples))
		}
	}
	res.Rate = float64(spikes) / float64(steps) / float64(n) * 1000
	res.Features = n
	train := mat.NewDense(len(res.Train), n, nil)
	trainL := make([]int, len(res.Train))
	for q, i := range res.Train {
		train.SetRow(q, feat.RawRowView(i))
		trainL[q] = labels[i]
	}
	if res.KernelRank, err = KernelRank(train); err != nil {
		return nil, err
	}
	if res.Separation, err = Separation(train, trainL); err != nil {
		return nil, err
	}
	if res.Accuracy, res.Confusion, err = c.readout(feat, labels, k, res); err != nil {
		return nil, err
	}
	base := c.baseline(samples, channels)
	res.BaselineFeatures = base.RawMatrix().Cols
	if res.Baseline, res.BaselineConfusion, err = c.readout(base, labels, k, res); err != nil {
		return nil, err
	}
	return res, nil
}

// drive runs one sample through the liquid from rest, 1 ms per step, and
// returns the number of steps; each step's spikes go to rec.
func (l *Liquid) drive(s EventSample, rec func(t int32, spikes []int32)) int {
	order := make([]int, len(s.T))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.T[a], s.T[b]) })
	t0 := s.T[order[0]]
	last := s.T[order[len(order)-1]]
	nsteps := int((last-t0)/1000) + 1
	l.Net.Reset()
	var ch []int32
	k := 0
	for st := range nsteps {
		ch = ch[:0]
		end := t0 + int64(st+1)*1000
		for k < len(order) && s.T[order[k]] < end {
			ch = append(ch, s.Ch[order[k]])
			k++
		}
		sp := l.Step(ch)
		if rec != nil {
			rec(int32(st), sp)
		}
	}
	return nsteps
}

// baseline returns the binned-event features: counts per channel group and
// time bin (the sample's span cut into BaselineBins).
func (c Classify) baseline(samples []EventSample, channels int) *mat.Dense {
	groups := (channels + c.BaselinePool - 1) / c.BaselinePool
	X := mat.NewDense(len(samples), groups*c.BaselineBins, nil)
	for i, s := range samples {
		lo, hi := slices.Min(s.T), slices.Max(s.T)
		span := hi - lo + 1
		row := X.RawRowView(i)
		for e, t := range s.T {
			b := int((t - lo) * int64(c.BaselineBins) / span)
			row[b*groups+int(s.Ch[e])/c.BaselinePool]++
		}
	}
	return X
}

// readout z-scores X on the training rows, fits the ridge classifier and
// returns the test accuracy and confusion matrix.
func (c Classify) readout(X *mat.Dense, labels []int, k int, res *ClassifyResult) (float64, [][]int, error) {
	_, f := X.Dims()
	for j := range f {
		var m, v float64
		for _, i := range res.Train {
			m += X.At(i, j)
		}
		m /= float64(len(res.Train))
		for _, i := range res.Train {
			d := X.At(i, j) - m
			v += d * d
		}
		sd := math.Sqrt(v / float64(len(res.Train)))
		if sd == 0 {
			sd = 1
		}
		for i := range X.RawMatrix().Rows {
			X.Set(i, j, (X.At(i, j)-m)/sd)
		}
	}
	rows := func(idx []int) ([]mat.Matrix, []int) {
		seqs, ls := make([]mat.Matrix, len(idx)), make([]int, len(idx))
		for q, i := range idx {
			seqs[q] = X.Slice(i, i+1, 0, f)
			ls[q] = labels[i]
		}
		return seqs, ls
	}
	cl := &readout.Classifier{Alpha: c.Alpha, FitIntercept: true, Classes: k, SVDFallback: true}
	trS, trL := rows(res.Train)
	if err := cl.Fit(trS, trL); err != nil {
		return 0, nil, fmt.Errorf("spiking: readout: %w", err)
	}
	teS, teL := rows(res.Test)
	pred, err := cl.ClassesTo(nil, teS)
	if err != nil {
		return 0, nil, fmt.Errorf("spiking: readout: %w", err)
	}
	conf := make([][]int, k)
	for i := range conf {
		conf[i] = make([]int, k)
	}
	ok := 0
	for q, p := range pred {
		conf[teL[q]][p]++
		if p == teL[q] {
			ok++
		}
	}
	return float64(ok) / float64(len(pred)), conf, nil
}

package glmhmm

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/formats/table"
)

// Candidate is the fit of one K.
type Candidate struct {
	K int
	// TrainLL and HeldOutLL are log p(x) per bin (nats) of the training and
	// held-out chunks.
	TrainLL, HeldOutLL float64
	// BitsPerSpike is the held-out gain over the mean-rate null (Poisson;
	// NaN for Gaussian).
	BitsPerSpike float64
	// Iterations of the best restart; Converged whether it met Tol.
	Iterations int
	Converged  bool
	// Model is the fitted model.
	Model *hmm.Model
}

// Result is the fit of one recording.
type Result struct {
	Dataset, Worm string
	// Model is the name of the chosen model in the result tables.
	Model string
	// Emission is Config.Emission, Prior Config.Prior (resolved).
	Emission, Prior string
	// Neurons are the N labels, Time the T bin times (s).
	Neurons []string
	Time    []float64
	// Data is the T × N matrix the model saw (z-scored for Gaussian).
	Data *mat.Dense
	// TrainBins and HeldOutBins count the bins of each split.
	TrainBins, HeldOutBins int
	// Candidates are the fits of every K tried, in K order; Chosen indexes
	// the one with the highest held-out log-likelihood.
	Candidates []Candidate
	Chosen     int
	// Gamma is T × K: the chosen model's posteriors over the whole
	// recording; Path its Viterbi path.
	Gamma *mat.Dense
	Path  []int
}

// K is the chosen number of states.
func (r *Result) K() int { return r.Candidates[r.Chosen].K }

// Fitted is the chosen model.
func (r *Result) Fitted() *hmm.Model { return r.Candidates[r.Chosen].Model }

// ModelName is the name of a model of K states on a recording in the
// result tables: glmhmm-EMISSION-K<k>@DATASET/WORM, with the prior after the
// emission when there is one (glmhmm-gaussian-onehot-K2@…), so fits with
// different priors stay apart in one table.
func ModelName(emission, prior string, K int, dataset, worm string) string {
	if prior != "" && prior != PriorNone {
		emission += "-" + prior
	}
	return fmt.Sprintf("glmhmm-%s-K%d@%s/%s", emission, K, dataset, worm)
}

// Fit fits cfg's HMM-GLM for every K of the range to one recording, picks
// K by held-out log-likelihood and decodes the recording with it (see the
// package documentation). log, when not nil, receives one line per K
// fitted. Errors start with "glmhmm: recording DATASET/WORM".
func Fit(rec *table.Recording, cfg Config, log func(string)) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("glmhmm: nil recording: %w", neurotab.ErrShape)
	}
	res, err := fit(rec, cfg.resolved(), log)
	if err != nil {
		return nil, fmt.Errorf("glmhmm: recording %s/%s: %w", rec.Dataset, rec.Worm, err)
	}
	return res, nil
}

func fit(rec *table.Recording, c Config, log func(string)) (*Result, error) {
	if err := rec.Validate(); err != nil {
		if !errors.Is(err, neurotab.ErrShape) {
			err = fmt.Errorf("%w: %w", err, neurotab.ErrShape)
		}
		return nil, err
	}
	T, N := rec.Data.Dims()
	if N < 2 {
		return nil, fmt.Errorf("%d neuron: an HMM-GLM of interactions needs at least 2: %w", N, neurotab.ErrShape)
	}
	if err := checkData(rec, c.Emission); err != nil {
		return nil, err
	}
	dt := table.MedianDt(rec.Time)
	if !(dt > 0) {
		return nil, fmt.Errorf("median bin width %g s: need increasing times: %w", dt, neurotab.ErrShape)
	}
	train, held, err := split(T, c)
	if err != nil {
		return nil, err
	}
	nTrain, nHeld := bins(train), bins(held)
	if need := c.MaxStates * (N + 1); nTrain < need {
		return nil, fmt.Errorf("K = %d states of %d coefficients each need at least %d training bins, the recording has %d (of %d): lower the largest K: %w",
			c.MaxStates, N+1, need, nTrain, T, neurotab.ErrShape)
	}
	X := mat.DenseCopyOf(rec.Data)
	if c.Emission == Gaussian {
		zscore(X)
	}
	xs, hs := views(X, train), views(X, held)
	res := &Result{Dataset: rec.Dataset, Worm: rec.Worm, Emission: c.Emission, Prior: c.Prior, Neurons: rec.Neurons, Time: rec.Time,
		Data: X, TrainBins: nTrain, HeldOutBins: nHeld}
	var null float64
	var spikes float64
	if c.Emission == Poisson {
		null, spikes = meanRateNull(X, train, held)
	}
	for K := c.MinStates; K <= c.MaxStates; K++ {
		cd, err := fitK(c, K, rec.Neurons, dt, xs, hs, nTrain, nHeld)
		if err != nil {
			return nil, fmt.Errorf("K = %d: %w", K, err)
		}
		cd.BitsPerSpike = math.NaN()
		if c.Emission == Poisson && spikes > 0 {
			cd.BitsPerSpike = (cd.HeldOutLL*float64(nHeld) - null) / (math.Ln2 * spikes)
		}
		if len(res.Candidates) == 0 || cd.HeldOutLL > res.Candidates[res.Chosen].HeldOutLL {
			res.Chosen = len(res.Candidates)
		}
		res.Candidates = append(res.Candidates, cd)
		if log != nil {
			log(fmt.Sprintf("%s/%s K=%d: train %.4f, held-out %.4f nats/bin (%d iterations)", rec.Dataset, rec.Worm, K, cd.TrainLL, cd.HeldOutLL, cd.Iterations))
		}
	}
	m := res.Fitted()
	post, _, err := m.Posteriors([]mat.Matrix{X})
	if err != nil {
		return nil, fmt.Errorf("decoding with K = %d: %w", res.K(), err)
	}
	res.Gamma = post[0].Gamma
	if res.Path, _, err = m.Viterbi(X); err != nil {
		return nil, fmt.Errorf("Viterbi with K = %d: %w", res.K(), err)
	}
	res.Model = ModelName(c.Emission, c.Prior, res.K(), rec.Dataset, rec.Worm)
	return res, nil
}

// fitK runs EM for K states on the training chunks xs and scores the
// held-out chunks hs.
func fitK(c Config, K int, neurons []string, dt float64, xs, hs []mat.Matrix, nTrain, nHeld int) (Candidate, error) {
	obs, err := newObservations(c, K, neurons, dt, c.L2*float64(nTrain))
	if err != nil {
		return Candidate{}, err
	}
	tr, err := hmm.NewTransitions(K, c.Stay)
	if err != nil {
		return Candidate{}, err
	}
	// One pseudo-count per transition (Dirichlet α = 2): a training chunk
	// that stays in one state must not make P the identity, which would
	// forbid every switch when the whole recording is decoded.
	tr.Kappa, tr.Alpha = c.Kappa, 2
	pi := make([]float64, K)
	for k := range pi {
		pi[k] = 1 / float64(K)
	}
	init := &hmm.Model{Initial: &hmm.Initial{Pi: pi}, Transitions: tr, Observations: obs}
	fitted, err := warmEM(c, init, xs)
	if err != nil {
		return Candidate{}, err
	}
	_, trainLL, err := fitted.Model.Posteriors(xs)
	if err != nil {
		return Candidate{}, err
	}
	_, heldLL, err := fitted.Model.Posteriors(hs)
	if err != nil {
		return Candidate{}, fmt.Errorf("held-out chunks: %w", err)
	}
	return Candidate{K: K, TrainLL: trainLL / float64(nTrain), HeldOutLL: heldLL / float64(nHeld),
		Iterations: len(fitted.Objective) - 1, Converged: fitted.Converged, Model: fitted.Model}, nil
}

// checkData rejects NaN and ±Inf samples, and for Poisson anything but
// non-negative integer counts, naming the neuron and the bin.
func checkData(rec *table.Recording, emission string) error {
	T, N := rec.Data.Dims()
	for t := range T {
		for n := range N {
			v := rec.Data.At(t, n)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("neuron %s, bin %d (t = %g s): sample %v: %w", rec.Neurons[n], t, rec.Time[t], v, neurotab.ErrNotFinite)
			}
			if emission == Poisson && (v < 0 || v != math.Floor(v)) {
				return fmt.Errorf("neuron %s, bin %d (t = %g s): %g is not a spike count; Poisson emission needs non-negative integers (bin a spikes table, or use Gaussian emission): %w",
					rec.Neurons[n], t, rec.Time[t], v, neurotab.ErrOutOfRange)
			}
		}
	}
	return nil
}

// span is a half-open range of bins [From, To).
type span struct{ From, To int }

func bins(s []span) int {
	n := 0
	for _, c := range s {
		n += c.To - c.From
	}
	return n
}

// split cuts T bins into c.Chunks contiguous chunks; chunk i is held out
// when ⌊(i+1)·h⌋ > ⌊i·h⌋ for h = c.HeldOut (every 1/h-th chunk).
func split(T int, c Config) (train, held []span, err error) {
	if T < c.Chunks*(c.Window+1) {
		return nil, nil, fmt.Errorf("%d bins are too few for %d chunks of more than the %d-bin history: %w", T, c.Chunks, c.Window, neurotab.ErrShape)
	}
	for i := range c.Chunks {
		s := span{i * T / c.Chunks, (i + 1) * T / c.Chunks}
		if math.Floor(float64(i+1)*c.HeldOut+1e-9) > math.Floor(float64(i)*c.HeldOut+1e-9) {
			held = append(held, s)
		} else {
			train = append(train, s)
		}
	}
	if len(held) == 0 || len(train) == 0 {
		return nil, nil, fmt.Errorf("held-out fraction %g of %d chunks leaves a split empty: %w", c.HeldOut, c.Chunks, neurotab.ErrParam)
	}
	return train, held, nil
}

// views returns the rows of X in each span.
func views(X *mat.Dense, s []span) []mat.Matrix {
	_, N := X.Dims()
	out := make([]mat.Matrix, len(s))
	for i, c := range s {
		out[i] = X.Slice(c.From, c.To, 0, N)
	}
	return out
}

// zscore standardizes each column of X in place over the whole recording,
// as the published homogenization does (a neuron quiet in the training
// chunks would otherwise blow up in the held-out ones); a constant column
// is only centred.
func zscore(X *mat.Dense) {
	T, N := X.Dims()
	for n := range N {
		var s, ss float64
		for t := range T {
			v := X.At(t, n)
			s += v
			ss += v * v
		}
		mean := s / float64(T)
		sd := math.Sqrt(max(ss/float64(T)-mean*mean, 0))
		if !(sd > 1e-12*max(1, math.Abs(mean))) {
			sd = 1
		}
		for t := range T {
			X.Set(t, n, (X.At(t, n)-mean)/sd)
		}
	}
}

// meanRateNull returns the held-out Poisson log-likelihood of the
// per-neuron mean rates of the training bins, and the held-out spike count.
func meanRateNull(X *mat.Dense, train, held []span) (ll, spikes float64) {
	_, N := X.Dims()
	nTrain := float64(bins(train))
	for n := range N {
		var s float64
		for _, c := range train {
			for t := c.From; t < c.To; t++ {
				s += X.At(t, n)
			}
		}
		lam := s / nTrain
		for _, c := range held {
			for t := c.From; t < c.To; t++ {
				y := X.At(t, n)
				lg, _ := math.Lgamma(y + 1)
				if lam > 0 {
					ll += y*math.Log(lam) - lam - lg
				} else if y > 0 {
					ll = math.Inf(-1)
				}
				spikes += y
			}
		}
	}
	return ll, spikes
}

// warmEM runs c.Restarts restarts of EM on init and returns the one with
// the highest objective. Restart r first fits the HMM without history of
// the same emission (hmm.Gaussian or hmm.Poisson) from the random start
// Seed.Rand(r), sets the GLMs by one M-step on its posteriors, then
// iterates Baum–Welch on the HMM-GLM until the objective changes by less
// than Tol·(1 + |objective|) or MaxIter iterations: the warm start keeps EM
// from spending the states on history fits that do not switch.
func warmEM(c Config, init *hmm.Model, xs []mat.Matrix) (*hmm.Result, error) {
	K, N := init.Observations.States(), init.Observations.Dim()
	var best *hmm.Result
	for r := range c.Restarts {
		var plain hmm.Observations
		var err error
		if c.Emission == Poisson {
			plain, err = hmm.NewPoisson(K, N)
		} else {
			plain, err = hmm.NewGaussian(K, N)
		}
		if err != nil {
			return nil, err
		}
		pm := &hmm.Model{Initial: &hmm.Initial{Pi: append([]float64(nil), init.Initial.Pi...)}, Transitions: init.Transitions, Observations: plain}
		pre, err := hmm.EM{MaxIter: c.MaxIter, Tol: c.Tol, Seed: c.Seed + neurotab.Seed(r)}.Fit(pm, xs)
		if err != nil {
			return nil, fmt.Errorf("restart %d, HMM without history: %w", r, err)
		}
		m := init.Clone()
		m.Initial.Pi = append([]float64(nil), pre.Model.Initial.Pi...)
		m.Transitions.P = mat.DenseCopyOf(pre.Model.Transitions.P)
		post, _, err := pre.Model.Posteriors(xs)
		if err != nil {
			return nil, fmt.Errorf("restart %d: %w", r, err)
		}
		ws := make([]*mat.Dense, len(post))
		for i, p := range post {
			ws[i] = p.Gamma
		}
		if err := m.Observations.MStep(xs, ws); err != nil {
			return nil, fmt.Errorf("restart %d, first M-step: %w", r, err)
		}
		res := &hmm.Result{Model: m, Restart: r}
		for it := 0; it < c.MaxIter; it++ {
			obj, err := m.Step(xs)
			if err != nil {
				return nil, fmt.Errorf("restart %d, EM iteration %d: %w", r, it+1, err)
			}
			res.Objective = append(res.Objective, obj)
			// |Δ|, not Δ: the ridge-penalized M-step may lower the
			// unpenalized objective for an iteration before it settles.
			if n := len(res.Objective); n > 1 && math.Abs(obj-res.Objective[n-2]) < c.Tol*(1+math.Abs(obj)) {
				res.Converged = true
				break
			}
		}
		obj, err := m.Objective(xs)
		if err != nil {
			return nil, fmt.Errorf("restart %d: %w", r, err)
		}
		res.Objective = append(res.Objective, obj)
		if best == nil || obj > best.Objective[len(best.Objective)-1] {
			best = res
		}
	}
	return best, nil
}

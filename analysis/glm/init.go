package glm

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// initWindow is the length (bins) of the windows that [GLMObservations.Randomize]
// clusters.
const initWindow = 40

// windowInit returns hard state weights γ for the sequences from a
// clustering of short windows: each window of initWindow bins is described
// by its mean responses and the covariances of each response with each
// covariate (history and inputs), which are linear in the window's GLM
// weights; the standardized descriptions are clustered into K groups by
// k-means++ (Arthur & Vassilvitskii 2007) and Lloyd's iterations. It
// returns nil when there are fewer than 2K windows.
func (o *GLMObservations) windowInit(ds []*prepared, rng *rand.Rand) []*mat.Dense {
	K, N, P := o.States(), o.Neurons(), o.params()
	F := N + N*(P-1)
	type win struct{ s, t0, t1 int }
	var wins []win
	for s, d := range ds {
		for t0 := 0; t0+initWindow <= d.T; t0 += initWindow {
			t1 := t0 + initWindow
			if d.T-t1 < initWindow {
				t1 = d.T
			}
			wins = append(wins, win{s, t0, t1})
		}
	}
	if len(wins) < 2*K {
		return nil
	}
	feat := make([]float64, len(wins)*F)
	parallel(len(wins), func(i int) {
		w := wins[i]
		d := ds[w.s]
		f := feat[i*F : (i+1)*F]
		L := float64(w.t1 - w.t0)
		my := make([]float64, N)
		mx := make([]float64, P)
		for t := w.t0; t < w.t1; t++ {
			for n := range N {
				my[n] += d.Y[t*N+n] / L
			}
			for j := range P {
				mx[j] += d.X[t*P+j] / L
			}
		}
		copy(f, my)
		for t := w.t0; t < w.t1; t++ {
			for n := range N {
				dy := d.Y[t*N+n] - my[n]
				for j := 1; j < P; j++ {
					f[N+n*(P-1)+j-1] += dy * (d.X[t*P+j] - mx[j]) / L
				}
			}
		}
	})
	// Standardize each feature.
	for j := range F {
		var s, ss float64
		for i := range wins {
			v := feat[i*F+j]
			s += v
			ss += v * v
		}
		m := s / float64(len(wins))
		sd := math.Sqrt(math.Max(ss/float64(len(wins))-m*m, 0))
		for i := range wins {
			if sd > 0 {
				feat[i*F+j] = (feat[i*F+j] - m) / sd
			} else {
				feat[i*F+j] = 0
			}
		}
	}
	label := kmeans(feat, len(wins), F, K, rng)
	ws := make([]*mat.Dense, len(ds))
	for s, d := range ds {
		ws[s] = mat.NewDense(d.T, K, nil)
		for t := range d.T {
			ws[s].Set(t, 0, 1) // bins after the last whole window
		}
	}
	for i, w := range wins {
		for t := w.t0; t < w.t1; t++ {
			ws[w.s].Set(t, 0, 0)
			ws[w.s].Set(t, label[i], 1)
		}
	}
	return ws
}

// kmeans clusters the n points (rows of x, dimension f) into k groups:
// k-means++ seeding from rng, then at most 50 Lloyd iterations.
func kmeans(x []float64, n, f, k int, rng *rand.Rand) []int {
	cent := make([]float64, k*f)
	d2 := make([]float64, n)
	dist := func(i, c int) float64 {
		s := 0.0
		for j := range f {
			d := x[i*f+j] - cent[c*f+j]
			s += d * d
		}
		return s
	}
	copy(cent, x[rng.IntN(n)*f:][:f])
	for c := 1; c < k; c++ {
		total := 0.0
		for i := range n {
			d2[i] = math.Inf(1)
			for b := range c {
				d2[i] = math.Min(d2[i], dist(i, b))
			}
			total += d2[i]
		}
		u := rng.Float64() * total
		pick := n - 1
		for i := range n {
			if u < d2[i] {
				pick = i
				break
			}
			u -= d2[i]
		}
		copy(cent[c*f:(c+1)*f], x[pick*f:(pick+1)*f])
	}
	label := make([]int, n)
	for it := range 50 {
		changed := false
		for i := range n {
			best, bd := 0, math.Inf(1)
			for c := range k {
				if d := dist(i, c); d < bd {
					best, bd = c, d
				}
			}
			if best != label[i] || it == 0 {
				changed = changed || best != label[i]
				label[i] = best
			}
		}
		if !changed && it > 0 {
			break
		}
		count := make([]float64, k)
		clear(cent)
		for i := range n {
			c := label[i]
			count[c]++
			for j := range f {
				cent[c*f+j] += x[i*f+j]
			}
		}
		for c := range k {
			if count[c] == 0 {
				copy(cent[c*f:(c+1)*f], x[rng.IntN(n)*f:][:f])
				continue
			}
			for j := range f {
				cent[c*f+j] /= count[c]
			}
		}
	}
	return label
}

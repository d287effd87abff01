package glm

import (
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// prepared is a checked data matrix: the design X (T × P row-major: a one,
// the history c_t of the N neurons, the inputs u_t), the responses Y
// (T × N) and the y-only log-density constants per bin.
type prepared struct {
	T      int
	X      []float64
	Y      []float64
	lconst []float64
}

// historyCache keeps the prepared data of the last matrices seen, keyed by
// their content (a hash of every entry), so EM builds each history once.
type historyCache struct {
	mu      sync.Mutex
	seed    maphash.Seed
	entries map[uint64]*prepared
}

// maxCached bounds the cache (sequences); older entries are dropped all at
// once when it is full.
const maxCached = 4096

var seedOnce = maphash.MakeSeed()

// prepare checks x and returns its design, from the cache when the same
// content (and configuration) was seen.
func (o *GLMObservations) prepare(x mat.Matrix) (*prepared, error) {
	T, c := x.Dims()
	N, M := o.Neurons(), o.Inputs
	if c != N+M {
		return nil, fmt.Errorf("glm: data has %d columns for an observation model of dimension %d (%d neurons, %d inputs): %w", c, N+M, N, M, neurotab.ErrShape)
	}
	e, err := o.emission()
	if err != nil {
		return nil, err
	}
	var h maphash.Hash
	h.SetSeed(seedOnce)
	var buf [8]byte
	put := func(v uint64) {
		for i := range buf {
			buf[i] = byte(v >> (8 * i))
		}
		h.Write(buf[:])
	}
	put(uint64(T))
	put(uint64(c))
	for _, v := range o.Basis {
		put(math.Float64bits(v))
	}
	h.WriteString(e.family + "/" + e.link)
	if o.AllowNonInteger {
		h.WriteString("/nonint")
	}
	Y := make([]float64, T*N)
	U := make([]float64, T*M)
	for t := range T {
		for j := range c {
			v := x.At(t, j)
			put(math.Float64bits(v))
			if math.IsNaN(v) || math.IsInf(v, 0) {
				what := "neuron"
				col := j
				if j >= N {
					what, col = "input", j-N
				}
				return nil, fmt.Errorf("glm: data at t=%d, %s %d is %v: %w", t, what, col, v, neurotab.ErrNotFinite)
			}
			if j < N {
				if msg := e.checkValue(v, o.AllowNonInteger); msg != "" {
					what := "Poisson count"
					if e.family == Bernoulli {
						what = "Bernoulli response"
					}
					return nil, fmt.Errorf("glm: %s at bin %d, neuron %d is %v, %s: %w", what, t, j, v, msg, neurotab.ErrOutOfRange)
				}
				Y[t*N+j] = v
			} else {
				U[t*M+j-N] = v
			}
		}
	}
	key := h.Sum64()
	if o.cache == nil {
		o.cache = &historyCache{entries: map[uint64]*prepared{}}
	}
	o.cache.mu.Lock()
	d, ok := o.cache.entries[key]
	o.cache.mu.Unlock()
	if ok {
		return d, nil
	}
	d = &prepared{T: T, Y: Y, lconst: make([]float64, T)}
	P := 1 + N + M
	d.X = make([]float64, T*P)
	L := len(o.Basis)
	for t := range T {
		row := d.X[t*P : (t+1)*P]
		row[0] = 1
		for l := 1; l <= L && l <= t; l++ {
			phi := o.Basis[l-1]
			prev := Y[(t-l)*N : (t-l+1)*N]
			for n, v := range prev {
				row[1+n] += phi * v
			}
		}
		copy(row[1+N:], U[t*M:(t+1)*M])
		if e.family == Poisson {
			for _, v := range Y[t*N : (t+1)*N] {
				d.lconst[t] += e.constant(v, 1)
			}
		}
	}
	o.cache.mu.Lock()
	if len(o.cache.entries) >= maxCached {
		clear(o.cache.entries)
	}
	o.cache.entries[key] = d
	o.cache.mu.Unlock()
	return d, nil
}

// parallel runs f(0) … f(n−1) on GOMAXPROCS goroutines. Each call must
// write only its own outputs, so results do not depend on the scheduling.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

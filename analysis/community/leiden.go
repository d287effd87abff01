package community

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/neurotab/neurotab"
)

// DefaultRandomness is θ of Leiden's refinement (Traag et al. 2019).
const DefaultRandomness = 0.01

// Leiden finds communities of high modularity (see Modularity) with the
// Leiden algorithm (Traag, Waltman & van Eck 2019,
// doi:10.1038/s41598-019-41695-z). Each iteration
//
//  1. moves nodes fast (a queue of the nodes whose neighbourhood changed)
//     to the community of largest gain, an empty one included;
//
//  2. refines each community S: starting from singletons, each node v that
//     is still a singleton and well connected to S,
//     w(v, S−v) ≥ γ k_v (K_S − k_v)/2m, joins a well-connected refined
//     community T ⊆ S it has an edge to, chosen at random with
//     Pr(T) ∝ exp(ΔH/θ) among those with
//
//     ΔH = [ w(v, T) − γ k_v K_T / 2m ] / 2m ≥ 0
//
//     (staying alone is the candidate with ΔH = 0), so every refined
//     community is connected;
//
//  3. aggregates the refined communities into nodes, starting the next
//     iteration from the unrefined partition,
//
// until a fast move leaves every node of the aggregate in its own
// community. Passes of these iterations are repeated from the partition
// found until one changes nothing (at most 50), as leidenalg does with
// n_iterations < 0. Refined communities are connected by construction; as a last
// step a community that is nevertheless disconnected is split into its
// connected components, which never lowers modularity, so every community
// Fit returns is connected.
//
// Leiden has the estimator shape of package neurotab (see Louvain). Not
// safe for concurrent use.
type Leiden struct {
	// Resolution is γ > 0; 0 means 1 (plain modularity).
	Resolution float64
	// Randomness is θ > 0 of the refinement; 0 means DefaultRandomness.
	Randomness float64
	// Seed seeds the node orders and the refinement's choices.
	Seed neurotab.Seed

	fit *result
}

func (l *Leiden) gamma() float64 { return orDefault(l.Resolution, 1) }

func (l *Leiden) theta() float64 { return orDefault(l.Randomness, DefaultRandomness) }

// Check reports whether the configuration is valid: Resolution and
// Randomness finite and ≥ 0. Errors wrap neurotab.ErrParam.
func (l *Leiden) Check() error {
	return checkNonNegative(map[string]float64{"Resolution": l.Resolution, "Randomness": l.Randomness})
}

// Parameters returns the configuration as provenance parameters, defaults
// applied: resolution, randomness and seed (decimal string).
func (l *Leiden) Parameters() map[string]any {
	return map[string]any{"resolution": l.gamma(), "randomness": l.theta(), "seed": l.Seed.String()}
}

// Fit finds the communities of g, replacing any earlier fit. Errors: an
// invalid configuration (neurotab.ErrParam), a nil graph or one without
// edge weight (neurotab.ErrShape). After an error the estimator is
// unfitted.
func (l *Leiden) Fit(g *Graph) (err error) {
	l.fit, err = fitGraph(l.Check, g, func() *result { return leiden(g, l.gamma(), l.theta(), l.Seed) })
	return err
}

// PartitionTo writes the community of each node (labels 0…k−1 by first
// appearance) into dst, which must have length N (PartitionTo panics
// otherwise). The error wraps neurotab.ErrNotFitted.
func (l *Leiden) PartitionTo(dst []int) error { return l.fit.partitionTo("Leiden", dst) }

// Communities returns the number of communities k of the fit.
func (l *Leiden) Communities() (int, error) { return l.fit.communities("Leiden") }

// Modularity returns the modularity Q of the fitted partition at the
// configured resolution.
func (l *Leiden) Modularity() (float64, error) { return l.fit.modularity("Leiden") }

// maxPasses bounds the passes of leiden.
const maxPasses = 50

// leiden runs passes of the Leiden algorithm on g, each starting from the
// partition of the one before, until a pass changes nothing (at most
// maxPasses), as leidenalg's optimise_partition with n_iterations < 0.
func leiden(g *Graph, gamma, theta float64, seed neurotab.Seed) *result {
	part := leidenPasses(g, gamma, theta, seed)
	k := splitDisconnected(g, part)
	return &result{part: part, k: k, q: quality(g, part, k, gamma)}
}

// leidenPasses returns the partition of the passes, before any split.
func leidenPasses(g *Graph, gamma, theta float64, seed neurotab.Seed) []int {
	n := g.Nodes()
	rng := seed.Rand(1)
	part := identity(n)
	relabel := make([]int, n)
	for range maxPasses {
		next := leidenPass(g, part, gamma, theta, rng, relabel)
		relabelDense(next, relabel)
		if slices.Equal(next, part) {
			break
		}
		part = next
	}
	return part
}

// leidenPass runs one pass (the iterations of Algorithm A.1 of Traag et
// al.) from the partition init of g (labels in [0, N)) and returns the
// partition found.
func leidenPass(g *Graph, init []int, gamma, theta float64, rng *rand.Rand, relabel []int) []int {
	n := g.Nodes()
	member := identity(n) // node of g → node of h
	comm := slices.Clone(init)
	h := g
	for {
		fastMoving(h, comm, gamma, rng)
		k := relabelDense(comm, relabel[:h.Nodes()])
		if k == h.Nodes() {
			break
		}
		ref := refine(h, comm, gamma, theta, rng)
		kr := relabelDense(ref, relabel[:h.Nodes()])
		if kr == h.Nodes() { // nothing merged: aggregate by the partition itself
			copy(ref, comm)
			kr = k
		}
		next := make([]int, kr)
		for i, r := range ref {
			next[r] = comm[i]
		}
		for i, m := range member {
			member[i] = ref[m]
		}
		h, comm = aggregate(h, ref, kr), next
	}
	part := make([]int, n)
	for i, m := range member {
		part[i] = comm[m]
	}
	return part
}

// fastMoving is Leiden's fast local moving: nodes of h are queued in a
// random order; a node taken from the queue moves to the community (an
// empty one included) of largest gain, and its neighbours outside that
// community that are not queued join the queue.
func fastMoving(h *Graph, comm []int, gamma float64, rng *rand.Rand) {
	n := h.Nodes()
	tot := communityTotals(h, comm)
	size := make([]int, n)
	for _, c := range comm {
		size[c]++
	}
	var empty []int
	for c := range n {
		if size[c] == 0 {
			empty = append(empty, c)
		}
	}
	queue := rng.Perm(n)
	queued := make([]bool, n)
	for i := range queued {
		queued[i] = true
	}
	s := newScratch(n)
	for head := 0; head < len(queue); head++ {
		i := queue[head]
		queued[i] = false
		own := comm[i]
		ki := h.degree[i]
		s.neighbours(h, comm, i)
		tot[own] -= ki
		size[own]--
		if size[own] == 0 {
			empty = append(empty, own)
		}
		best, bestGain := own, s.w[own]-gamma*ki*tot[own]/h.twoM
		for _, c := range s.touched {
			if gain := s.w[c] - gamma*ki*tot[c]/h.twoM; gain > bestGain {
				best, bestGain = c, gain
			}
		}
		if bestGain < 0 && len(empty) > 0 { // alone is better: gain 0
			best = empty[len(empty)-1]
		}
		if size[best] == 0 {
			empty = empty[:len(empty)-1] // best is the last empty one
		}
		tot[best] += ki
		size[best]++
		comm[i] = best
		if best == own {
			continue
		}
		for p := h.start[i]; p < h.start[i+1]; p++ {
			if j := h.adj[p]; comm[j] != best && !queued[j] {
				queued[j] = true
				queue = append(queue, j)
			}
		}
	}
}

// refine is Leiden's refinement: it returns a partition of h into
// connected communities, each inside one community of comm (labels in
// [0, N)).
func refine(h *Graph, comm []int, gamma, theta float64, rng *rand.Rand) []int {
	n := h.Nodes()
	totS := communityTotals(h, comm)
	ref := make([]int, n)
	totR := make([]float64, n) // K_T of refined community T
	extR := make([]float64, n) // w(T, S − T)
	alone := make([]bool, n)   // T is still the singleton {T}
	for i := range n {
		ref[i], totR[i], alone[i] = i, h.degree[i], true
		for p := h.start[i]; p < h.start[i+1]; p++ {
			if comm[h.adj[p]] == comm[i] {
				extR[i] += h.w[p]
			}
		}
	}
	s := newScratch(n)
	var cand []int
	var prob []float64
	for _, v := range rng.Perm(n) {
		if !alone[ref[v]] {
			continue
		}
		S, kv := comm[v], h.degree[v]
		if extR[v] < gamma*kv*(totS[S]-kv)/h.twoM {
			continue // v is not well connected to its community
		}
		// Weights from v to the refined communities inside S.
		for _, c := range s.touched {
			s.w[c] = 0
		}
		s.touched = s.touched[:0]
		for p := h.start[v]; p < h.start[v+1]; p++ {
			if j := h.adj[p]; comm[j] == S {
				t := ref[j]
				if s.w[t] == 0 {
					s.touched = append(s.touched, t)
				}
				s.w[t] += h.w[p]
			}
		}
		cand, prob = append(cand[:0], v), append(prob[:0], 1) // stay: ΔH = 0
		maxH := 0.0
		for _, t := range s.touched {
			if t == v || s.w[t] <= 0 || extR[t] < gamma*totR[t]*(totS[S]-totR[t])/h.twoM {
				continue
			}
			dh := (s.w[t] - gamma*kv*totR[t]/h.twoM) / h.twoM
			if dh < 0 {
				continue
			}
			cand, prob = append(cand, t), append(prob, dh)
			maxH = max(maxH, dh)
		}
		if len(cand) == 1 {
			continue
		}
		// Pr(T) ∝ exp(ΔH/θ), computed relative to the largest ΔH.
		prob[0] = 0 // ΔH of staying
		sum := 0.0
		for i, dh := range prob {
			prob[i] = math.Exp((dh - maxH) / theta)
			sum += prob[i]
		}
		u := rng.Float64() * sum
		pick := len(cand) - 1
		for i, p := range prob {
			if u < p {
				pick = i
				break
			}
			u -= p
		}
		t := cand[pick]
		if t == v {
			continue
		}
		ref[v] = t
		extR[t] += extR[v] - 2*s.w[t]
		totR[t] += kv
		alone[t] = false
		alone[v] = false
	}
	return ref
}

package neurotab

import (
	"math/rand/v2"
	"strconv"
)

// Seed seeds every random step of neurotab (simulation, reservoir weights,
// restarts, imputation). The same seed gives the same bytes; provenance
// records it in decimal.
type Seed uint64

// Rand returns a PCG generator on the given stream of the seed: independent
// parts of one computation take different streams, so adding a part never
// changes the numbers of another.
func (s Seed) Rand(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(uint64(s), stream)) }

// String returns the seed in decimal.
func (s Seed) String() string { return strconv.FormatUint(uint64(s), 10) }

// ParseSeed reads a decimal seed.
func ParseSeed(v string) (Seed, error) {
	u, err := strconv.ParseUint(v, 10, 64)
	return Seed(u), err
}

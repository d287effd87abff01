// Package damage makes the regression corpus of damaged inputs: from real
// files (the shared fixtures) it writes truncations, byte flips, zeroed
// blocks, huge size fields, appended garbage, empty and random files, every
// one reproducible from its name. The corpus test runs each through the
// commands a user would (inspect, ingest, connectome import) and checks that
// each ends as a clean one-line error or a documented acceptance, without a
// panic, a hang or an unbounded allocation.
package damage

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Seed is a real file the corpus damages, with how a user would convert it.
type Seed struct {
	Path string // relative to the fixtures folder
	// Ingest is the --source of `neurotab ingest` ("auto" to let the
	// detector choose); Connectome the --source of `connectome import`.
	// At most one is set; with neither, the file is only inspected.
	Ingest, Connectome string
	// Calcium says the input is a calcium recording (the corpus then lets
	// unlabeled and short recordings through, so the damage is what fails).
	Calcium bool
	// Checksummed says the format detects any changed byte (zip CRC, HDF5
	// Fletcher-32 or zlib Adler-32 over all data): a flip there must be an
	// error, never an acceptance.
	Checksummed bool
}

// Seeds are the fixtures damaged, covering every format neurotab reads.
var Seeds = []Seed{
	{Path: "tonic/sample_nmnist.bin", Ingest: "nmnist"},
	{Path: "tonic/sample_ncars.dat", Ingest: "dat"},
	{Path: "tonic/sample.aedat4", Ingest: "aedat4"},
	{Path: "tonic/sample_aedat_header.aedat", Ingest: "auto"},
	{Path: "tonic/sample_stmnist.mat"},
	{Path: "expelliarmus/evt2_sample.raw", Ingest: "evt2"},
	{Path: "expelliarmus/evt3_sample.raw", Ingest: "evt3"},
	{Path: "faery/evt2.raw", Ingest: "auto"},
	{Path: "dag2023/2022-07-26-31-data.h5", Ingest: "dag2023", Calcium: true},
	{Path: "pynapple/A8604-211122.nwb", Ingest: "nwb-units"},
	{Path: "pynapple/iscell.npy"},
	{Path: "reference-made/hdf5/generic_sb1_istorek.h5"},
	{Path: "reference-made/hdf5/generic_latest.h5"},
	{Path: "reference-made/hdf5/corrupt_fletcher32.h5"},
	{Path: "reference-made/mat_v5/lin2023_like.mat", Ingest: "lin2023", Calcium: true},
	{Path: "reference-made/mat_v5/lin2023_like_compressed.mat", Ingest: "lin2023", Calcium: true},
	{Path: "reference-made/mat_v5/yemini2021_like.mat", Ingest: "auto", Calcium: true},
	{Path: "reference-made/mat_v5/v5_types_compressed.mat"},
	{Path: "reference-made/mat_v5/matlab_written/teststruct_7.4_GLNX86.mat"},
	{Path: "reference-made/mat_v73/kato2015_like_v73.mat", Ingest: "kato2015", Calcium: true},
	{Path: "reference-made/nwb/ophys_rate.nwb", Ingest: "nwb", Calcium: true},
	{Path: "reference-made/shd/shd_like.h5", Ingest: "shd"},
	{Path: "reference-made/text/wormwideweb_like.json", Ingest: "auto", Calcium: true},
	{Path: "reference-made/text/venkatachalam2024_like.zip", Ingest: "auto", Calcium: true, Checksummed: true},
	{Path: "c302/aconnectome_white_1986_whole.csv", Connectome: "white1986_whole"},
	{Path: "c302/herm_full_edgelist.csv", Connectome: "cook2015_herm_full"},
	{Path: "c302/witvliet_2020_1.xlsx", Connectome: "witvliet2020_1", Checksummed: true},
	{Path: "c302/NeuronConnectFormatted.xlsx", Connectome: "varshney2011", Checksummed: true},
	{Path: "c302/CElegansNeuronTables.xls", Connectome: "openworm"},
}

// Case is one damaged file.
type Case struct {
	Seed     Seed
	Mutation string // what was done, e.g. "flip@1234"
	File     string // the damaged file
}

// mutation makes damaged bytes from the original.
type mutation struct {
	name string
	do   func(b []byte, r *rand.Rand) ([]byte, string)
}

// at returns a position in [lo, hi) of b, clamped to b.
func at(r *rand.Rand, lo, hi, n int) int {
	hi = min(hi, n)
	if hi <= lo {
		return max(0, min(lo, n-1))
	}
	return lo + r.IntN(hi-lo)
}

var mutations = []mutation{
	{"empty", func(b []byte, _ *rand.Rand) ([]byte, string) { return nil, "" }},
	{"trunc", func(b []byte, _ *rand.Rand) ([]byte, string) { return b[:min(1, len(b))], "1" }},
	{"trunc", func(b []byte, _ *rand.Rand) ([]byte, string) { return b[:min(16, len(b))], "16" }},
	{"trunc", func(b []byte, _ *rand.Rand) ([]byte, string) { return b[:len(b)/10], "10pct" }},
	{"trunc", func(b []byte, _ *rand.Rand) ([]byte, string) { return b[:len(b)/2], "50pct" }},
	{"trunc", func(b []byte, _ *rand.Rand) ([]byte, string) { return b[:max(0, len(b)-1)], "last" }},
	{"flip", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, 512, len(b))
		b[i] ^= 0xff
		return b, fmt.Sprint(i)
	}},
	{"flip", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 512, 4096, len(b))
		b[i] ^= 0x55
		return b, fmt.Sprint(i)
	}},
	{"flip", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, len(b), len(b))
		b[i] ^= 0x01
		return b, fmt.Sprint(i)
	}},
	{"flip", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, len(b)/2, len(b), len(b))
		b[i] ^= 0x80
		return b, fmt.Sprint(i)
	}},
	{"zero", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, len(b), len(b))
		clear(b[i:min(i+4096, len(b))])
		return b, fmt.Sprint(i)
	}},
	{"zero", func(b []byte, _ *rand.Rand) ([]byte, string) {
		i := len(b) / 3
		clear(b[i:min(i+4096, len(b))])
		return b, fmt.Sprint(i)
	}},
	{"huge32", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, 1024, len(b)-4) &^ 3
		if i+4 <= len(b) {
			binary.LittleEndian.PutUint32(b[i:], 0xfffffff0)
		}
		return b, fmt.Sprint(i)
	}},
	{"huge32", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, len(b), len(b)-4) &^ 3
		if i+4 <= len(b) {
			binary.LittleEndian.PutUint32(b[i:], 0x7fffffff)
		}
		return b, fmt.Sprint(i)
	}},
	{"huge64", func(b []byte, r *rand.Rand) ([]byte, string) {
		i := at(r, 0, 2048, len(b)-8) &^ 7
		if i+8 <= len(b) {
			binary.LittleEndian.PutUint64(b[i:], 1<<62)
		}
		return b, fmt.Sprint(i)
	}},
	{"garbage", func(b []byte, r *rand.Rand) ([]byte, string) {
		g := make([]byte, 1024)
		for i := range g {
			g[i] = byte(r.Uint32())
		}
		return append(b, g...), "1024"
	}},
	{"random", func(b []byte, r *rand.Rand) ([]byte, string) {
		g := make([]byte, min(len(b), 64<<10))
		for i := range g {
			g[i] = byte(r.Uint32())
		}
		return g, fmt.Sprint(len(g))
	}},
}

// Make writes the corpus of every seed present under data into out and
// returns the cases; seeds whose file is absent are left out (the caller
// decides whether that is a failure). Every byte is a function of the seed
// file and the case's index: the same fixtures give the same corpus.
func Make(data, out string) ([]Case, error) {
	var cases []Case
	for _, s := range Seeds {
		orig, err := os.ReadFile(filepath.Join(data, s.Path))
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		h := fnv.New64a()
		h.Write([]byte(s.Path))
		base := filepath.Base(s.Path)
		ext := filepath.Ext(base)
		stem := base[:len(base)-len(ext)]
		for i, m := range mutations {
			r := rand.New(rand.NewPCG(h.Sum64(), uint64(i)))
			b, where := m.do(append([]byte(nil), orig...), r)
			name := m.name
			if where != "" {
				name += "@" + where
			}
			dir := filepath.Join(out, fmt.Sprintf("%s.%02d.%s", stem, i, name))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			// The damaged file keeps the original's name: detectors and
			// adapters that go by the name (a Kato struct named after
			// its file) see what a user's damaged file would show them.
			f := filepath.Join(dir, base)
			if err := os.WriteFile(f, b, 0o644); err != nil {
				return nil, err
			}
			cases = append(cases, Case{Seed: s, Mutation: name, File: f})
		}
	}
	return cases, nil
}

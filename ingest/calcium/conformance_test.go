package calcium

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// conformanceCase is one readable input per adapter; every adapter must
// appear in the table (TestConformanceCoversRegistry).
type conformanceCase struct {
	adapter string
	path    func(t *testing.T) string
	opt     Options
	garbage string // file name for a garbage input of this adapter's kind
}

func ref(elem ...string) func(t *testing.T) string {
	return func(t *testing.T) string { return fixtures.Path(t, append([]string{"reference-made"}, elem...)...) }
}

func local(elem ...string) func(t *testing.T) string {
	return func(*testing.T) string { return filepath.Join(append([]string{"testdata"}, elem...)...) }
}

var conformanceCases = []conformanceCase{
	{adapter: "Yemini2021", path: ref("mat_v5", "yemini2021_like.mat"), garbage: "Head_Activity_X.mat"},
	{adapter: "Lin2023", path: ref("mat_v5", "lin2023_like.mat"), garbage: "lin.mat"},
	{adapter: "Lin2023", path: ref("mat_v5", "lin2023_like_compressed.mat"), garbage: "lin.mat"},
	{adapter: "Leifer2023", path: ref("text", "leifer2023_like"), garbage: "7_gcamp.txt"},
	{adapter: "Leifer2023", path: ref("text", "leifer2023_like", "0_gcamp.txt"), garbage: "7_gcamp.txt"},
	{adapter: "Flavell2023", path: ref("text", "wormwideweb_like.json"), garbage: "www.json"},
	{adapter: "Flavell2023", path: local("wormwideweb_like.h5"), garbage: "www.h5"},
	{adapter: "Kato2015", path: ref("mat_v73", "kato2015_like_v73.mat"), garbage: "WT_Stim.mat"},
	{adapter: "Kato2015", path: local("kato_alt_fields.mat"), garbage: "WT_NoStim.mat"},
	{adapter: "Nichols2017", path: local("n2_let.mat"), garbage: "n2_let.mat"},
	{adapter: "Skora2018", path: local("WT_fasted.mat"), garbage: "WT_fasted.mat"},
	{adapter: "Kaplan2020", path: ref("mat_v73", "kaplan2020_like_v73.mat"), garbage: "Neuron2019_Data_RIShisCl.mat"},
	{adapter: "Uzel2022", path: local("Uzel_WT.mat"), garbage: "Uzel_WT.mat"},
	{adapter: "Dag2023", path: func(t *testing.T) string { return fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5") },
		garbage: "2022-07-26-31-data.h5"},
	{adapter: "Dag2023", path: local("2000-01-01-01-data.h5"), garbage: "2000-01-01-01-data.h5"},
	{adapter: "Nejatbakhsh2020", path: ref("nwb", "ophys_timestamps.nwb"), garbage: "x.nwb"},
	{adapter: "Nejatbakhsh2020", path: local("nejatbakhsh_4hz.nwb"), garbage: "x.nwb"},
	{adapter: "nwb", path: ref("nwb", "ophys_rate.nwb"), garbage: "x.nwb"},
	{adapter: "Venkatachalam2024", path: ref("text", "venkatachalam2024_like.zip"), garbage: "venk.zip"},
	{adapter: "suite2p", path: func(t *testing.T) string { return fixtures.Path(t, "pynapple") },
		opt: Options{SampleRate: 10}, garbage: "F.npy"},
	{adapter: "suite2p", path: local("session1", "suite2p"), garbage: "F.npy"},
	{adapter: "generic", path: local("traces.csv"), opt: Options{TimeColumn: "t"}, garbage: "g.csv"},
	{adapter: "generic", path: local("traces.tsv"), opt: Options{SampleRate: 4}, garbage: "g.tsv"},
	{adapter: "generic", path: local("traces.npy"), opt: Options{SampleRate: 2}, garbage: "g.npy"},
}

func TestConformanceCoversRegistry(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range conformanceCases {
		covered[c.adapter] = true
	}
	for _, a := range Adapters() {
		if !covered[a.Name] {
			t.Errorf("adapter %s has no conformance case", a.Name)
		}
		if a.Description == "" || a.Citation == "" || a.Match == nil || a.Read == nil {
			t.Errorf("adapter %s: empty Description, Citation, Match or Read", a.Name)
		}
	}
}

// sameRaw compares two reads bit for bit (NaN equal to NaN).
func sameRaw(a, b ingest.Raw) bool {
	if a.Dataset != b.Dataset || a.Worm != b.Worm || a.RawFile != b.RawFile ||
		strings.Join(a.Labels, "\x00") != strings.Join(b.Labels, "\x00") ||
		strings.Join(a.Notes, "\x00") != strings.Join(b.Notes, "\x00") || len(a.Time) != len(b.Time) {
		return false
	}
	for i := range a.Time {
		if math.Float64bits(a.Time[i]) != math.Float64bits(b.Time[i]) {
			return false
		}
	}
	ar, ac := a.Traces.Dims()
	br, bc := b.Traces.Dims()
	if ar != br || ac != bc {
		return false
	}
	for i := range ar {
		for j := range ac {
			if math.Float64bits(a.Traces.At(i, j)) != math.Float64bits(b.Traces.At(i, j)) {
				return false
			}
		}
	}
	return true
}

// TestConformance runs every adapter through the contract: Read output
// validates, names the dataset, is deterministic, Detect picks the adapter,
// and bad input gives a one-line error naming the file.
func TestConformance(t *testing.T) {
	for _, c := range conformanceCases {
		t.Run(c.adapter+"/"+filepath.Base(c.path(t)), func(t *testing.T) {
			path := c.path(t)
			a, err := Lookup(c.adapter)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", c.adapter, err)
			}
			first, err := a.Read(path, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(first) == 0 {
				t.Fatal("no recordings")
			}
			worms := map[string]bool{}
			for _, r := range first {
				if err := r.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
				if r.Dataset != a.Name {
					t.Errorf("Dataset %q, want %q", r.Dataset, a.Name)
				}
				if r.Worm == "" || worms[r.Worm] {
					t.Errorf("worm id %q empty or repeated", r.Worm)
				}
				worms[r.Worm] = true
				if r.RawFile == "" {
					t.Error("RawFile empty")
				}
				if len(r.Notes) == 0 {
					t.Error("no Notes")
				}
				if T, N := r.Traces.Dims(); T == 0 || N == 0 {
					t.Errorf("empty traces %d×%d", T, N)
				}
			}
			second, err := a.Read(path, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(second) != len(first) {
				t.Fatalf("second read: %d recordings, first %d", len(second), len(first))
			}
			for i := range first {
				if !sameRaw(first[i], second[i]) {
					t.Errorf("recording %d differs between two reads", i)
				}
			}
			got, err := Detect(path)
			if err != nil || got != a.Name {
				t.Errorf("Detect = %q, %v; want %q", got, err, a.Name)
			}

			dir := t.TempDir()
			garbage := filepath.Join(dir, c.garbage)
			junk := []byte("MATLAB 5.0 MAT-file\x00\x01\x02 this is not what it claims\n1 2\n3\n")
			if err := os.WriteFile(garbage, junk, 0o644); err != nil {
				t.Fatal(err)
			}
			if filepath.Base(garbage) == "F.npy" {
				garbage = dir // suite2p reads the folder
			}
			raws, err := a.Read(garbage, c.opt)
			if err == nil {
				t.Fatalf("garbage input read as %d recordings", len(raws))
			}
			wantErr(t, err, filepath.Base(garbage))
			_, err = a.Read(filepath.Join(dir, "absent", c.garbage), c.opt)
			wantErr(t, err, "absent")
		})
	}
}

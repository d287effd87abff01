package eventdata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/duckdbcheck"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type sums struct {
	n, on             int64
	t, x, y           int64
	first             [4]int64
	samples           map[int32]int64
	width, height, fm string
}

// readEvents reads an events Parquet file back and sums its columns.
func readEvents(t *testing.T, path string) (sums, table.Provenance) {
	t.Helper()
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if err := table.Validate(table.Events, rec); err != nil {
		t.Fatal(err)
	}
	s := sums{samples: map[int32]int64{}}
	smp := rec.Column(0).(*array.Int32).Int32Values()
	ts := rec.Column(1).(*array.Int64).Int64Values()
	xs := rec.Column(2).(*array.Uint16).Uint16Values()
	ys := rec.Column(3).(*array.Uint16).Uint16Values()
	ps := rec.Column(4).(*array.Int8).Int8Values()
	for i := range ts {
		s.n++
		s.t += ts[i]
		s.x += int64(xs[i])
		s.y += int64(ys[i])
		s.on += int64(ps[i])
		s.samples[smp[i]]++
	}
	if s.n > 0 {
		s.first = [4]int64{ts[0], int64(xs[0]), int64(ys[0]), int64(ps[0])}
	}
	md := pf.Metadata()
	s.width, _ = md.GetValue(table.MetaEventsWidth)
	s.height, _ = md.GetValue(table.MetaEventsHeight)
	s.fm, _ = md.GetValue(table.MetaEventsFormat)
	p, _, err := table.ParseProvenance(md)
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

// readEventsRaw returns the t column of an events file.
func readEventsRaw(t *testing.T, path string) ([]int64, error) {
	t.Helper()
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	return append([]int64(nil), rec.Column(1).(*array.Int64).Int64Values()...), nil
}

func fileSHA(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Each real fixture converts to a Parquet file holding exactly the events
// its SOURCE.md gives, with its geometry and its SHA-256 in the metadata.
func TestRealFilesToParquet(t *testing.T) {
	cases := []struct {
		path      []string
		source    string
		n, on     int64
		sumT      int64 // -1: not given by SOURCE.md
		first     [4]int64
		w, h, fmt string
	}{
		// expelliarmus/SOURCE.md: 539481 events, ON 367855, sum(t) 724340275912, first (1317888,237,121,1), 640×480.
		{[]string{"expelliarmus", "evt2_sample.raw"}, "auto", 539481, 367855, 724340275912, [4]int64{1317888, 237, 121, 1}, "640", "480", "evt2"},
		// expelliarmus/SOURCE.md: 219596 events, ON 115532, spec sum(t) 2574324900467, first (11718656,874,200,0), 1280×720.
		{[]string{"expelliarmus", "evt3_sample.raw"}, "evt3", 219596, 115532, 2574324900467, [4]int64{11718656, 874, 200, 0}, "1280", "720", "evt3"},
	}
	for _, c := range cases {
		t.Run(filepath.Join(c.path...), func(t *testing.T) {
			in := fixtures.Path(t, c.path...)
			out := filepath.Join(t.TempDir(), "events.parquet")
			res, err := ToFile([]ingest.Input{{Path: in, Source: c.source}}, out, Config{BatchEvents: 100000})
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Events != c.n || res[0].Source != c.fmt {
				t.Fatalf("result %+v", res[0])
			}
			s, prov := readEvents(t, out)
			if s.n != c.n || s.on != c.on || (c.sumT >= 0 && s.t != c.sumT) || s.first != c.first {
				t.Fatalf("read back n=%d on=%d sum(t)=%d first=%v", s.n, s.on, s.t, s.first)
			}
			if s.width != c.w || s.height != c.h || s.fm != c.fmt {
				t.Fatalf("geometry metadata %s×%s %s", s.width, s.height, s.fm)
			}
			if len(prov.Sources) != 1 || prov.Sources[0].SHA256 != fileSHA(t, in) || prov.Sources[0].Path != in {
				t.Fatalf("sources %+v", prov.Sources)
			}
		})
	}
}

// Other formats through auto-detection: counts from tonic/SOURCE.md
// (N-MNIST 4325, N-CARS 2009, AEDAT4 111954).
func TestAutoDetectCounts(t *testing.T) {
	cases := []struct {
		file   string
		source string
		n      int64
	}{
		{"sample_nmnist.bin", "nmnist", 4325},
		{"sample_ncars.dat", "dat", 2009},
		{"sample.aedat4", "aedat4", 111954},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			in := fixtures.Path(t, "tonic", c.file)
			out := filepath.Join(t.TempDir(), "e.parquet")
			res, err := ToFile([]ingest.Input{{Path: in}}, out, Config{})
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Source != c.source {
				t.Fatalf("detected %q want %q", res[0].Source, c.source)
			}
			s, _ := readEvents(t, out)
			if s.n != c.n {
				t.Fatalf("%d events, want %d", s.n, c.n)
			}
		})
	}
}

// A batch with a bad file in the middle: the bad file is reported, the good
// ones are written with their sample ids, nothing of the bad one is kept.
func TestBatchWithBadFile(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.raw")
	// An EVT2 header followed by a truncated word (3 bytes): the decoder must fail.
	os.WriteFile(bad, []byte("% evt 2.0\n% end\n\x01\x02\x03"), 0o644)
	inputs := []ingest.Input{{Path: nm, Source: "nmnist", Sample: 0}, {Path: bad, Source: "evt2", Sample: 1}, {Path: nm, Source: "nmnist", Sample: 2}}

	out := filepath.Join(dir, "all.parquet")
	res, err := ToFile(inputs, out, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), bad) {
		t.Fatalf("bad file result: %+v", res[1])
	}
	s, prov := readEvents(t, out)
	if s.n != 2*4325 || s.samples[0] != 4325 || s.samples[2] != 4325 || s.samples[1] != 0 {
		t.Fatalf("events %d by sample %v", s.n, s.samples)
	}
	// The two good inputs (the same file), hashed apart, are the sources.
	sf, err := table.HashFile(nm)
	if err != nil {
		t.Fatal(err)
	}
	if len(prov.Sources) != 2 || prov.Sources[0] != sf || prov.Sources[1] != sf {
		t.Fatalf("sources %v, want two of %v", prov.Sources, sf)
	}
	pf, err := table.OpenParquet(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := pf.Metadata().GetValue(table.MetaEventsSamples)
	pf.Close()
	var samples []table.EventsSample
	if err := json.Unmarshal([]byte(js), &samples); err != nil || len(samples) != 2 || samples[1].Sample != 2 ||
		samples[1].Events != 4325 || samples[0].Width != 34 || samples[0].Format != "nmnist" {
		t.Fatalf("events.samples metadata %s (%v)", js, err)
	}

	// Directory mode, two jobs: the bad file leaves no partition.
	inputs[2].Path = filepath.Join(dir, "copy.bin")
	b, _ := os.ReadFile(nm)
	os.WriteFile(inputs[2].Path, b, 0o644)
	outDir := filepath.Join(dir, "ds")
	var mu sync.Mutex
	var progress ingest.Progress
	res = ToDir(inputs, outDir, Config{Jobs: 2, Progress: func(p ingest.Progress) {
		mu.Lock()
		progress.Files += p.Files
		progress.Bytes += p.Bytes
		mu.Unlock()
	}})
	if res[1].Err == nil || res[0].Err != nil || res[2].Err != nil {
		t.Fatalf("results %v / %v / %v", res[0].Err, res[1].Err, res[2].Err)
	}
	// Every input is reported done; the good ones are read whole, the bad
	// one at most whole.
	if badSize := int64(len("% evt 2.0\n% end\n\x01\x02\x03")); progress.Files != 3 || progress.Bytes < 2*sf.Bytes || progress.Bytes > 2*sf.Bytes+badSize {
		t.Fatalf("progress %+v, want 3 files and %d to %d bytes", progress, 2*sf.Bytes, 2*sf.Bytes+badSize)
	}
	for _, i := range []int{0, 2} {
		s, _ := readEvents(t, res[i].Output)
		if s.n != 4325 {
			t.Fatalf("%s: %d events", res[i].Output, s.n)
		}
	}
	if _, err := os.Stat(filepath.Join(outDir, "recording=bad.raw")); !os.IsNotExist(err) {
		t.Fatalf("bad input left a partition: %v", err)
	}
}

func TestNothingConvertible(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.txt")
	os.WriteFile(p, []byte("hello"), 0o644)
	out := filepath.Join(dir, "o.parquet")
	res, err := ToFile([]ingest.Input{{Path: p}}, out, Config{})
	if err == nil || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "not a recognized event file") ||
		!errors.Is(err, neurotab.ErrUnsupported) || !errors.Is(res[0].Err, neurotab.ErrUnsupported) {
		t.Fatalf("err %v res %+v", err, res[0].Err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("output written for a failed conversion")
	}
}

// DuckDB reads the EVT3 conversion with the spec's sums (SOURCE.md).
func TestDuckDBReadsEvents(t *testing.T) {
	duckdbcheck.Require(t)
	in := fixtures.Path(t, "expelliarmus", "evt3_sample.raw")
	out := filepath.Join(t.TempDir(), "e.parquet")
	if _, err := ToFile([]ingest.Input{{Path: in, Source: "evt3"}}, out, Config{}); err != nil {
		t.Fatal(err)
	}
	res, err := duckdbcheck.Query(fmt.Sprintf("SELECT count(*)::VARCHAR n, sum(t)::VARCHAR st, sum(x)::VARCHAR sx, sum(y)::VARCHAR sy, max(x)::VARCHAR mx FROM '%s'", out))
	if err != nil {
		t.Fatal(err)
	}
	r := res[0][0]
	// expelliarmus/SOURCE.md: 219596 events, sum(t) 2574324900467, sum(x) 159113225, sum(y) 85638051, x max 1279.
	if r["n"] != "219596" || r["st"] != "2574324900467" || r["sx"] != "159113225" || r["sy"] != "85638051" || r["mx"] != "1279" {
		t.Fatalf("DuckDB: %v", r)
	}
}

// TestEmptyInputs: an input with no events is an error naming the file and
// the flag, and nothing is written; with AllowEmpty it is an empty table
// with a note.
func TestEmptyInputs(t *testing.T) {
	cases := []struct{ name, source, body string }{
		{"empty evt2", "evt2", ""},
		{"evt3 header only", "evt3", "% evt 3.0\n% end\n"},
		{"empty nmnist", "nmnist", ""},
		{"csv header only", "csv-events", "t,x,y,p\n"},
		{"dat header only", "dat", "% Height 240\n% Width 304\n\x0c\x08"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			os.WriteFile(in, []byte(c.body), 0o644)
			out := filepath.Join(dir, "o.parquet")
			cm, _ := ParseColumnMap("", "us")
			cfg := Config{Options: Options{Columns: cm}}
			res, err := ToFile([]ingest.Input{{Path: in, Source: c.source}}, out, cfg)
			if err == nil || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), in+": ") ||
				!strings.Contains(res[0].Err.Error(), "--allow-empty") {
				t.Fatalf("err %v, result %v: want an error naming the file and --allow-empty", err, res[0].Err)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("an empty input left %s", out)
			}
			cfg.AllowEmpty = true
			res, err = ToFile([]ingest.Input{{Path: in, Source: c.source}}, out, cfg)
			if err != nil {
				t.Fatalf("AllowEmpty: %v", err)
			}
			s, _ := readEvents(t, out)
			if s.n != 0 || len(res[0].Notes) != 1 || !strings.Contains(res[0].Notes[0], "no events") {
				t.Fatalf("%d events, notes %q", s.n, res[0].Notes)
			}
		})
	}
}

// TestExplicitEVTVersion: --source evt2 on an EVT3 file (and the reverse) is
// an error naming the header's version, not a silent decode by the header.
func TestExplicitEVTVersion(t *testing.T) {
	for _, c := range []struct{ source, file, want string }{
		{"evt2", "evt3_sample.raw", "header says evt3, not evt2"},
		{"evt3", "evt2_sample.raw", "header says evt2, not evt3"},
	} {
		path := fixtures.Path(t, "expelliarmus", c.file)
		out := filepath.Join(t.TempDir(), "o.parquet")
		res, err := ToFile([]ingest.Input{{Path: path, Source: c.source}}, out, Config{})
		if err == nil || !errors.Is(res[0].Err, neurotab.ErrMalformed) || !strings.Contains(res[0].Err.Error(), c.want) ||
			!strings.Contains(res[0].Err.Error(), "--source auto") {
			t.Fatalf("--source %s on %s: %v", c.source, c.file, res[0].Err)
		}
	}
}

// The events table says what t counts from (events.time_base), per table and
// per sample: the sensor's clock for EVT, the Unix epoch for AEDAT 4, the
// sample's start for N-MNIST.
func TestTimeBase(t *testing.T) {
	for _, c := range []struct{ dir, file, source, want string }{
		{"expelliarmus", "evt2_sample.raw", "evt2", "device"},
		{"tonic", "sample.aedat4", "aedat4", "unix"},
		{"tonic", "sample_nmnist.bin", "nmnist", "sample"},
	} {
		out := filepath.Join(t.TempDir(), "o.parquet")
		if _, err := ToFile([]ingest.Input{{Path: fixtures.Path(t, c.dir, c.file), Source: c.source}}, out, Config{}); err != nil {
			t.Fatal(err)
		}
		pf, err := table.OpenParquet(out, nil)
		if err != nil {
			t.Fatal(err)
		}
		md := pf.Metadata()
		tb, _ := md.GetValue(table.MetaEventsTimeBase)
		js, _ := md.GetValue(table.MetaEventsSamples)
		pf.Close()
		if tb != c.want || !strings.Contains(js, `"time_base":"`+c.want+`"`) {
			t.Errorf("%s: time base %q, samples %s; want %q", c.file, tb, js, c.want)
		}
	}
}

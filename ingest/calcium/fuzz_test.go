package calcium

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/ingest"
)

// FuzzOpsFrameRate feeds arbitrary bytes to the ops.npy scanner: it must
// return a value or an error, never panic or read out of bounds.
func FuzzOpsFrameRate(f *testing.F) {
	for _, p := range []string{"plane0", "plane1"} {
		b, err := os.ReadFile(filepath.Join("testdata", "session1", "suite2p", p, "ops.npy"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '|O'}\x80\x03X\x02\x00\x00\x00fsq"))
	f.Add([]byte("\x93NUMPY\x02\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "ops.npy")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		opsFrameRate(p)
	})
}

// checkFuzzRead fails unless a reader's outcome is recordings that
// validate or an error on one line, naming file, wrapping one of the shared
// sentinels a damaged text input may give.
func checkFuzzRead(t *testing.T, raws []ingest.Raw, err error, file string) {
	t.Helper()
	if err == nil {
		for _, r := range raws {
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, file) {
		t.Fatalf("error %q: want one line naming %s", msg, file)
	}
	for _, s := range []error{neurotab.ErrMalformed, neurotab.ErrTooLarge, neurotab.ErrNotFound, neurotab.ErrNotFinite, neurotab.ErrShape} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error %q wraps no shared sentinel", msg)
}

// FuzzLeifer2023 writes arbitrary gcamp/labels/time text for worm 0: Read
// must return recordings that validate, or an error naming a file.
func FuzzLeifer2023(f *testing.F) {
	f.Add("1 2\n3 nan\n", "AVAL\n\n", "0\n0.5\n")
	f.Add("1e-3 -2\n", "a\nb\nc\n", "0\n")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, gcamp, labels, times string) {
		dir := t.TempDir()
		for name, body := range map[string]string{"0_gcamp.txt": gcamp, "0_labels.txt": labels, "0_t.txt": times} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		raws, err := ReadLeifer2023(dir, Options{})
		checkFuzzRead(t, raws, err, "0_")
	})
}

// FuzzVenkatachalam2024 reads an arbitrary CSV inside a zip.
func FuzzVenkatachalam2024(f *testing.F) {
	f.Add("worm,neuron,0,1,2\nw1,AVAL,,1,2\nw2,AVAR,,,3\n")
	f.Add("neuron,0,1\n\"AVAL\",1,nan\n")
	f.Add("\ufeffneuron,1,0\nAVAL,1\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "v.zip")
		writeZip(t, p, map[string]string{"v.csv": body})
		raws, err := ReadVenkatachalam2024(p, Options{})
		checkFuzzRead(t, raws, err, "v.zip")
	})
}

// FuzzGenericCSV reads arbitrary CSV text with a time column.
func FuzzGenericCSV(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "traces.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("t,a\n1,\n2,3\n")
	f.Add("\ufefft,\"a,b\"\n0,1\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "x.csv")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		raws, err := ReadGeneric(p, Options{TimeColumn: "t"})
		checkFuzzRead(t, raws, err, "x.csv")
	})
}

// FuzzFlavell2023 reads arbitrary JSON.
func FuzzFlavell2023(f *testing.F) {
	f.Add(`{"uid":"u","timestamp_confocal":[0,1],"trace_array":[[1,2],[3,null]],"labeled":{"2":{"label":"AVAL"}}}`)
	f.Add(`{"timestamp_confocal":[0],"trace_array":[[]]}`)
	f.Add(`{"trace_array":[],"timestamp_confocal":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "w.json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		raws, err := ReadFlavell2023(p, Options{})
		checkFuzzRead(t, raws, err, "w.json")
	})
}

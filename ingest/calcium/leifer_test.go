package calcium

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
)

// TestLeifer2023 checks the reference-made Leifer export against the
// manifest entries of 0_gcamp.txt, 0_labels.txt and 0_t.txt.
func TestLeifer2023(t *testing.T) {
	for _, p := range []func(*testing.T) string{ref("text", "leifer2023_like"), ref("text", "leifer2023_like", "0_labels.txt")} {
		path := p(t)
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := readOne(t, ReadLeifer2023, path, Options{})
			if r.Worm != "0" || r.Dataset != "Leifer2023" || filepath.Base(r.RawFile) != "0_gcamp.txt" {
				t.Errorf("%s %s %s", r.Dataset, r.Worm, r.RawFile)
			}
			g := manifestEntry(t, "text/leifer2023_like/0_gcamp.txt")
			l := manifestEntry(t, "text/leifer2023_like/0_labels.txt")
			tm := manifestEntry(t, "text/leifer2023_like/0_t.txt")

			var labels []string
			for _, s := range dig(t, l, "lines").([]any) {
				labels = append(labels, s.(string))
			}
			// manifest lines: AVAL '' AVAR AWB merge RMDDL IL2?L SMDVR DA01, kept as written.
			wantLabels(t, r.Labels, labels)
			shape := nums(t, dig(t, g, "shape")) // [40, 9], rows are time
			T, N := int(shape[0]), int(shape[1])
			wantShape(t, r, T, N)
			times := nums(t, dig(t, tm, "data", "values"))
			for i := range times {
				if r.Time[i] != times[i] {
					t.Fatalf("time[%d] = %v, want %v", i, r.Time[i], times[i])
				}
			}
			// samples are [row-major flat index, value].
			for _, s := range dig(t, g, "data", "samples").([]any) {
				i, v := int(num(t, dig(t, s, 0))), num(t, dig(t, s, 1))
				if got := r.Traces.At(i/N, i%N); !same(got, v) {
					t.Errorf("gcamp[%d] = %v, want %v", i, got, v)
				}
			}
			s := summarize(r)
			d := dig(t, g, "data")
			if want := num(t, dig(t, d, "sum")); !near(s.sum, want, 1e-6*want) {
				t.Errorf("sum %v, want %v", s.sum, want)
			}
			if want := int(num(t, dig(t, d, "nan_count"))); s.nans != want { // 43
				t.Errorf("%d NaN, want %d", s.nans, want)
			}
			if s.min != num(t, dig(t, d, "min")) || s.max != num(t, dig(t, d, "max")) {
				t.Errorf("min %v max %v", s.min, s.max)
			}
			// manifest all_nan_columns: [4] — kept and noted.
			if !hasNote(r, "NaN throughout, kept (0-based columns): [4]") {
				t.Errorf("notes %q", r.Notes)
			}
		})
	}
}

// writeLeifer writes worm 3's three files into dir.
func writeLeifer(t *testing.T, dir, gcamp, labels, times string) {
	t.Helper()
	for name, body := range map[string]string{"3_gcamp.txt": gcamp, "3_labels.txt": labels, "3_t.txt": times} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLeifer2023BadInput(t *testing.T) {
	row := func(n int) string { return strings.TrimSpace(strings.Repeat("1.5 ", n)) + "\n" }
	lines := func(n int, s string) string { return strings.Repeat(s+"\n", n) }
	cases := []struct {
		name                 string
		gcamp, labels, times string
		want                 []string
	}{
		{"more labels than traces", lines(3, row(10)), lines(12, "AVAL"), lines(3, "0.1"),
			[]string{"3_labels.txt", "labels name 12 neurons for 10 traces"}},
		{"fewer labels than traces", lines(3, row(10)), lines(9, "AVAL"), lines(3, "0.1"),
			[]string{"3_labels.txt", "labels name 9 neurons for 10 traces"}},
		{"fewer times than samples", lines(6, row(2)), "AVAL\n\n", "0\n1\n2\n3\n4\n",
			[]string{"3_t.txt", "5 times for 6 samples"}},
		// line 2 has a third value where line 1 ended: column 3.
		{"ragged rows", row(2) + row(3), "a\nb\n", "0\n1\n",
			[]string{"3_gcamp.txt:2:3: ", "3 values, earlier lines have 2"}},
		{"not a number", "\n1 x\n", "a\nb\n", "0\n",
			[]string{"3_gcamp.txt:2:2: ", `"x" is not a number`}},
		{"time not a number", "1\n", "a\n", "0.5s\n",
			[]string{"3_t.txt:1:1: ", `"0.5s" is not a number`}},
		{"no samples", "\n", "a\n", "\n", []string{"3_gcamp.txt", "no samples"}},
		{"time goes back", lines(3, row(1)), "a\n", "0\n2\n1\n", []string{"3_gcamp.txt", "time does not increase"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeLeifer(t, dir, c.gcamp, c.labels, c.times)
			_, err := ReadLeifer2023(dir, Options{})
			wantErr(t, err, c.want...)
			if !errors.Is(err, neurotab.ErrMalformed) {
				t.Errorf("%v does not wrap ErrMalformed", err)
			}
		})
	}
	t.Run("line too long", func(t *testing.T) {
		dir := t.TempDir()
		writeLeifer(t, dir, "1\n"+strings.Repeat("1 ", csvtab.MaxLine/2+1)+"\n", "a\n", "0\n1\n")
		_, err := ReadLeifer2023(dir, Options{})
		wantErr(t, err, "3_gcamp.txt:2: ", "line longer than")
		if !errors.Is(err, neurotab.ErrTooLarge) {
			t.Errorf("%v does not wrap ErrTooLarge", err)
		}
	})
	t.Run("missing time file", func(t *testing.T) {
		dir := t.TempDir()
		writeLeifer(t, dir, "1\n", "a\n", "0\n")
		os.Remove(filepath.Join(dir, "3_t.txt"))
		_, err := ReadLeifer2023(filepath.Join(dir, "3_gcamp.txt"), Options{})
		wantErr(t, err, "3_t.txt")
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v does not wrap fs.ErrNotExist", err)
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		_, err := ReadLeifer2023(t.TempDir(), Options{})
		wantErr(t, err, "no {i}_gcamp.txt files")
	})
}

func TestLeiferLabelsKeepBlankLines(t *testing.T) {
	dir := t.TempDir()
	// Two traces, the second unidentified: the labels file is "AVAL\n\n".
	writeLeifer(t, dir, "1 2\n3 4\n", "AVAL\n\n", "0\n0.5\n")
	r := readOne(t, ReadLeifer2023, dir, Options{})
	wantLabels(t, r.Labels, []string{"AVAL", ""})
	if r.Traces.At(1, 0) != 3 || r.Time[1] != 0.5 {
		t.Errorf("traces/time %v %v", r.Traces.At(1, 0), r.Time)
	}
}

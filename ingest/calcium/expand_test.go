package calcium

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// A folder expands to the files the source reads, sorted; a folder-based
// source keeps its folder; a folder with nothing the source reads is a
// one-line error naming the folder and the source.
func TestExpand(t *testing.T) {
	dir := t.TempDir()
	kato := fixtures.CopyTo(t, dir, "b_kato.mat", "reference-made", "mat_v73", "kato2015_like_v73.mat")
	kaplan := fixtures.CopyTo(t, dir, "c_kaplan.mat", "reference-made", "mat_v73", "kaplan2020_like_v73.mat")
	yemini := fixtures.CopyTo(t, dir, "a_yemini.mat", "reference-made", "mat_v5", "yemini2021_like.mat")
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("lab notes"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755) // folders inside are not entered
	single := ref("mat_v5", "lin2023_like.mat")(t)
	s2p := local("session1", "suite2p")(t)

	cases := []struct {
		source string
		paths  []string
		want   []string
	}{
		{"Kato2015", []string{dir}, []string{kato}},
		{"kato2015", []string{dir, single}, []string{kato, single}}, // files pass through
		{"auto", []string{dir}, []string{yemini, kato, kaplan}},
		{"suite2p", []string{s2p}, []string{s2p}},
		{"auto", []string{s2p}, []string{s2p}},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			got, err := Expand(c.source, c.paths)
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("Expand(%s) = %v, %v; want %v", c.source, got, err, c.want)
			}
		})
	}

	_, err := Expand("Dag2023", []string{dir})
	wantErr(t, err, dir, "no input", "Dag2023")
	if !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("error %v does not wrap ErrNotFound", err)
	}
	_, err = Expand("Dag2032", []string{dir})
	wantErr(t, err, `did you mean "Dag2023"`)
}

package calcium

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLookup(t *testing.T) {
	want := []string{"Yemini2021", "Lin2023", "Leifer2023", "Flavell2023", "Venkatachalam2024", "suite2p", "generic"}
	got := Names()
	wantLabels(t, got, want)
	for _, name := range want {
		a, ok := Lookup(name)
		if !ok || a.Name != name {
			t.Errorf("Lookup(%q) = %q, %v", name, a.Name, ok)
		}
	}
	if a, ok := Lookup("leifer2023"); !ok || a.Name != "Leifer2023" {
		t.Errorf("Lookup is not case-insensitive: %q %v", a.Name, ok)
	}
	if _, ok := Lookup("Kato2015"); ok {
		t.Error("Lookup found an adapter that is not implemented yet")
	}
	// Adapters returns a fresh slice: changing it leaves the registry alone.
	as := Adapters()
	as[0].Name = "changed"
	if Adapters()[0].Name != "Yemini2021" {
		t.Error("Adapters shares its slice")
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		path func(t *testing.T) string
		want string
	}{
		{ref("mat_v5", "yemini2021_like.mat"), "Yemini2021"},
		{ref("mat_v5", "lin2023_like_compressed.mat"), "Lin2023"},
		{ref("text", "leifer2023_like"), "Leifer2023"},
		{ref("text", "leifer2023_like", "0_t.txt"), "Leifer2023"},
		{ref("text", "wormwideweb_like.json"), "Flavell2023"},
		{ref("text", "venkatachalam2024_like.zip"), "Venkatachalam2024"},
		{local("session1", "suite2p"), "suite2p"},
		{local("session1", "suite2p", "plane0"), "suite2p"},
		{local("session1", "suite2p", "plane0", "F.npy"), "suite2p"},
		{local("traces.npy"), "generic"},
		{local("traces.tsv"), "generic"},
		{local("lin_bad_times.mat"), "Lin2023"},
	}
	for _, c := range cases {
		p := c.path(t)
		t.Run(filepath.Base(p), func(t *testing.T) {
			got, err := Detect(p)
			if err != nil || got != c.want {
				t.Errorf("Detect(%s) = %q, %v; want %q", p, got, err, c.want)
			}
		})
	}
	for _, p := range []func(*testing.T) string{ref("mat_v5", "v5_types.mat"), ref("mat_v73", "kato2015_like_v73.mat"),
		local("gen.py"), func(t *testing.T) string { return t.TempDir() }} {
		path := p(t)
		t.Run("unknown "+filepath.Base(path), func(t *testing.T) {
			got, err := Detect(path)
			wantErr(t, err, filepath.Base(path), "no calcium adapter recognizes")
			if got != "" {
				t.Errorf("Detect = %q", got)
			}
		})
	}
	_, err := Detect(filepath.Join(t.TempDir(), "absent.mat"))
	wantErr(t, err, "absent.mat")
}

func TestErrorFormat(t *testing.T) {
	cause := errors.New("mat: x.mat: offset 8: bad")
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "x.mat", Field: `variable "norm_traces"`, Msg: "missing"}, `x.mat: variable "norm_traces": missing`},
		{&Error{File: "3_t.txt", Msg: "900 times for 901 samples"}, "3_t.txt: 900 times for 901 samples"},
		{&Error{File: "x.mat", Field: `variable "fps"`, Err: cause}, `x.mat: variable "fps": offset 8: bad`},
		{&Error{File: "a.csv", Msg: "two\nlines"}, "a.csv: two lines"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
	if !errors.Is(&Error{File: "x", Err: os.ErrNotExist}, os.ErrNotExist) {
		t.Error("Error does not unwrap")
	}
}

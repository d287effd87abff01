package calcium

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/mat"
	"github.com/neurotab/neurotab/internal/fixtures"
	reg "github.com/neurotab/neurotab/internal/registry"
)

func TestLookup(t *testing.T) {
	want := []string{"Yemini2021", "Lin2023", "Kato2015", "Nichols2017", "Skora2018", "Kaplan2020", "Uzel2022",
		"Leifer2023", "Flavell2023", "Dag2023", "Nejatbakhsh2020", "Venkatachalam2024", "nwb", "suite2p", "generic"}
	got := Names()
	wantLabels(t, got, want)
	for _, name := range want {
		a, err := Lookup(name)
		if err != nil || a.Name != name {
			t.Errorf("Lookup(%q) = %q, %v", name, a.Name, err)
		}
	}
	if a, err := Lookup("leifer2023"); err != nil || a.Name != "Leifer2023" {
		t.Errorf("Lookup is not case-insensitive: %q %v", a.Name, err)
	}
	for _, c := range []struct{ name, short string }{
		{"Zimmer2013", `unknown source "Zimmer2013"`},
		{"Dag2032", `unknown source "Dag2032" (did you mean "Dag2023"?)`},
		{"suite2q", `unknown source "suite2q" (did you mean "suite2p"?)`},
	} {
		_, err := Lookup(c.name)
		var ue *reg.UnknownError
		if !errors.As(err, &ue) || ue.Short() != c.short || !errors.Is(err, neurotab.ErrNotFound) {
			t.Errorf("Lookup(%q): %v; want %s", c.name, err, c.short)
		}
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
		{ref("mat_v73", "kato2015_like_v73.mat"), "Kato2015"},     // struct WT_Stim
		{ref("mat_v73", "kaplan2020_like_v73.mat"), "Kaplan2020"}, // struct RIShisCl_Neuron2019
		{local("kato_alt_fields.mat"), "Kato2015"},                // struct WT_NoStim
		{local("n2_let.mat"), "Nichols2017"},
		{local("WT_fasted.mat"), "Skora2018"},
		{local("Uzel_WT.mat"), "Uzel2022"},
		{local("wormwideweb_like.h5"), "Flavell2023"},
		{local("2000-01-01-01-data.h5"), "Dag2023"},
		{func(t *testing.T) string { return fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5") }, "Dag2023"},
		{ref("nwb", "ophys_timestamps.nwb"), "Nejatbakhsh2020"},
		{local("nejatbakhsh_4hz.nwb"), "Nejatbakhsh2020"},
		{ref("nwb", "ophys_rate.nwb"), "nwb"},
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
	for _, p := range []func(*testing.T) string{ref("mat_v5", "v5_types.mat"), ref("mat_v73", "v73_types.mat"),
		ref("hdf5", "generic_latest.h5"), ref("shd", "shd_like.h5"),
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
	cause := &mat.Error{File: "x.mat", Offset: 8, Inner: -1, Err: fmt.Errorf("bad: %w", neurotab.ErrMalformed)}
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "x.mat", Path: `variable "norm_traces"`, Msg: "missing"}, `x.mat: variable "norm_traces": missing`},
		{&Error{File: "3_t.txt", Msg: "900 times for 901 samples"}, "3_t.txt: 900 times for 901 samples"},
		{&Error{File: "x.mat", Path: `variable "fps"`, Err: cause}, `x.mat: variable "fps": offset 8: bad: malformed input`},
		{&Error{File: "a.csv", Msg: "two\nlines"}, "a.csv: two lines"},
		// A sentinel classifies; it is printed only when nothing else says what is wrong.
		{&Error{File: "x.mat", Path: `variable "fps"`, Msg: "missing", Err: neurotab.ErrNotFound}, `x.mat: variable "fps": missing`},
		{&Error{File: "x.mat", Err: neurotab.ErrMalformed}, `x.mat: malformed input`},
		{&Error{File: "x.mat", Msg: "open", Err: os.ErrNotExist}, `x.mat: open: file does not exist`},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
	if !errors.Is(&Error{File: "x", Err: os.ErrNotExist}, os.ErrNotExist) {
		t.Error("Error does not unwrap")
	}
	if err := errf("x.mat", "", "bad"); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("errf: %v does not wrap ErrMalformed", err)
	}
	if err := missingf("x.mat", "", "missing"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("missingf: %v does not wrap ErrNotFound", err)
	}
	// Real files: a variable another layout has is not found; a time vector
	// that disagrees with the traces is malformed.
	_, err := ReadLin2023(ref("mat_v5", "yemini2021_like.mat")(t), Options{})
	if !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("missing variable: %v does not wrap ErrNotFound", err)
	}
	_, err = ReadLin2023(local("lin_bad_times.mat")(t), Options{})
	if !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("bad times: %v does not wrap ErrMalformed", err)
	}
}

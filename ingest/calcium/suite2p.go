package calcium

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

// DefaultNeuropilCoef is suite2p's neuropil coefficient: the default trace
// is F − 0.7·Fneu.
const DefaultNeuropilCoef = 0.7

var planeDir = regexp.MustCompile(`^plane\d+$`)

func suite2p() Adapter {
	return Adapter{
		Name: "suite2p",
		Description: "suite2p output folder (F.npy, Fneu.npy, spks.npy, iscell.npy, ops.npy): cells only " +
			"(iscell[:,0] > 0), F − 0.7·Fneu by default, frame rate from ops.npy fs or --sample-rate; " +
			"a suite2p folder with plane* sub-folders gives one recording per plane",
		Citation: "Pachitariu M, Stringer C, Dipoppa M, Schröder S, Rossi LF, Dalgleish H, Carandini M, " +
			"Harris KD (2017) Suite2p: beyond 10,000 neurons with standard two-photon microscopy. bioRxiv " +
			"061507. doi:10.1101/061507",
		Match: func(path string, head []byte) bool {
			dir := path
			if head != nil {
				if filepath.Base(path) != "F.npy" {
					return false
				}
				dir = filepath.Dir(path)
			}
			if isSuite2pPlane(dir) {
				return true
			}
			return head == nil && len(suite2pPlanes(dir)) > 0
		},
		Read: ReadSuite2p,
	}
}

func isSuite2pPlane(dir string) bool {
	for _, f := range []string{"F.npy", "iscell.npy"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// suite2pPlanes lists dir's plane* sub-folders that hold suite2p output.
func suite2pPlanes(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && planeDir.MatchString(e.Name()) && isSuite2pPlane(filepath.Join(dir, e.Name())) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// suite2pWorm names a plane folder: the session folder above suite2p/, plus
// the plane ("session_plane0"), or the folder's own name.
func suite2pWorm(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	base := filepath.Base(abs)
	if !planeDir.MatchString(base) {
		return base
	}
	parent := filepath.Dir(abs)
	if filepath.Base(parent) == "suite2p" {
		parent = filepath.Dir(parent)
	}
	if p := filepath.Base(parent); p != "/" && p != "." {
		return p + "_" + base
	}
	return base
}

// ReadSuite2p reads suite2p output (Pachitariu et al. 2017,
// doi:10.1101/061507). path is a plane folder holding F.npy, Fneu.npy,
// spks.npy and iscell.npy (or the F.npy inside it), or a suite2p folder with
// plane0, plane1, … sub-folders (one recording per plane).
//
// F, Fneu and spks are ROI × frame; iscell is ROI × 2 (flag, probability).
// Only cells (iscell[:,0] > 0) are kept, in ROI order. The trace is chosen
// by opt.Signal: by default the neuropil-corrected F − c·Fneu with
// c = opt.NeuropilCoef (0 → DefaultNeuropilCoef = 0.7, suite2p's own
// coefficient), or "F", or "spks". Labels are "" (ROI ids are kept in
// Notes). Sample i is at i/fs seconds, fs from ops.npy (a pickled dict read
// by opsFrameRate) and otherwise from opt.SampleRate; with neither it is an
// error.
func ReadSuite2p(path string, opt Options) ([]ingest.Raw, error) {
	dir := path
	if !isDir(path) {
		if filepath.Base(path) != "F.npy" {
			return nil, errf(path, "", "not a suite2p folder or its F.npy")
		}
		dir = filepath.Dir(path)
	}
	planes := []string{dir}
	if !isSuite2pPlane(dir) {
		planes = suite2pPlanes(dir)
		if len(planes) == 0 {
			return nil, errf(path, "", "no F.npy and iscell.npy here or in plane* sub-folders")
		}
	}
	raws := make([]ingest.Raw, 0, len(planes))
	for _, p := range planes {
		r, err := readSuite2pPlane(p, opt)
		if err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	return finish(raws)
}

// roiMatrix reads an ROI × frame .npy file.
func roiMatrix(path string) ([]float64, int, int, error) {
	a, err := npy.Open(path)
	if err != nil {
		return nil, 0, 0, wrap(path, "", err)
	}
	if len(a.Shape) != 2 {
		return nil, 0, 0, errf(path, "shape", "%v, want ROIs × frames", a.Shape)
	}
	if len(a.Dtype) < 2 || (a.Dtype[1] != 'f' && a.Dtype[1] != 'i' && a.Dtype[1] != 'u') {
		return nil, 0, 0, errf(path, "dtype", "%s, want a number type", a.Dtype)
	}
	return a.Float64s(), a.Shape[0], a.Shape[1], nil
}

func readSuite2pPlane(dir string, opt Options) (ingest.Raw, error) {
	fPath := filepath.Join(dir, "F.npy")
	cellPath := filepath.Join(dir, "iscell.npy")
	ic, err := npy.Open(cellPath)
	if err != nil {
		return ingest.Raw{}, wrap(cellPath, "", err)
	}
	if len(ic.Shape) < 1 || len(ic.Shape) > 2 || ic.Shape[0] == 0 {
		return ingest.Raw{}, errf(cellPath, "shape", "%v, want ROIs × 2", ic.Shape)
	}
	flagsAll := ic.Float64s()
	R := ic.Shape[0]
	stride := 1
	if len(ic.Shape) == 2 {
		stride = ic.Shape[1]
	}
	var cells []int
	for r := range R {
		if flagsAll[r*stride] > 0 {
			cells = append(cells, r)
		}
	}
	if len(cells) == 0 {
		return ingest.Raw{}, errf(cellPath, "", "no ROI is a cell (iscell[:,0] > 0)")
	}

	signal := opt.Signal
	coef := opt.NeuropilCoef
	if coef == 0 {
		coef = DefaultNeuropilCoef
	}
	var data []float64
	var T int
	var how string
	load := func(name string) ([]float64, error) {
		p := filepath.Join(dir, name)
		x, r, t, err := roiMatrix(p)
		if err != nil {
			return nil, err
		}
		if r != R {
			return nil, errf(p, "shape", "%d ROIs, iscell.npy has %d", r, R)
		}
		if T != 0 && t != T {
			return nil, errf(p, "shape", "%d frames, F.npy has %d", t, T)
		}
		T = t
		return x, nil
	}
	switch strings.ToLower(signal) {
	case "", "neuropil-corrected":
		f, err := load("F.npy")
		if err != nil {
			return ingest.Raw{}, err
		}
		fneu, err := load("Fneu.npy")
		if err != nil {
			return ingest.Raw{}, err
		}
		data = f
		for i := range data {
			data[i] -= coef * fneu[i]
		}
		how = fmt.Sprintf("trace = F − %g·Fneu (neuropil-corrected; suite2p's default coefficient is 0.7)", coef)
	case "f":
		if data, err = load("F.npy"); err != nil {
			return ingest.Raw{}, err
		}
		how = "trace = F (raw fluorescence, no neuropil correction)"
	case "spks":
		if data, err = load("spks.npy"); err != nil {
			return ingest.Raw{}, err
		}
		how = "trace = spks (suite2p deconvolved activity)"
	default:
		return ingest.Raw{}, errf(fPath, "", "unknown suite2p signal %q (want neuropil-corrected, F or spks)", signal)
	}
	if T == 0 {
		return ingest.Raw{}, errf(fPath, "shape", "no frames")
	}

	opsPath := filepath.Join(dir, "ops.npy")
	fs, opsErr := opsFrameRate(opsPath)
	var rateNote string
	switch {
	case opsErr == nil && fs > 0 && !math.IsInf(fs, 0):
		rateNote = fmt.Sprintf("frame rate %g Hz from ops.npy fs", fs)
		if opt.SampleRate > 0 && opt.SampleRate != fs {
			rateNote += fmt.Sprintf(" (Options.SampleRate %g Hz not used)", opt.SampleRate)
		}
	case opt.SampleRate > 0 && !math.IsInf(opt.SampleRate, 0):
		why := "absent"
		if opsErr == nil {
			why = fmt.Sprintf("has fs = %g", fs)
		} else if !os.IsNotExist(opsErr) {
			why = "unreadable: " + opsErr.Error()
		}
		fs = opt.SampleRate
		rateNote = fmt.Sprintf("frame rate %g Hz from Options.SampleRate (ops.npy %s)", opt.SampleRate, why)
	default:
		why := "absent"
		if opsErr == nil {
			why = fmt.Sprintf("has fs = %g", fs)
		} else if !os.IsNotExist(opsErr) {
			why = "unreadable: " + opsErr.Error()
		}
		return ingest.Raw{}, errf(opsPath, `key "fs"`, "frame rate unknown (ops.npy %s); set the sample rate", why)
	}

	dense := mat.NewDense(T, len(cells), nil)
	for c, r := range cells {
		row := data[r*T : (r+1)*T]
		for t, v := range row {
			dense.Set(t, c, v)
		}
	}
	tm := make([]float64, T)
	for t := range T {
		tm[t] = float64(t) / fs
	}
	return ingest.Raw{
		Dataset: "suite2p",
		Worm:    suite2pWorm(dir),
		RawFile: fPath,
		Labels:  make([]string, len(cells)),
		Time:    tm,
		Traces:  dense,
		Notes: []string{
			how,
			fmt.Sprintf("cells only (iscell[:,0] > 0): %d of %d ROIs; 0-based ROI ids %v", len(cells), R, cells),
			rateNote + "; time = frame/fs",
			"labels empty (unlabeled ROIs)",
		},
	}, nil
}

package npy

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// The suite2p plane0 outputs copied from pynapple's test data. Every
// expected number below is quoted from ../shared/data/pynapple/SOURCE.md
// (computed there with numpy).

func openSuite2p(t *testing.T, name string) *Array {
	t.Helper()
	a, err := Open(fixtures.Path(t, "pynapple", name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func checkHeader(t *testing.T, a *Array, dtype string, shape ...int) {
	t.Helper()
	// SOURCE.md: NPY v1.0, C order, little-endian.
	if a.Major != 1 || a.Minor != 0 || a.FortranOrder || a.Dtype != dtype || len(a.Shape) != len(shape) {
		t.Fatalf("header v%d.%d fortran=%v %s %v, want v1.0 C %s %v", a.Major, a.Minor, a.FortranOrder, a.Dtype, a.Shape, dtype, shape)
	}
	for i := range shape {
		if a.Shape[i] != shape[i] {
			t.Fatalf("shape %v, want %v", a.Shape, shape)
		}
	}
}

func sum(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x)
	}
	return s
}

// near compares sums of 438,000 float32 values: numpy's pairwise float64 sum
// and our sequential one differ by rounding only (relative 1e-12).
func near(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Abs(want) }

func TestSuite2p(t *testing.T) {
	const nROI, nT = 219, 2000
	t.Run("F", func(t *testing.T) {
		a := openSuite2p(t, "F.npy")
		checkHeader(t, a, "<f4", nROI, nT)
		f := a.Float32s()
		if s := sum(f); !near(s, 11763546.973597638) {
			t.Errorf("sum %v, want 11763546.973597638", s)
		}
		lo, hi, zeros, zeroRows := float32(math.Inf(1)), float32(math.Inf(-1)), 0, 0
		for r := range nROI {
			allZero := true
			for _, x := range f[r*nT : (r+1)*nT] {
				lo, hi = min(lo, x), max(hi, x)
				if x == 0 {
					zeros++
				} else {
					allZero = false
				}
			}
			if allZero {
				zeroRows++
			}
		}
		if lo != -35.15576934814453 || hi != 253.57254028320312 {
			t.Errorf("min %v max %v, want -35.15576934814453 253.57254028320312", lo, hi)
		}
		// 47 all-zero ROI rows; 36.2 % zeros (rounded to 0.1 %).
		if pct := math.Round(1000*float64(zeros)/float64(nROI*nT)) / 10; zeroRows != 47 || pct != 36.2 {
			t.Errorf("%d zero rows, %.1f %% zeros; want 47, 36.2 %%", zeroRows, pct)
		}
		want := []float32{150.8924102783203, 150.53810119628906, 149.82888793945312, 149.93104553222656, 149.9178924560547}
		for i, w := range want {
			if got := f[75*nT+i]; got != w {
				t.Errorf("F[75,%d] = %v, want %v", i, got, w)
			}
		}
		f64 := a.Float64s()
		if f64[75*nT+1] != float64(want[1]) || len(f64) != nROI*nT {
			t.Errorf("Float64s disagrees with Float32s")
		}
	})
	t.Run("Fneu", func(t *testing.T) {
		a := openSuite2p(t, "Fneu.npy")
		checkHeader(t, a, "<f4", nROI, nT)
		f := a.Float32s()
		if s := sum(f); !near(s, 12527429.867081365) {
			t.Errorf("sum %v, want 12527429.867081365", s)
		}
		for i, w := range []float32{0.9787644743919373, 0.9440154433250427, 0.8552123308181763} {
			if f[i] != w {
				t.Errorf("Fneu[0,%d] = %v, want %v", i, f[i], w)
			}
		}
		for i, w := range []float32{148.64698791503906, 148.48841857910156, 147.95138549804688, 148.40509033203125, 147.8148193359375} {
			if got := f[75*nT+i]; got != w {
				t.Errorf("Fneu[75,%d] = %v, want %v", i, got, w)
			}
		}
	})
	t.Run("spks", func(t *testing.T) {
		a := openSuite2p(t, "spks.npy")
		checkHeader(t, a, "<f4", nROI, nT)
		f := a.Float32s()
		if s := sum(f); !near(s, 23221.7248529844) {
			t.Errorf("sum %v, want 23221.7248529844", s)
		}
		hi := float32(math.Inf(-1))
		for _, x := range f {
			hi = max(hi, x)
		}
		if hi != 14.337071418762207 {
			t.Errorf("max %v, want 14.337071418762207", hi)
		}
		for i, w := range []float32{0.0, 0.10807792842388153, 0.0, 0.08109187334775925, 0.6431303024291992} {
			if got := f[75*nT+i]; got != w {
				t.Errorf("spks[75,%d] = %v, want %v", i, got, w)
			}
		}
	})
	t.Run("iscell", func(t *testing.T) {
		a := openSuite2p(t, "iscell.npy")
		checkHeader(t, a, "<f8", nROI, 2)
		v := a.Float64s()
		if v[0] != 0 || v[1] != 0.5134220605364411 {
			t.Errorf("iscell[0] = %v, want [0 0.5134220605364411]", v[:2])
		}
		want := []int{75, 90, 96, 97, 110, 116, 117, 129, 135, 143, 145, 152, 154, 180, 181, 185, 196, 197, 203, 210}
		var cells []int
		flags := a.Bools()
		for r := range nROI {
			if flags[2*r] {
				cells = append(cells, r)
			}
			if x := v[2*r]; x != 0 && x != 1 {
				t.Errorf("iscell[%d,0] = %v, want 0 or 1", r, x)
			}
		}
		if len(cells) != len(want) {
			t.Fatalf("cells %v, want %v", cells, want)
		}
		for i := range want {
			if cells[i] != want[i] {
				t.Fatalf("cells %v, want %v", cells, want)
			}
		}
	})
}

package connectome

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestSigned checks both signings on a 3×3 matrix against values worked
// out by hand, and that they are not the wrong-side product.
func TestSigned(t *testing.T) {
	a := mat.NewDense(3, 3, []float64{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	})
	s := []float64{1, -1, 0} // neuron 0 excitatory, 1 inhibitory, 2 unsigned
	for _, c := range []struct {
		name  string
		fn    func(mat.Matrix, []float64) (*mat.Dense, error)
		in    mat.Matrix
		want  []float64 // by hand
		wrong []float64 // the other side's product, which must not come out
	}{
		// diag(s)·A: row i times s[i].
		{"SignedAdjacency", SignedAdjacency, a, []float64{
			1, 2, 3,
			-4, -5, -6,
			0, 0, 0,
		}, []float64{ // A·diag(s)
			1, -2, 0,
			4, -5, 0,
			7, -8, 0,
		}},
		// W·diag(s) for W = Aᵀ: column j times s[j], i.e. (diag(s)·A)ᵀ.
		{"SignedWeights", SignedWeights, a.T(), []float64{
			1, -4, 0,
			2, -5, 0,
			3, -6, 0,
		}, []float64{ // diag(s)·W
			1, 4, 7,
			-2, -5, -8,
			0, 0, 0,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := mat.DenseCopyOf(c.in)
			got, err := c.fn(c.in, s)
			if err != nil {
				t.Fatal(err)
			}
			want := mat.NewDense(3, 3, c.want)
			if !mat.Equal(got, want) {
				t.Errorf("got\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(want))
			}
			for _, v := range got.RawMatrix().Data {
				if v == 0 && math.Signbit(v) {
					t.Error("a zero product came out as −0")
				}
			}
			if mat.Equal(got, mat.NewDense(3, 3, c.wrong)) {
				t.Error("signed on the wrong side")
			}
			if !mat.Equal(c.in, before) {
				t.Error("the input was changed")
			}
		})
	}
	// The two agree through the transpose: SignedWeights(Aᵀ) = SignedAdjacency(A)ᵀ.
	sa, _ := SignedAdjacency(a, s)
	sw, _ := SignedWeights(a.T(), s)
	if !mat.Equal(sa.T(), sw) {
		t.Error("SignedWeights(Aᵀ, s) ≠ SignedAdjacency(A, s)ᵀ")
	}
}

// TestSignedAdjacencyAtlas signs a two-neuron adjacency with the atlas's
// transmitters: DD1 is GABAergic (−1) and AVAL cholinergic (+1), so
// DD1 → AVAL turns negative and AVAL → DD1 stays positive.
func TestSignedAdjacencyAtlas(t *testing.T) {
	labels := []string{"AVAL", "DD1"}
	a, err := Adjacency([]Edge{
		{Pre: "DD1", Post: "AVAL", Type: Chemical, Weight: 2},
		{Pre: "AVAL", Post: "DD1", Type: Chemical, Weight: 3},
	}, labels, Chemical)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SignedAdjacency(a, Signs(DefaultAtlas(), labels, SignRule{}))
	if err != nil {
		t.Fatal(err)
	}
	if want := mat.NewDense(2, 2, []float64{0, 3, -2, 0}); !mat.Equal(got, want) {
		t.Errorf("got\n%v\nwant\n%v", mat.Formatted(got), mat.Formatted(want))
	}
}

func TestSignedErrors(t *testing.T) {
	sq := mat.NewDense(3, 3, nil)
	for _, c := range []struct {
		name string
		m    mat.Matrix
		s    []float64
		msg  string
	}{
		{"too few signs", sq, []float64{1, 1}, "connectome: SignedAdjacency: 2 signs for a 3×3 adjacency: shape mismatch"},
		{"not square", mat.NewDense(3, 2, nil), []float64{1, 1, 1}, "connectome: SignedAdjacency: 3 signs for a 3×2 adjacency: shape mismatch"},
		{"no neurons", sq, nil, "connectome: SignedAdjacency: 0 signs for a 3×3 adjacency: shape mismatch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := SignedAdjacency(c.m, c.s)
			if got != nil || !errors.Is(err, neurotab.ErrShape) || err.Error() != c.msg {
				t.Errorf("got %v, %v; want nil and %q", got, err, c.msg)
			}
			if _, err := SignedWeights(c.m, c.s); !errors.Is(err, neurotab.ErrShape) {
				t.Errorf("SignedWeights: %v, want ErrShape", err)
			}
		})
	}
}

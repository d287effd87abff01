package glmhmm

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab/connectome"
)

// ConnectomeSigns on a hand-made connectome: RMEL is GABAergic and AVAL
// cholinergic (White 1986; the atlas), so RMEL → AVAL is −1 and AVAL → RMEL
// +1; AVBL (named by an electrical edge) has no synapse onto RMEL (0); FOO,
// named by no edge, keeps the uniform prior (NaN).
func TestConnectomeSigns(t *testing.T) {
	edges := []connectome.Edge{
		{Dataset: "d", Pre: "RMEL", Post: "AVAL", Type: connectome.Chemical, Weight: 3},
		{Dataset: "d", Pre: "AVAL", Post: "RMEL", Type: connectome.Chemical, Weight: 1},
		{Dataset: "d", Pre: "AVBL", Post: "AVAL", Type: connectome.Electrical, Weight: 2},
	}
	neurons := []string{"AVAL", "RMEL", "AVBL", "FOO"}
	S := ConnectomeSigns(edges, neurons)
	nan := math.NaN()
	// S[post][pre]
	want := [][]float64{
		{0, -1, 1, nan},
		{1, 0, 0, nan},
		{0, 0, 0, nan},
		{nan, nan, nan, nan},
	}
	for post := range want {
		for pre := range want[post] {
			got, w := S.At(post, pre), want[post][pre]
			if got != w && !(math.IsNaN(got) && math.IsNaN(w)) {
				t.Errorf("S[%s][%s] = %v, want %v", neurons[post], neurons[pre], got, w)
			}
		}
	}
}

package calcium

import (
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"

	matfile "github.com/neurotab/neurotab/formats/mat"
)

func lin2023() Adapter {
	return Adapter{
		Name: "Lin2023",
		Description: "olfactory responses, one MAT v5 file per worm: corrected_F rows with use_flag > 0, " +
			"proofread_neurons labels, times (s)",
		Citation: "Lin A, Qin S, Casademunt H, Wu M, Hung W, Cain G, Tan NZ, Valenzuela R, Lesanpezeshki L, " +
			"Venkatachalam V, Pehlevan C, Zhen M, Samuel ADT (2023) Functional imaging and quantification of " +
			"multineuronal olfactory responses in C. elegans. Sci Adv 9(9):eade1249. doi:10.1126/sciadv.ade1249",
		Match: func(path string, head []byte) bool {
			return isMATv5With(path, head, "corrected_F", "use_flag", "proofread_neurons", "times")
		},
		Read: ReadLin2023,
	}
}

// ReadLin2023 reads one Lin et al. 2023 (doi:10.1126/sciadv.ade1249) MAT v5
// file: one recording.
//
// corrected_F is N×T (rows are neurons), proofread_neurons the N labels,
// use_flag the N proofreading flags: rows with use_flag > 0 are kept, in
// file order. times is the T sample times in seconds; when times is a cell
// (the published reader indexes times{1}(end,:)) its first element is used,
// and of a matrix its last row.
//
// The first sample of corrected_F is NaN in these files; the published
// reader overwrites it with the baseline F_0, which has other units (raw
// fluorescence, not ΔF/F), so we keep the NaN and leave gaps to
// homogenization.
func ReadLin2023(path string, _ Options) ([]ingest.Raw, error) {
	m, err := openMAT(path)
	if err != nil {
		return nil, err
	}
	defer m.Close()

	FV, err := m.get("corrected_F")
	if err != nil {
		return nil, err
	}
	labelsV, err := m.get("proofread_neurons")
	if err != nil {
		return nil, err
	}
	labels, err := matfile.Strings(labelsV)
	if err != nil {
		return nil, wrap(path, varField("proofread_neurons"), err)
	}
	flagV, err := m.get("use_flag")
	if err != nil {
		return nil, err
	}
	flags, err := vector(flagV)
	if err != nil {
		return nil, wrap(path, varField("use_flag"), err)
	}
	N := len(labels)
	if len(flags) != N {
		return nil, errf(path, varField("use_flag"), "%d flags for %d proofread_neurons", len(flags), N)
	}
	F, ok := FV.(*matfile.Numeric)
	if !ok || len(F.Shape) != 2 {
		return nil, errf(path, varField("corrected_F"), "is %s %v, want an N×T numeric matrix", FV.Class(), FV.Dims())
	}
	if F.Shape[0] != N {
		return nil, errf(path, varField("corrected_F"), "%d rows for %d proofread_neurons", F.Shape[0], N)
	}
	T := F.Shape[1]
	timesV, err := m.get("times")
	if err != nil {
		return nil, err
	}
	times, how, err := linTimes(timesV)
	if err != nil {
		return nil, wrap(path, varField("times"), err)
	}
	if len(times) != T {
		return nil, errf(path, varField("times"), "%d times for %d samples", len(times), T)
	}

	var keep []int
	var dropped []string
	for i, f := range flags {
		if f > 0 {
			keep = append(keep, i)
		} else {
			dropped = append(dropped, fmt.Sprintf("%d:%q", i+1, labels[i]))
		}
	}
	if len(keep) == 0 {
		return nil, errf(path, varField("use_flag"), "no neuron has use_flag > 0")
	}
	dense := mat.NewDense(T, len(keep), nil)
	out := make([]string, len(keep))
	for c, i := range keep {
		out[c] = labels[i]
		for t := range T {
			dense.Set(t, c, F.Real[i+N*t]) // column-major N×T
		}
	}
	notes := []string{
		"traces = corrected_F rows (N×T, transposed) with use_flag > 0; labels = proofread_neurons",
		"time from times" + how,
		"leading NaN kept (the published reader replaces it with F_0, a raw-fluorescence baseline)",
	}
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("use_flag <= 0, left out (row:label): %v", dropped))
	}
	return finish([]ingest.Raw{{
		Dataset: "Lin2023",
		Worm:    stem(path),
		RawFile: path,
		Labels:  out,
		Time:    append([]float64(nil), times...),
		Traces:  dense,
		Notes:   notes,
	}})
}

// linTimes resolves the times variable: a numeric vector, or a cell whose
// first element holds it (a matrix gives its last row).
func linTimes(v matfile.Value) ([]float64, string, error) {
	how := ""
	if c, ok := v.(*matfile.Cell); ok {
		if c.Len() == 0 {
			return nil, "", fmt.Errorf("empty cell: %w", neurotab.ErrMalformed)
		}
		v = c.Elems[0]
		how = "{1}"
	}
	n, ok := v.(*matfile.Numeric)
	if !ok {
		return nil, "", fmt.Errorf("is %s, want numeric: %w", v.Class(), neurotab.ErrType)
	}
	if len(n.Shape) == 2 && n.Shape[0] > 1 && n.Shape[1] > 1 {
		rows := n.RowMajor()
		C := n.Shape[1]
		last := n.Shape[0] - 1
		return rows[last*C : (last+1)*C], fmt.Sprintf("%s(end,:) of a %d×%d matrix", how, n.Shape[0], C), nil
	}
	xs, err := vector(n)
	if err != nil {
		return nil, "", err
	}
	return xs, how, nil
}

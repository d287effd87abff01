package table

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab/formats/npy"
)

// NPYMeta is the JSON written beside each recording's .npy matrix by
// WriteRecordingNPY: what the matrix's rows and columns are.
type NPYMeta struct {
	SourceDataset string    `json:"source_dataset"`
	Worm          string    `json:"worm"`
	Matrix        string    `json:"matrix"` // the .npy file name
	Shape         [2]int    `json:"shape"`  // [T, N]
	DType         string    `json:"dtype"`  // "float32"
	Rows          string    `json:"rows"`   // "time"
	Neurons       []string  `json:"neurons"`
	Slots         []int     `json:"slots"`      // canonical slot of each column, -1 for none
	Labeled       []bool    `json:"is_labeled"` // column carries a canonical neuron label
	Time          []float64 `json:"time_in_seconds"`
	RawDataFile   string    `json:"raw_data_file,omitempty"`
	Table         string    `json:"table"` // the traces table it was exported from
}

// RecordingFileStem is the file name stem of a recording's export:
// source_dataset and worm joined by "__", path separators and other
// characters unsafe in file names replaced by '_'.
func RecordingFileStem(dataset, worm string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == ':' || r < ' ' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|' {
				return '_'
			}
			return r
		}, s)
	}
	return clean(dataset) + "__" + clean(worm)
}

// WriteRecordingNPY writes rec's homogenized traces into dir as a T × N
// float32 C-order matrix STEM.npy (rows time, columns neurons) and STEM.json
// (NPYMeta), where STEM is RecordingFileStem; from names the traces table,
// for the JSON. NumPy alone reads them: np.load(STEM.npy), json.load.
func WriteRecordingNPY(dir string, rec *Recording, from string) error {
	T, N := rec.Data.Dims()
	stem := RecordingFileStem(rec.Dataset, rec.Worm)
	m := make([]float32, 0, T*N)
	for t := 0; t < T; t++ {
		for n := 0; n < N; n++ {
			m = append(m, float32(rec.Data.At(t, n)))
		}
	}
	f, err := os.Create(filepath.Join(dir, stem+".npy"))
	if err != nil {
		return err
	}
	if err := npy.Write(f, []int{T, N}, m); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	meta := NPYMeta{SourceDataset: rec.Dataset, Worm: rec.Worm, Matrix: stem + ".npy", Shape: [2]int{T, N}, DType: "float32",
		Rows: "time", Neurons: rec.Neurons, Slots: rec.Slots, Labeled: rec.Labeled, Time: rec.Time, RawDataFile: rec.RawDataFile, Table: from}
	js, err := json.MarshalIndent(meta, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, stem+".json"), append(js, '\n'), 0o644)
}

package calcium

import (
	"fmt"
	"math"
	"strings"

	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

func generic() Adapter {
	return Adapter{
		Name: "generic",
		Description: "a T×N matrix: CSV/TSV with a header of neuron names (time from --time-column, else " +
			"--sample-rate), or NPY (names from --names, time from --sample-rate)",
		Citation: "generic (no source paper)",
		Match: func(path string, head []byte) bool {
			return head != nil && hasExt(path, ".csv", ".tsv", ".npy")
		},
		Read: ReadGeneric,
	}
}

// ReadGeneric reads a generic trace matrix with rows as time: one
// recording named after the file.
//
// CSV/TSV (.csv is comma-separated, .tsv tab-separated; read by csvtab, so
// a byte order mark, CRLF line ends and quoted fields are fine and lines
// starting with # are comments): the header names the columns; the column
// named opt.TimeColumn holds the sample times in seconds, and every other
// column is a trace labelled by its header. Without TimeColumn, sample i is
// at i/opt.SampleRate. Empty cells and "nan", "NA", "null", "none" are NaN.
// Every row has the header's number of fields.
//
// NPY: a T×N (or length-T) numeric array; labels are opt.Names (len N) or
// "" when none are given; sample i is at i/opt.SampleRate.
func ReadGeneric(path string, opt Options) ([]ingest.Raw, error) {
	switch {
	case hasExt(path, ".npy"):
		return readGenericNPY(path, opt)
	case hasExt(path, ".csv", ".tsv"):
		return readGenericCSV(path, opt)
	}
	return nil, errf(path, "", "generic reads .csv, .tsv or .npy files")
}

func rateTime(path string, T int, rate float64) ([]float64, error) {
	if !(rate > 0) || math.IsInf(rate, 0) {
		return nil, errf(path, "", "no time base: name the time column (--time-column) or the frame rate (--sample-rate)")
	}
	tm := make([]float64, T)
	for t := range T {
		tm[t] = float64(t) / rate
	}
	return tm, nil
}

func readGenericNPY(path string, opt Options) ([]ingest.Raw, error) {
	a, err := npy.Open(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	var T, N int
	switch len(a.Shape) {
	case 1:
		T, N = a.Shape[0], 1
	case 2:
		T, N = a.Shape[0], a.Shape[1]
	default:
		return nil, errf(path, "shape", "%v, want T×N", a.Shape)
	}
	if len(a.Dtype) < 2 || !strings.ContainsRune("fiu", rune(a.Dtype[1])) {
		return nil, errf(path, "dtype", "%s, want a number type", a.Dtype)
	}
	if T == 0 || N == 0 {
		return nil, errf(path, "shape", "%v has no samples or no traces", a.Shape)
	}
	labels := make([]string, N)
	if len(opt.Names) > 0 {
		if len(opt.Names) != N {
			return nil, errf(path, "names", "%d names for %d traces", len(opt.Names), N)
		}
		copy(labels, opt.Names)
	}
	tm, err := rateTime(path, T, opt.SampleRate)
	if err != nil {
		return nil, err
	}
	data := a.Float64s()
	return finish([]ingest.Raw{{
		Dataset: "generic",
		Worm:    stem(path),
		RawFile: path,
		Labels:  labels,
		Time:    tm,
		Traces:  mat.NewDense(T, N, data),
		Notes: []string{
			fmt.Sprintf("NPY %s %v read as T×N (rows are time)", a.Dtype, a.Shape),
			fmt.Sprintf("time = sample/%g Hz", opt.SampleRate),
		},
	}})
}

func readGenericCSV(path string, opt Options) ([]ingest.Raw, error) {
	co := csvtab.Options{Comma: ',', Comment: '#', Strict: true}
	if hasExt(path, ".tsv") {
		co.Comma, co.LazyQuotes = '\t', true
	}
	cr, err := csvtab.Open(path, co)
	if err != nil {
		return nil, err
	}
	defer cr.Close()
	header := cr.Header
	timeCol := -1
	for j, h := range header {
		if opt.TimeColumn != "" && h == opt.TimeColumn {
			if timeCol >= 0 {
				return nil, errf(path, fmt.Sprintf("column %q", opt.TimeColumn), "appears twice")
			}
			timeCol = j
		}
	}
	if opt.TimeColumn != "" && timeCol < 0 {
		return nil, errf(path, fmt.Sprintf("column %q", opt.TimeColumn), "missing (header: %s)", strings.Join(header, ", "))
	}
	var labels []string
	var cols []int
	for j, h := range header {
		if j != timeCol {
			labels = append(labels, h)
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		return nil, errf(path, "", "no trace columns")
	}
	var rows [][]float64
	var tm []float64
	err = cr.Each(func(rec []string) error {
		row := make([]float64, len(cols))
		for i, j := range cols {
			var err error
			if row[i], err = cr.Float(rec, j); err != nil {
				return err
			}
		}
		if timeCol >= 0 {
			v, err := cr.Finite(rec, timeCol)
			if err != nil {
				return err
			}
			tm = append(tm, v)
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	T := len(rows)
	if T == 0 {
		return nil, errf(path, "", "no samples below the header")
	}
	notes := []string{fmt.Sprintf("CSV header names %d traces", len(cols))}
	if timeCol < 0 {
		if tm, err = rateTime(path, T, opt.SampleRate); err != nil {
			return nil, err
		}
		notes = append(notes, fmt.Sprintf("time = sample/%g Hz", opt.SampleRate))
	} else {
		notes = append(notes, fmt.Sprintf("time (s) from column %q", opt.TimeColumn))
	}
	dense := mat.NewDense(T, len(cols), nil)
	for t, r := range rows {
		dense.SetRow(t, r)
	}
	return finish([]ingest.Raw{{
		Dataset: "generic",
		Worm:    stem(path),
		RawFile: path,
		Labels:  labels,
		Time:    tm,
		Traces:  dense,
		Notes:   notes,
	}})
}

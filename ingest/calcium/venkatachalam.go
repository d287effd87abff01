package calcium

import (
	"archive/zip"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

// VenkatachalamFrameSeconds is the frame interval of the Venkatachalam lab
// chemosensory recordings: frame column k is at k × 0.375 s.
const VenkatachalamFrameSeconds = 0.375

func venkatachalam2024() Adapter {
	return Adapter{
		Name: "Venkatachalam2024",
		Description: "chemosensory whole-brain data, a .zip holding one CSV: one row per neuron, metadata " +
			"columns (neuron = label), then frame columns 0, 1, … at 0.375 s per frame",
		Citation: "Seyedolmohadesin M, Venkatachalam V et al. (2024, unpublished) Brain-wide neural activity " +
			"data in C. elegans, https://chemosensory-data.worm.world/ (no DOI)",
		Match: func(p string, head []byte) bool {
			if head == nil || !hasExt(p, ".zip") {
				return false
			}
			zr, err := zip.OpenReader(p)
			if err != nil {
				return false
			}
			defer zr.Close()
			f, err := onlyCSV(p, &zr.Reader)
			if err != nil {
				return false
			}
			rc, err := f.Open()
			if err != nil {
				return false
			}
			defer rc.Close()
			cr, err := csvtab.NewReader(rc, f.Name, csvtab.Options{Comma: ','})
			return err == nil && cr.Index("neuron") >= 0
		},
		Read: ReadVenkatachalam2024,
	}
}

// onlyCSV returns the single .csv member of a zip archive.
func onlyCSV(p string, zr *zip.Reader) (*zip.File, error) {
	var found []*zip.File
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") || strings.HasPrefix(path.Base(f.Name), "._") || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		if strings.EqualFold(path.Ext(f.Name), ".csv") {
			found = append(found, f)
		}
	}
	switch {
	case len(zr.File) == 0:
		return nil, errf(p, "", "empty zip")
	case len(found) == 0:
		return nil, errf(p, "", "no .csv member among %d files", len(zr.File))
	case len(found) > 1:
		return nil, errf(p, "", "%d .csv members (%s, %s, …), want one", len(found), found[0].Name, found[1].Name)
	}
	return found[0], nil
}

// ReadVenkatachalam2024 reads a Venkatachalam lab chemosensory export (a
// .zip holding one CSV; Seyedolmohadesin et al., unpublished 2024).
//
// The CSV (read by formats/csvtab: header names matched without regard to
// case, every row as long as the header) has one row per neuron. Columns
// whose header is a non-negative integer k are frames at k ×
// VenkatachalamFrameSeconds seconds; the others are metadata, among which
// neuron holds the label. Empty cells and "nan", "NA", "null", "none" are
// NaN (csvtab.ParseFloat). A fault in the CSV is a *csvtab.Error naming
// "zip: member", the line and the column.
// Leading frames that are empty in every row are dropped (the published
// reader drops the first 98 frame columns, which are blank in the exports);
// later gaps and all-NaN rows are kept. Rows are grouped into recordings by
// the worm column when it names more than one worm; otherwise the file is
// one recording named after the zip.
func ReadVenkatachalam2024(p string, _ Options) ([]ingest.Raw, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		if err == zip.ErrFormat {
			return nil, errf(p, "", "not a zip archive")
		}
		return nil, wrap(p, "", err)
	}
	defer zr.Close()
	zf, err := onlyCSV(p, &zr.Reader)
	if err != nil {
		return nil, err
	}
	member := p + ": " + zf.Name
	rc, err := zf.Open()
	if err != nil {
		return nil, wrap(member, "", err)
	}
	defer rc.Close()
	cr, err := csvtab.NewReader(rc, member, csvtab.Options{Comma: ',', Strict: true})
	if err != nil {
		return nil, err
	}
	header := cr.Header
	need, err := cr.Require("neuron")
	if err != nil {
		return nil, err
	}
	neuronCol, wormCol := need[0], cr.Index("worm")
	var frameCols, frames []int
	for j, h := range header {
		if k, err := strconv.Atoi(h); err == nil && k >= 0 {
			frameCols = append(frameCols, j)
			frames = append(frames, k)
		}
	}
	if len(frameCols) == 0 {
		return nil, errf(member, "", "no frame columns (headers 0, 1, 2, …)")
	}
	for i := 1; i < len(frames); i++ {
		if frames[i] <= frames[i-1] {
			return nil, errf(member, fmt.Sprintf("column %q", header[frameCols[i]]), "frame %d after frame %d", frames[i], frames[i-1])
		}
	}
	type row struct {
		label, worm string
		data        []float64
	}
	var rows []row
	err = cr.Each(func(rec []string) error {
		r := row{label: strings.TrimSpace(rec[neuronCol]), data: make([]float64, len(frameCols))}
		if wormCol >= 0 {
			r.worm = strings.TrimSpace(rec[wormCol])
		}
		for i, j := range frameCols {
			v, err := cr.Float(rec, j)
			if err != nil {
				return err
			}
			r.data[i] = v
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errf(member, "", "no neuron rows")
	}

	var order []string
	groups := map[string][]row{}
	for _, r := range rows {
		if _, ok := groups[r.worm]; !ok {
			order = append(order, r.worm)
		}
		groups[r.worm] = append(groups[r.worm], r)
	}
	raws := make([]ingest.Raw, 0, len(order))
	for _, w := range order {
		g := groups[w]
		first := 0
		for first < len(frameCols) {
			blank := true
			for _, r := range g {
				if !math.IsNaN(r.data[first]) {
					blank = false
					break
				}
			}
			if !blank {
				break
			}
			first++
		}
		if first == len(frameCols) {
			return nil, errf(member, "", "recording %q: every frame is empty", w)
		}
		T, N := len(frameCols)-first, len(g)
		dense := mat.NewDense(T, N, nil)
		labels := make([]string, N)
		for n, r := range g {
			labels[n] = r.label
			for t := range T {
				dense.Set(t, n, r.data[first+t])
			}
		}
		tm := make([]float64, T)
		for t := range T {
			tm[t] = float64(frames[first+t]) * VenkatachalamFrameSeconds
		}
		notes := []string{
			fmt.Sprintf("CSV %s: %d metadata columns, %d frame columns; labels from column neuron", zf.Name, len(header)-len(frameCols), len(frameCols)),
			fmt.Sprintf("time = frame × %g s", VenkatachalamFrameSeconds),
			fmt.Sprintf("dropped %d leading frames empty in every row", first),
		}
		if dead := allNaNColumns(T, N, dense.At); len(dead) > 0 {
			notes = append(notes, fmt.Sprintf("traces NaN throughout, kept (0-based rows): %v", dead))
		}
		worm := stem(p)
		if len(order) > 1 {
			worm += "_" + w
		}
		raws = append(raws, ingest.Raw{
			Dataset: "Venkatachalam2024",
			Worm:    worm,
			RawFile: p,
			Labels:  labels,
			Time:    tm,
			Traces:  dense,
			Notes:   notes,
		})
	}
	return finish(raws)
}

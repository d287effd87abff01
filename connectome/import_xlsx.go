package connectome

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/xuri/excelize/v2"
)

// cellName is the A1 name of 0-based row r and column c.
func cellName(r, c int) string {
	n, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		return fmt.Sprintf("R%dC%d", r+1, c+1)
	}
	return n
}

// Limits checked on an .xlsx's zip directory before the workbook is
// parsed: no member may declare more than maxXLSXRatio times the file's size
// (DEFLATE cannot expand more than about 1032:1) and all members together
// no more than maxXLSXBytes.
const (
	maxXLSXRatio = 1032
	maxXLSXBytes = 1 << 30
)

// openWorkbook checks the zip container of the .xlsx at path before the
// spreadsheet library sees it: every member's declared size against the
// file size and maxXLSXBytes (a corrupt central directory must not size an
// allocation), and every member read in full through archive/zip, which
// verifies its CRC-32 (a damaged sheet must not lose rows silently). The
// library then opens the verified bytes.
func openWorkbook(path string) (*excelize.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	size := int64(len(data))
	zr, err := zip.NewReader(bytes.NewReader(data), size)
	if err != nil {
		return nil, &FormatError{File: path, Msg: "not a readable .xlsx workbook: " + err.Error(), Err: neurotab.ErrMalformed}
	}
	var total uint64
	for _, m := range zr.File {
		total += m.UncompressedSize64
		if m.UncompressedSize64 > uint64(maxXLSXRatio*size) || total > maxXLSXBytes {
			return nil, &FormatError{File: path, Sheet: memberSheet(zr, m.Name), Msg: fmt.Sprintf("zip member %s declares %d bytes (%d in all) in a %d-byte file, more than %d:1 or %d bytes", m.Name, m.UncompressedSize64, total, size, maxXLSXRatio, maxXLSXBytes), Err: neurotab.ErrTooLarge}
		}
	}
	for _, m := range zr.File {
		rc, err := m.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, io.LimitReader(rc, int64(m.UncompressedSize64)+1))
			rc.Close()
		}
		if err != nil {
			e := &FormatError{File: path, Sheet: memberSheet(zr, m.Name), Msg: fmt.Sprintf("zip member %s: %v", m.Name, err), Err: neurotab.ErrMalformed}
			if errors.Is(err, zip.ErrChecksum) {
				e.Msg, e.Err = fmt.Sprintf("zip member %s: CRC-32 does not match the data", m.Name), neurotab.ErrChecksum
			}
			return nil, e
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxXLSXBytes})
	if err != nil {
		return nil, &FormatError{File: path, Msg: "not a readable .xlsx workbook: " + err.Error(), Err: neurotab.ErrMalformed}
	}
	return f, nil
}

// memberSheet names the sheet stored in zip member name, from
// xl/workbook.xml and its relationships, or "" when it is no sheet or the
// names cannot be read.
func memberSheet(zr *zip.Reader, name string) string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if readXMLMember(zr, "xl/workbook.xml", &wb) != nil || readXMLMember(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return ""
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.RID && (r.Target == name || "xl/"+strings.TrimPrefix(r.Target, "/xl/") == name || strings.TrimPrefix(r.Target, "/") == name) {
				return s.Name
			}
		}
	}
	return ""
}

// readXMLMember decodes a small zip member (at most 16 MiB) as XML.
func readXMLMember(zr *zip.Reader, name string, v any) error {
	rc, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v)
}

// openSheet returns the rows of a sheet (the first sheet when name is "").
func openSheet(path, name string) (string, [][]string, error) {
	f, err := openWorkbook(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if name == "" {
		if len(sheets) == 0 {
			return "", nil, &FormatError{File: path, Msg: "workbook has no sheet", Err: neurotab.ErrMalformed}
		}
		name = sheets[0]
	}
	rows, err := f.GetRows(name)
	if err != nil {
		return name, nil, &FormatError{File: path, Sheet: name, Msg: fmt.Sprintf("cannot read sheet (sheets: %s): %v", strings.Join(sheets, ", "), err), Err: neurotab.ErrMalformed}
	}
	return name, rows, nil
}

// tableColumns finds named columns in the first row of a sheet.
func tableColumns(path, sheet string, rows [][]string, want ...string) ([]int, error) {
	if len(rows) == 0 {
		return nil, &FormatError{File: path, Sheet: sheet, Cell: "A1", Msg: "sheet is empty", Err: neurotab.ErrMalformed}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	out := make([]int, len(want))
	for i, w := range want {
		c, ok := col[strings.ToLower(w)]
		if !ok {
			return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(0, len(rows[0])), Msg: fmt.Sprintf("header row %q has no %q column", strings.Join(rows[0], ","), w), Err: neurotab.ErrMalformed}
		}
		out[i] = c
	}
	return out, nil
}

// cell returns row[c] trimmed, or "".
func cell(row []string, c int) string {
	if c < len(row) {
		return strings.TrimSpace(row[c])
	}
	return ""
}

var reWitvliet = regexp.MustCompile(`witvliet_2020_([1-8])`)

// ImportWitvliet reads one of the eight Witvliet et al. 2021
// (doi:10.1038/s41586-021-03778-8) developmental datasets
// (witvliet_2020_<n>.xlsx: 1–4 L1, 5 L2, 6 L3, 7–8 adult): the first sheet
// with columns pre, post, type, synapses. The dataset name is
// witvliet2020_<n> when the file name carries n. Electrical rows list each
// pair once and are symmetrized with opt.Gap.
func ImportWitvliet(path string, opt Options) ([]Edge, error) {
	sheet, rows, err := openSheet(path, "")
	if err != nil {
		return nil, err
	}
	cols, err := tableColumns(path, sheet, rows, "pre", "post", "type", "synapses")
	if err != nil {
		return nil, err
	}
	var raws []rawEdge
	for r := 1; r < len(rows); r++ {
		row := rows[r]
		pre, post := cell(row, cols[0]), cell(row, cols[1])
		if pre == "" && post == "" {
			continue
		}
		t, err := ParseEdgeType(cell(row, cols[2]))
		if err != nil || (t != Chemical && t != Electrical) {
			return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, cols[2]), Msg: fmt.Sprintf("type %q is neither chemical nor electrical", cell(row, cols[2])), Err: neurotab.ErrMalformed}
		}
		w, err := parseWeight(cell(row, cols[3]))
		if err != nil {
			return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, cols[3]), Msg: err.Error(), Err: neurotab.ErrMalformed}
		}
		raws = append(raws, rawEdge{pre: pre, post: post, typ: t, w: w, q: math.NaN()})
	}
	def := "witvliet2020"
	if m := reWitvliet.FindStringSubmatch(filepath.Base(path)); m != nil {
		def += "_" + m[1]
	}
	return finish(datasetName(opt, def), raws, opt), nil
}

// ImportVarshney reads NeuronConnectFormatted.xlsx, the WormAtlas
// NeuronConnect table of Varshney et al. 2011
// (doi:10.1371/journal.pcbi.1001066): columns Neuron 1, Neuron 2, Type, Nbr.
//
//   - Chemical = S (monadic send) + Sp (polyadic send), summed per directed
//     pair: they are different synapses of the pair. R and Rp rows are the
//     same synapses seen from the receiving side and are not read.
//   - Electrical = EJ rows, which list both directions; GapMean restores one
//     weight per pair in each direction.
//   - NeuroMuscular = NMJ rows (Neuron 2 is "NMJ"), summed per neuron,
//     unless opt.DropNeuromuscular.
//
// The paper counts 6,393 chemical synapses, 890 gap junctions and 1,410
// neuromuscular junctions; the file sums to 6,394, 890 (see
// Summary.GapJunctions) and 1,410.
func ImportVarshney(path string, opt Options) ([]Edge, error) {
	sheet, rows, err := openSheet(path, "")
	if err != nil {
		return nil, err
	}
	cols, err := tableColumns(path, sheet, rows, "Neuron 1", "Neuron 2", "Type", "Nbr")
	if err != nil {
		return nil, err
	}
	type pair struct{ a, b string }
	chem := map[pair]int{}
	nmj := map[pair]int{}
	var raws []rawEdge
	for r := 1; r < len(rows); r++ {
		row := rows[r]
		a, b, t := cell(row, cols[0]), cell(row, cols[1]), cell(row, cols[2])
		if a == "" && b == "" && t == "" {
			continue
		}
		w, err := parseWeight(cell(row, cols[3]))
		if err != nil {
			return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, cols[3]), Msg: err.Error(), Err: neurotab.ErrMalformed}
		}
		var (
			typ EdgeType
			agg map[pair]int
		)
		switch t {
		case "S", "Sp":
			typ, agg = Chemical, chem
		case "R", "Rp":
			continue
		case "EJ":
			typ = Electrical
		case "NMJ":
			typ, agg = NeuroMuscular, nmj
		default:
			return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, cols[2]), Msg: fmt.Sprintf("type %q is not S, Sp, R, Rp, EJ or NMJ", t), Err: neurotab.ErrMalformed}
		}
		if agg != nil {
			p := pair{a, b}
			if i, ok := agg[p]; ok {
				raws[i].w += w
				continue
			}
			agg[p] = len(raws)
		}
		raws = append(raws, rawEdge{pre: a, post: b, typ: typ, w: w, q: math.NaN()})
	}
	return finish(datasetName(opt, "varshney2011"), raws, opt), nil
}

// Cook 2019 SI 5 sheet names.
var cookSheets = map[string][2]string{
	"hermaphrodite": {"hermaphrodite chemical", "herm gap jn symmetric"},
	"male":          {"male chemical", "male gap jn symmetric"},
}

// ImportCook reads one sex ("hermaphrodite" or "male") of Cook et al. 2019
// (doi:10.1038/s41586-019-1352-7) SI 5 "Connectome adjacency matrices":
// the chemical sheet and the symmetric gap-junction sheet. In each sheet
// row 3 holds the postsynaptic cells from column D, column C the
// presynaptic cells from row 4; empty cells are 0. Weights are numbers of
// EM serial sections, not synapse counts. Zero-padded names (DA01) are
// normalized.
func ImportCook(path, sex string, opt Options) ([]Edge, error) {
	sheets, ok := cookSheets[sex]
	if !ok {
		return nil, fmt.Errorf("connectome: Cook 2019 sex %q, want hermaphrodite or male: %w", sex, neurotab.ErrParam)
	}
	f, err := openWorkbook(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var raws []rawEdge
	for k, sheet := range sheets {
		typ := []EdgeType{Chemical, Electrical}[k]
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, &FormatError{File: path, Sheet: sheet, Msg: fmt.Sprintf("cannot read sheet (sheets: %s): %v", strings.Join(f.GetSheetList(), ", "), err), Err: neurotab.ErrMalformed}
		}
		if len(rows) < 4 || len(rows[2]) < 4 {
			return nil, &FormatError{File: path, Sheet: sheet, Cell: "D3", Msg: "no postsynaptic names in row 3 from column D", Err: neurotab.ErrMalformed}
		}
		post := rows[2]
		for r := 3; r < len(rows); r++ {
			row := rows[r]
			pre := cell(row, 2)
			for c := 3; c < len(row); c++ {
				s := strings.TrimSpace(row[c])
				if s == "" {
					continue
				}
				p := cell(post, c)
				w, err := parseWeight(s)
				if err != nil {
					// The sheets repeat the row names in a column after
					// the matrix and the column names in a row below it.
					if p == "" || pre == "" {
						continue
					}
					return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, c), Msg: err.Error(), Err: neurotab.ErrMalformed}
				}
				if w == 0 {
					continue
				}
				if pre == "" {
					return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(r, 2), Msg: fmt.Sprintf("weight in %s but no presynaptic name", cellName(r, c)), Err: neurotab.ErrMalformed}
				}
				if p == "" {
					return nil, &FormatError{File: path, Sheet: sheet, Cell: cellName(2, c), Msg: fmt.Sprintf("weight in %s but no postsynaptic name", cellName(r, c)), Err: neurotab.ErrMalformed}
				}
				raws = append(raws, rawEdge{pre: pre, post: p, typ: typ, w: w, q: math.NaN()})
			}
		}
	}
	def := "cook2019_herm"
	if sex == "male" {
		def = "cook2019_male"
	}
	return finish(datasetName(opt, def), raws, opt), nil
}

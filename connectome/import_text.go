package connectome

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// ImportNemaNode reads a NemaNode export (White et al. 1986 whole, N2U, JSH
// and JSE, as shipped by OpenWorm c302 and worm-graph): columns pre, post,
// type (chemical|electrical) and synapses. Fields are split on any run of
// tabs or spaces, because the files are tab-separated despite the .csv
// suffix and the N2U header is space-separated. Electrical rows list each
// pair once and are symmetrized with opt.Gap.
func ImportNemaNode(path string, opt Options) ([]Edge, error) {
	return importNemaNode(path, "nemanode", opt)
}

func importNemaNode(path, dataset string, opt Options) ([]Edge, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var (
		col  map[string]int
		raws []rawEdge
	)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if col == nil {
			col = map[string]int{}
			for i, h := range fields {
				col[strings.ToLower(strings.TrimPrefix(h, "\ufeff"))] = i
			}
			for _, want := range []string{"pre", "post", "type", "synapses"} {
				if _, ok := col[want]; !ok {
					return nil, &FormatError{File: path, Line: line, Msg: fmt.Sprintf("header %q has no %q column", sc.Text(), want)}
				}
			}
			continue
		}
		get := func(k string) (string, int, error) {
			i := col[k]
			if i >= len(fields) {
				return "", 0, &FormatError{File: path, Line: line, Column: i + 1, Msg: fmt.Sprintf("row has %d fields, no %s", len(fields), k)}
			}
			return fields[i], i + 1, nil
		}
		var vals [4]string
		var cols [4]int
		for i, k := range []string{"pre", "post", "type", "synapses"} {
			if vals[i], cols[i], err = get(k); err != nil {
				return nil, err
			}
		}
		t, err := ParseEdgeType(vals[2])
		if err != nil || (t != Chemical && t != Electrical) {
			return nil, &FormatError{File: path, Line: line, Column: cols[2], Msg: fmt.Sprintf("type %q is neither chemical nor electrical", vals[2])}
		}
		w, err := parseWeight(vals[3])
		if err != nil {
			return nil, &FormatError{File: path, Line: line, Column: cols[3], Msg: err.Error()}
		}
		raws = append(raws, rawEdge{pre: vals[0], post: vals[1], typ: t, w: w, q: math.NaN()})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if col == nil {
		return nil, &FormatError{File: path, Line: 1, Msg: "empty file"}
	}
	return finish(datasetName(opt, dataset), raws, opt), nil
}

func datasetName(opt Options, def string) string {
	if opt.Dataset != "" {
		return opt.Dataset
	}
	return def
}

// parseWeight reads a finite number.
func parseWeight(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("weight %q is not a finite number", s)
	}
	return v, nil
}

// ImportCookEdgeList reads herm_full_edgelist.csv, the Cook/Emmons
// hermaphrodite edge list (pre-publication version of Cook et al. 2019
// doi:10.1038/s41586-019-1352-7): comma-separated columns Source, Target,
// Weight, Type with space-padded fields and zero-padded motor neuron names.
// Electrical rows are symmetrized with opt.Gap.
func ImportCookEdgeList(path string, opt Options) ([]Edge, error) {
	o := opt
	o.Pre, o.Post, o.Weight, o.Type, o.Q, o.Comma = "source", "target", "weight", "type", "", ','
	if opt.Dataset == "" {
		o.Dataset = "cook2015_herm_full"
	}
	return ImportEdgeList(path, o)
}

// ImportEdgeList reads a generic edge list, CSV or TSV with a header row.
// Column names come from opt (defaults pre, post, type, weight, q; matched
// without regard to case or surrounding space; a type or q column named in
// opt must exist). Type values are read with
// ParseEdgeType; without a type column every row is opt.DefaultType. With a
// q column, rows with q ≥ QMax (0.05 by default) are dropped; this is how a
// functional atlas such as Randi et al. 2023 (doi:10.1038/s41586-023-06683-4)
// is read. Labels are normalized and electrical rows symmetrized as in every
// importer.
func ImportEdgeList(path string, opt Options) ([]Edge, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	comma, err := guessComma(br, opt.Comma)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, &FormatError{File: path, Line: 1, Msg: "no header: " + err.Error()}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	name := func(s, def string) string {
		if s == "" {
			return def
		}
		return strings.ToLower(strings.TrimSpace(s))
	}
	pre, post, typ, wcol := name(opt.Pre, "pre"), name(opt.Post, "post"), name(opt.Type, "type"), name(opt.Weight, "weight")
	qcol := name(opt.Q, "q")
	for _, want := range []string{pre, post, wcol} {
		if _, ok := col[want]; !ok {
			return nil, &FormatError{File: path, Line: 1, Msg: fmt.Sprintf("header %q has no %q column", strings.Join(header, string(comma)), want)}
		}
	}
	_, hasType := col[typ]
	_, hasQ := col[qcol]
	for _, named := range []struct {
		opt, col string
		has      bool
	}{{opt.Type, typ, hasType}, {opt.Q, qcol, hasQ}} {
		if named.opt != "" && !named.has {
			return nil, &FormatError{File: path, Line: 1, Msg: fmt.Sprintf("header %q has no %q column", strings.Join(header, string(comma)), named.col)}
		}
	}
	qmax := opt.qmax()
	var raws []rawEdge
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &FormatError{File: path, Line: line, Msg: err.Error()}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(k string) (string, error) {
			i := col[k]
			if i >= len(rec) {
				return "", &FormatError{File: path, Line: line, Column: i + 1, Msg: fmt.Sprintf("row has %d fields, no %q", len(rec), k)}
			}
			return strings.TrimSpace(rec[i]), nil
		}
		r := rawEdge{typ: opt.defaultType(), q: math.NaN()}
		if r.pre, err = get(pre); err != nil {
			return nil, err
		}
		if r.post, err = get(post); err != nil {
			return nil, err
		}
		ws, err := get(wcol)
		if err != nil {
			return nil, err
		}
		if r.w, err = parseWeight(ws); err != nil {
			return nil, &FormatError{File: path, Line: line, Column: col[wcol] + 1, Msg: err.Error()}
		}
		if hasType {
			ts, err := get(typ)
			if err != nil {
				return nil, err
			}
			if r.typ, err = ParseEdgeType(ts); err != nil {
				return nil, &FormatError{File: path, Line: line, Column: col[typ] + 1, Msg: err.Error()}
			}
		}
		if hasQ {
			qs, err := get(qcol)
			if err != nil {
				return nil, err
			}
			if qs != "" && !strings.EqualFold(qs, "nan") {
				q, err := strconv.ParseFloat(qs, 64)
				if err != nil || q < 0 || q > 1 {
					return nil, &FormatError{File: path, Line: line, Column: col[qcol] + 1, Msg: fmt.Sprintf("q value %q is not a number in [0, 1]", qs)}
				}
				r.q = q
			}
			if qmax > 0 && !(r.q < qmax) {
				continue
			}
		}
		raws = append(raws, r)
	}
	return finish(datasetName(opt, "edgelist"), raws, opt), nil
}

// guessComma returns c, or tab when the first line holds a tab, else comma.
func guessComma(br *bufio.Reader, c rune) (rune, error) {
	if c != 0 {
		return c, nil
	}
	line, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, err
	}
	if i := strings.IndexByte(string(line), '\n'); i >= 0 {
		line = line[:i]
	}
	if strings.ContainsRune(string(line), '\t') {
		return '\t', nil
	}
	return ',', nil
}

// ImportMatrix reads a generic adjacency matrix CSV (or TSV): the first row
// holds the postsynaptic labels after one corner cell, each further row a
// presynaptic label and its weights. Empty cells are 0. Every non-zero cell
// becomes an edge of opt.DefaultType (Chemical by default); an Electrical
// matrix is symmetrized with opt.Gap (mean of A[i][j] and A[j][i] by
// default).
func ImportMatrix(path string, opt Options) ([]Edge, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	comma, err := guessComma(br, opt.Comma)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &FormatError{File: path, Line: 1, Msg: "no header: " + err.Error()}
	}
	if len(header) < 2 {
		return nil, &FormatError{File: path, Line: 1, Msg: "header has no column labels"}
	}
	typ := opt.defaultType()
	var raws []rawEdge
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &FormatError{File: path, Line: line, Msg: err.Error()}
		}
		if len(rec) > len(header) {
			return nil, &FormatError{File: path, Line: line, Column: len(header) + 1, Msg: fmt.Sprintf("row has %d fields, header %d", len(rec), len(header))}
		}
		pre := strings.TrimSpace(rec[0])
		for j := 1; j < len(rec); j++ {
			s := strings.TrimSpace(rec[j])
			if s == "" {
				continue
			}
			w, err := parseWeight(s)
			if err != nil {
				return nil, &FormatError{File: path, Line: line, Column: j + 1, Msg: err.Error()}
			}
			if w == 0 {
				continue
			}
			if pre == "" {
				return nil, &FormatError{File: path, Line: line, Column: 1, Msg: "row label is empty"}
			}
			raws = append(raws, rawEdge{pre: pre, post: strings.TrimSpace(header[j]), typ: typ, w: w, q: math.NaN()})
		}
	}
	return finish(datasetName(opt, "matrix"), raws, opt), nil
}

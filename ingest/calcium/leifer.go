package calcium

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

var leiferName = regexp.MustCompile(`^(\d+)_(gcamp|labels|t)\.txt$`)

func leifer2023() Adapter {
	return Adapter{
		Name: "Leifer2023",
		Description: "neural signal propagation atlas text export: per worm {i}_gcamp.txt (T×N, whitespace, nan), " +
			"{i}_labels.txt (N lines), {i}_t.txt (T times, s); a folder reads every worm",
		Citation: "Randi F, Sharma AK, Dvali S, Leifer AM (2023) Neural signal propagation atlas of " +
			"Caenorhabditis elegans. Nature 623(7986):406-414. doi:10.1038/s41586-023-06683-4",
		Match: func(path string, head []byte) bool {
			if head == nil {
				entries, err := os.ReadDir(path)
				if err != nil {
					return false
				}
				for _, e := range entries {
					if m := leiferName.FindStringSubmatch(e.Name()); m != nil && m[2] == "gcamp" {
						return true
					}
				}
				return false
			}
			return leiferName.MatchString(filepath.Base(path))
		},
		Read: ReadLeifer2023,
	}
}

// ReadLeifer2023 reads the Randi et al. 2023 (Leifer lab,
// doi:10.1038/s41586-023-06683-4) per-worm text files. path is a folder (every
// worm {i} with an {i}_gcamp.txt, in numeric order) or any one of a worm's
// three files.
//
// {i}_gcamp.txt holds T rows of N whitespace-separated numbers ("nan" for
// gaps); {i}_labels.txt holds N lines, one label per trace ("" for an
// unidentified neuron, labels as the lab wrote them: "merge", "IL2?L",
// "DA01"); {i}_t.txt holds the T sample times in seconds. A label file
// naming more or fewer neurons than there are traces is an error (the
// published reader silently truncates extra labels). Traces that are NaN
// throughout are kept and noted.
func ReadLeifer2023(path string, _ Options) ([]ingest.Raw, error) {
	var dir string
	var ids []int
	if isDir(path) {
		dir = path
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, wrap(path, "", err)
		}
		seen := map[int]bool{}
		for _, e := range entries {
			m := leiferName.FindStringSubmatch(e.Name())
			if m == nil || m[2] != "gcamp" {
				continue
			}
			i, err := strconv.Atoi(m[1])
			if err != nil {
				continue
			}
			seen[i] = true
		}
		ids = sortedKeys(seen)
		if len(ids) == 0 {
			return nil, errf(path, "", "no {i}_gcamp.txt files")
		}
	} else {
		m := leiferName.FindStringSubmatch(filepath.Base(path))
		if m == nil {
			return nil, errf(path, "", "file name is not {i}_gcamp.txt, {i}_labels.txt or {i}_t.txt")
		}
		i, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, errf(path, "", "worm number %q: %v", m[1], err)
		}
		dir = filepath.Dir(path)
		ids = []int{i}
	}
	raws := make([]ingest.Raw, 0, len(ids))
	for _, i := range ids {
		r, err := readLeiferWorm(dir, i)
		if err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	return finish(raws)
}

func readLeiferWorm(dir string, i int) (ingest.Raw, error) {
	gpath := filepath.Join(dir, fmt.Sprintf("%d_gcamp.txt", i))
	lpath := filepath.Join(dir, fmt.Sprintf("%d_labels.txt", i))
	tpath := filepath.Join(dir, fmt.Sprintf("%d_t.txt", i))
	rows, N, err := readTextMatrix(gpath)
	if err != nil {
		return ingest.Raw{}, err
	}
	T := len(rows)
	if T == 0 {
		return ingest.Raw{}, errf(gpath, "", "no samples")
	}
	labels, err := readLines(lpath)
	if err != nil {
		return ingest.Raw{}, err
	}
	if len(labels) != N {
		return ingest.Raw{}, errf(lpath, "", "labels name %d neurons for %d traces", len(labels), N)
	}
	trows, tn, err := readTextMatrix(tpath)
	if err != nil {
		return ingest.Raw{}, err
	}
	if tn > 1 {
		return ingest.Raw{}, errf(tpath, "", "%d columns, want one time per line", tn)
	}
	if len(trows) != T {
		return ingest.Raw{}, errf(tpath, "", "%d times for %d samples", len(trows), T)
	}
	tm := make([]float64, T)
	for t, r := range trows {
		tm[t] = r[0]
	}
	dense := mat.NewDense(T, N, nil)
	for t, r := range rows {
		dense.SetRow(t, r)
	}
	notes := []string{
		"traces from " + filepath.Base(gpath) + " (rows are samples), labels from " + filepath.Base(lpath) +
			", time (s) from " + filepath.Base(tpath),
	}
	if dead := allNaNColumns(T, N, dense.At); len(dead) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout, kept (0-based columns): %v", dead))
	}
	return ingest.Raw{
		Dataset: "Leifer2023",
		Worm:    strconv.Itoa(i),
		RawFile: gpath,
		Labels:  labels,
		Time:    tm,
		Traces:  dense,
		Notes:   notes,
	}, nil
}

// readTextMatrix reads whitespace-separated numbers, one row per non-blank
// line, every row with the same number of columns; numbers are parsed by
// csvtab.ParseFloat ("nan" in any case is NaN). The files have no header
// row, so they are not csvtab tables (whose first line names the columns);
// faults are *csvtab.Error all the same, naming file:line:column.
func readTextMatrix(path string) ([][]float64, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, wrap(path, "", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), csvtab.MaxLine)
	var rows [][]float64
	width := -1
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if width < 0 {
			width = len(fields)
		} else if len(fields) != width {
			return nil, 0, &csvtab.Error{File: path, Line: line, Column: min(width, len(fields)) + 1,
				Msg: fmt.Sprintf("%d values, earlier lines have %d", len(fields), width), Err: neurotab.ErrMalformed}
		}
		row := make([]float64, width)
		for j, s := range fields {
			v, err := csvtab.ParseFloat(s)
			if err != nil {
				return nil, 0, &csvtab.Error{File: path, Line: line, Column: j + 1,
					Msg: fmt.Sprintf("%q is not a number", s), Err: neurotab.ErrMalformed}
			}
			row[j] = v
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, 0, &csvtab.Error{File: path, Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes", csvtab.MaxLine), Err: neurotab.ErrTooLarge}
		}
		return nil, 0, &csvtab.Error{File: path, Line: line + 1, Err: err}
	}
	if width < 0 {
		width = 0
	}
	return rows, width, nil
}

// readLines returns the lines of a text file without line ends. A final
// newline does not start another line; blank lines are kept (they are
// unidentified neurons).
func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	if len(b) == 0 {
		return []string{}, nil
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines, nil
}

package table

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// batchSource streams the record batches of a table path: one Parquet or
// Arrow IPC file, or every data file of a hive-partitioned folder in
// natural order (DataFiles). Only one batch is held at a time.
type batchSource struct {
	root      string
	files     []string
	mem       memory.Allocator
	batchRows func(File) int64 // rows per batch for a file
	ctx       context.Context

	i    int // index of the open file in files
	f    File
	rr   array.RecordReader
	row  int64 // rows of the open file before the current batch
	n    int64 // rows of the current batch
	part []Partition
}

func newBatchSource(path string, mem memory.Allocator, batchRows func(File) int64) (*batchSource, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	files, err := DataFiles(path)
	if err != nil {
		return nil, err
	}
	return &batchSource{root: path, files: files, mem: mem, batchRows: batchRows, ctx: context.Background(), i: -1}, nil
}

// next returns the following non-empty batch (valid until the next call),
// io.EOF after the last file. A panic of the decoder on a corrupt file is
// an error naming the file.
func (s *batchSource) next() (rec arrow.RecordBatch, err error) {
	defer recoverAs(&err, s.file())
	s.row += s.n
	s.n = 0
	for {
		if s.rr != nil {
			if s.rr.Next() {
				rec := s.rr.RecordBatch()
				if rec.NumRows() == 0 {
					continue
				}
				s.n = rec.NumRows()
				return rec, nil
			}
			if err := s.rr.Err(); err != nil {
				return nil, fmt.Errorf("%s: row %d: %v: %w", s.file(), s.row, neurotab.OneLine(err), neurotab.ErrMalformed)
			}
		}
		if err := s.closeFile(); err != nil {
			return nil, err
		}
		if s.i+1 >= len(s.files) {
			return nil, io.EOF
		}
		s.i++
		if err := s.openFile(); err != nil {
			return nil, err
		}
	}
}

func (s *batchSource) openFile() (err error) {
	name := s.files[s.i]
	if s.part, err = filePartitions(s.root, name); err != nil {
		return err
	}
	f, err := Open(name, s.mem)
	if err != nil {
		return err
	}
	s.f = f
	defer recoverAs(&err, name)
	s.rr, err = s.f.Records(s.ctx, s.batchRows(s.f))
	s.row = 0
	return err
}

func (s *batchSource) closeFile() error {
	if s.rr != nil {
		s.rr.Release()
		s.rr = nil
	}
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// file is the file being read.
func (s *batchSource) file() string {
	if s.i < 0 || s.i >= len(s.files) {
		return s.root
	}
	return s.files[s.i]
}

// kind is the table kind the open file's metadata names, if any.
func (s *batchSource) kind() (Kind, bool) {
	if s.f == nil {
		return "", false
	}
	v, ok := s.f.Metadata().GetValue(MetaTable)
	return Kind(v), ok
}

func (s *batchSource) close() error {
	s.i = len(s.files)
	return s.closeFile()
}

// DataFiles lists the table files of path: path itself when it is a file;
// for a folder (a hive-partitioned dataset), every file below it whose
// name ends in .parquet, .arrow, .feather or .ipc, hidden files and folders
// (an interrupted write's temporaries) left out, in natural order: folders
// and names compare digit runs as numbers, so part-2 comes before part-10.
func DataFiles(path string) ([]string, error) {
	files, err := visibleFiles(path, func(p string) bool {
		switch filepath.Ext(p) {
		case ".parquet", ".arrow", ".feather", ".ipc":
			return true
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .parquet or .arrow files in the folder: %w", path, neurotab.ErrNotFound)
	}
	slices.SortFunc(files, naturalCompare)
	return files, nil
}

// visibleFiles is path itself when it is a file; for a folder, the regular
// files below it that keep accepts, hidden files and folders left out (an
// interrupted write's ".*.tmp-*"), in walk order.
func visibleFiles(path string, keep func(string) bool) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && keep(p) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

// naturalCompare orders strings with digit runs compared as numbers.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := len(x) - len(y); c != 0 {
				return c
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			if c := da - db; c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// filePartitions parses the key=value folders between root and file.
func filePartitions(root, file string) ([]Partition, error) {
	if root == file {
		return nil, nil
	}
	rel, err := filepath.Rel(root, filepath.Dir(file))
	if err != nil || rel == "." {
		return nil, err
	}
	parts, err := ParsePartitionDir(rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return parts, nil
}

package table

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
)

// FuzzOpenRecordings feeds damaged traces files (Parquet and Arrow IPC) to
// the recording reader: it returns recordings or an error, never panics,
// and an error on a file is one line naming it.
func FuzzOpenRecordings(f *testing.F) {
	dir := f.TempDir()
	rec := tracesOf(f, nil, testRecordings()...)
	pq, ipcPath := filepath.Join(dir, "s.parquet"), filepath.Join(dir, "s.arrow")
	if err := WriteParquet(pq, Traces, Provenance{}, nil, &WriteOptions{RowGroupBytes: 200, Compression: "none"}, rec); err != nil {
		f.Fatal(err)
	}
	if err := WriteIPC(ipcPath, Traces, Provenance{}, nil, &WriteOptions{Compression: "none"}, rec); err != nil {
		f.Fatal(err)
	}
	rec.Release()
	for _, p := range []string{pq, ipcPath} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint32(len(b)/2), byte(0xff))
		f.Add(b, uint32(len(b)/3), byte(0x00))
		f.Add(b[:len(b)-10], uint32(0), byte('P'))
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint32, v byte) {
		if len(data) > 0 {
			data = bytes.Clone(data)
			data[int(at)%len(data)] ^= v
		}
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rr, err := OpenRecordings(path, nil)
		if err != nil {
			t.Fatal(err) // a file path always opens; errors come from Next
		}
		defer rr.Close()
		for {
			_, err := rr.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				msg := err.Error()
				if !bytes.HasPrefix([]byte(msg), []byte(path)) || bytes.ContainsRune([]byte(msg), '\n') {
					t.Fatalf("error %q: want one line starting with the file", msg)
				}
				if !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrShape) {
					t.Fatalf("error %v wraps neither ErrMalformed nor ErrShape", err)
				}
				return
			}
		}
	})
}

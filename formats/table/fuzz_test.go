package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
)

// FuzzOpenRecordings feeds damaged traces files (Parquet and Arrow IPC) to
// the recording reader: it returns recordings or an error, never panics,
// and an error on a file is one line naming it. The IPC seed is
// uncompressed: arrow-go trusts the 8-byte uncompressed length that
// prefixes each compressed IPC buffer (ipc/file_reader.go, ipcSource.buffer)
// and allocates it, a damage this package does not check yet.
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

// TestIPCDamagedFooter flips every byte of an IPC file's footer (the
// schema arrow-go decodes at open). Before checkIPCFooter, a flipped
// key-value count made arrow-go allocate a slice of billions of strings
// and the process died; now each damaged file opens or fails with an
// error wrapping ErrMalformed, and one that opens reads to the end or to
// an error.
func TestIPCDamagedFooter(t *testing.T) {
	dir := t.TempDir()
	rec := tracesOf(t, nil, testRecordings()[:2]...)
	good := filepath.Join(dir, "good.arrow")
	err := WriteIPC(good, Traces, Provenance{Command: []string{"x"}}, nil, &WriteOptions{Compression: "none"}, rec)
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	footer := int(binary.LittleEndian.Uint32(b[len(b)-10:]))
	bad := filepath.Join(dir, "bad.arrow")
	opened := 0
	for i := len(b) - 10 - footer; i < len(b); i++ {
		d := bytes.Clone(b)
		d[i] ^= 0xff
		if err := os.WriteFile(bad, d, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := OpenIPC(bad, nil)
		if err != nil {
			if !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrTruncated) {
				t.Fatalf("byte %d: %v wraps no sentinel", i, err)
			}
			continue
		}
		opened++
		f.Close()
		if _, err := readAllRecordings(t, bad, nil); err != nil && !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrShape) {
			t.Fatalf("byte %d: %v", i, err)
		}
	}
	t.Logf("%d footer bytes flipped, %d files still opened", footer+10, opened)
}

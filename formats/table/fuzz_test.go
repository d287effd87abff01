package table

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	zstdPath := filepath.Join(dir, "z.arrow")
	if err := WriteIPC(zstdPath, Traces, Provenance{}, nil, nil, rec); err != nil {
		f.Fatal(err)
	}
	rec.Release()
	for _, p := range []string{pq, ipcPath, zstdPath} {
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

// TestIPCDamaged flips bytes of IPC files. Before checkIPCFooter and
// checkIPCBlock, a flipped key-value count in the footer, or a flipped
// uncompressed-length prefix of a compressed buffer, made arrow-go
// allocate terabytes and the process died. Now each damaged file opens or
// fails with an error wrapping a sentinel, and one that opens reads to the
// end or to such an error. The uncompressed file has its footer flipped
// byte by byte, the compressed ones every byte.
func TestIPCDamaged(t *testing.T) {
	dir := t.TempDir()
	rec := tracesOf(t, nil, testRecordings()[:2]...)
	defer rec.Release()
	for _, codec := range []string{"none", "zstd", "lz4"} {
		t.Run(codec, func(t *testing.T) {
			good := filepath.Join(dir, codec+".arrow")
			if err := WriteIPC(good, Traces, Provenance{Command: []string{"x"}}, nil, &WriteOptions{Compression: codec}, rec); err != nil {
				t.Fatal(err)
			}
			if codec != "none" && testing.Short() {
				t.Skip("every byte of a compressed file: slow")
			}
			b, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			from := 0
			if codec == "none" {
				from = len(b) - 10 - int(binary.LittleEndian.Uint32(b[len(b)-10:]))
			}
			bad := filepath.Join(dir, "bad.arrow")
			opened := 0
			for i := from; i < len(b); i++ {
				d := bytes.Clone(b)
				d[i] ^= 0xff
				if err := os.WriteFile(bad, d, 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := readAllRecordings(t, bad, nil)
				if err == nil {
					opened++
					continue
				}
				if !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrShape) && !errors.Is(err, neurotab.ErrUnsupported) {
					t.Fatalf("byte %d: %v wraps no sentinel", i, err)
				}
			}
			t.Logf("%d bytes flipped, %d files still read", len(b)-from, opened)
		})
	}
	t.Run("declared length", func(t *testing.T) {
		good := filepath.Join(dir, "zstd.arrow")
		b, _ := os.ReadFile(good)
		at := bytes.Index(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) // the first zstd frame, after its 8-byte length
		if at < 8 {
			t.Fatal("no zstd frame in a zstd IPC file")
		}
		binary.LittleEndian.PutUint64(b[at-8:], 1<<40)
		bad := filepath.Join(dir, "len.arrow")
		os.WriteFile(bad, b, 0o644)
		_, err := readAllRecordings(t, bad, nil)
		if !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "declares 1099511627776 uncompressed bytes, holds") ||
			!strings.HasPrefix(err.Error(), bad+": ") {
			t.Fatalf("a buffer declaring 1 TiB: %v", err)
		}
	})
}

package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab/formats/table"
)

// testGlobals returns Globals writing into buffers, as a command run gets
// them, with a fixed command line for provenance.
func testGlobals() (*Globals, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Globals{Stdout: &out, Stderr: &errb, Args: []string{"neurotab", "test"}}, &out, &errb
}

// sha256File is the SHA-256 of a file, in hex, computed here independently
// of table.HashFile.
func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// readTable returns the provenance and the whole record of a Parquet table.
// Release the record.
func readTable(t *testing.T, path string) (table.Provenance, table.Kind, arrow.RecordBatch) {
	t.Helper()
	prov, kind, _, rec := openAny(t, path)
	return prov, kind, rec
}

// wantSources checks that prov lists exactly the files paths, in order,
// each with its size and SHA-256.
func wantSources(t *testing.T, prov table.Provenance, paths ...string) {
	t.Helper()
	if len(prov.Sources) != len(paths) {
		t.Fatalf("sources %+v, want %v", prov.Sources, paths)
	}
	for i, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		s := prov.Sources[i]
		if s.Path != p || s.Bytes != st.Size() || s.SHA256 != sha256File(t, p) {
			t.Errorf("source %d = %+v, want %s (%d bytes, sha256 %s)", i, s, p, st.Size(), sha256File(t, p))
		}
	}
}

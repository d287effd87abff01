package connectome

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

const witvlietSheet = "xl/worksheets/sheet1.xml" // sheet "witvliet_2020_1 L1"

// zipEntry returns the offset of the zip record with signature sig whose
// name (its length at lenAt, the name at nameAt) is name.
func zipEntry(t *testing.T, b []byte, sig uint32, lenAt, nameAt int, name string) int {
	t.Helper()
	var s [4]byte
	binary.LittleEndian.PutUint32(s[:], sig)
	for off := 0; ; {
		i := bytes.Index(b[off:], s[:])
		if i < 0 {
			t.Fatalf("no zip record %#x for %s", sig, name)
		}
		off += i
		n := int(binary.LittleEndian.Uint16(b[off+lenAt:]))
		if off+nameAt+n <= len(b) && string(b[off+nameAt:off+nameAt+n]) == name {
			return off
		}
		off += 4
	}
}

// damagedXLSX copies witvliet_2020_1.xlsx into a temporary directory,
// lets patch change its bytes and writes it there.
func damagedXLSX(t *testing.T, patch func(*testing.T, []byte)) string {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, "c302", "witvliet_2020_1.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	patch(t, b)
	p := filepath.Join(t.TempDir(), "w.xlsx")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// crcFlip flips one bit of a byte in the middle of the sheet's compressed data, at
// the first position where the stream still inflates but archive/zip
// reports a CRC-32 mismatch.
func crcFlip(t *testing.T, b []byte) {
	t.Helper()
	loc := zipEntry(t, b, 0x04034b50, 26, 30, witvlietSheet)
	data := loc + 30 + int(binary.LittleEndian.Uint16(b[loc+26:])) + int(binary.LittleEndian.Uint16(b[loc+28:]))
	// The local header may defer the sizes to a data descriptor: take the
	// compressed size from the central directory.
	cd := zipEntry(t, b, 0x02014b50, 28, 46, witvlietSheet)
	n := int(binary.LittleEndian.Uint32(b[cd+20:]))
	for i := data + n/2; i < data+n; i++ {
		for bit := byte(1); bit != 0; bit <<= 1 {
			b[i] ^= bit
			if errors.Is(readMember(b, witvlietSheet), zip.ErrChecksum) {
				return
			}
			b[i] ^= bit
		}
	}
	t.Fatal("no byte flip gives a CRC mismatch")
}

func readMember(b []byte, name string) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	rc, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// TestDamagedXLSX: a central directory declaring a 4 GiB sheet is
// neurotab.ErrTooLarge before the spreadsheet library allocates; a byte
// flip inside the compressed sheet is neurotab.ErrChecksum, not an import
// with rows missing. Both errors are one line naming the file and sheet.
func TestDamagedXLSX(t *testing.T) {
	for _, tc := range []struct {
		name  string
		patch func(*testing.T, []byte)
		want  error
		msg   string
	}{
		{"central directory size 4 GiB", func(t *testing.T, b []byte) {
			cd := zipEntry(t, b, 0x02014b50, 28, 46, witvlietSheet)
			binary.LittleEndian.PutUint32(b[cd+24:], 0xfffffff0)
		}, neurotab.ErrTooLarge, "declares 4294967280 bytes"},
		{"central directory size 100 MB", func(t *testing.T, b []byte) {
			cd := zipEntry(t, b, 0x02014b50, 28, 46, witvlietSheet)
			binary.LittleEndian.PutUint32(b[cd+24:], 100<<20)
		}, neurotab.ErrTooLarge, "declares 104857600 bytes"},
		{"flipped byte in sheet", func(t *testing.T, b []byte) { crcFlip(t, b) }, neurotab.ErrChecksum, "CRC-32 does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := damagedXLSX(t, tc.patch)
			edges, err := ImportWitvliet(p, Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %d edges, error %v; want %v", len(edges), err, tc.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, p+`: sheet "witvliet_2020_1 L1"`) || !strings.Contains(msg, tc.msg) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s, sheet \"witvliet_2020_1 L1\" and %q", msg, p, tc.msg)
			}
		})
	}
}

package events

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Format names returned by Sniff and used in Geometry.Format.
const (
	FormatEVT2   = "evt2"
	FormatEVT3   = "evt3"
	FormatEVT21  = "evt21"
	FormatDAT    = "dat"
	FormatNMNIST = "nmnist"
	FormatAEDAT2 = "aedat2"
	FormatAEDAT3 = "aedat3"
	FormatAEDAT4 = "aedat4"
)

// Sniff names the event format of a file from its first bytes (a few KiB are
// enough), or returns "" when it cannot tell:
//
//	"#!AER-DAT4.0" / "#!AER-DAT3.1" / "#!AER-DAT2.0"   → aedat4 / aedat3 / aedat2 (iniVation)
//	'%' header with "% evt 2.0" or "% format EVT2"     → evt2  (Prophesee RAW)
//	'%' header with "% evt 3.0" or "% format EVT3"     → evt3
//	'%' header with "% evt 2.1" or "% format EVT21"    → evt21 (recognized, not decoded here)
//	any other '%' header                               → dat   (Prophesee DAT)
//
// N-MNIST files have no header at all; SniffFile recognizes them by name.
func Sniff(header []byte) string {
	if bytes.HasPrefix(header, []byte("#!AER-DAT")) {
		rest := header[len("#!AER-DAT"):]
		switch {
		case bytes.HasPrefix(rest, []byte("4.")):
			return FormatAEDAT4
		case bytes.HasPrefix(rest, []byte("3.")):
			return FormatAEDAT3
		case bytes.HasPrefix(rest, []byte("2.")), bytes.HasPrefix(rest, []byte("1.")):
			return FormatAEDAT2
		}
		return ""
	}
	if len(header) == 0 || header[0] != '%' {
		return ""
	}
	for len(header) > 0 && header[0] == '%' {
		line := header
		if i := bytes.IndexByte(header, '\n'); i >= 0 {
			line, header = header[:i], header[i+1:]
		} else {
			header = nil
		}
		s := strings.TrimSpace(strings.TrimPrefix(string(line), "%"))
		key, val, _ := strings.Cut(s, " ")
		val = strings.TrimSpace(val)
		switch strings.ToLower(key) {
		case "evt":
			switch val {
			case "2.0":
				return FormatEVT2
			case "3.0":
				return FormatEVT3
			case "2.1":
				return FormatEVT21
			}
		case "format":
			f, _, _ := strings.Cut(strings.ToUpper(val), ";")
			switch f {
			case "EVT2":
				return FormatEVT2
			case "EVT3":
				return FormatEVT3
			case "EVT21":
				return FormatEVT21
			}
		case "end":
			return FormatDAT
		}
	}
	return FormatDAT
}

// SniffFile is Sniff with the file name as a fallback: a header Sniff does not
// recognize in a file named *.bin is N-MNIST / N-Caltech101 (which has no
// header), *.dat is DAT, *.aedat4 is AEDAT 4; and a *.raw file whose '%'
// header has no "evt"/"format" line is EVT 2.0 (Prophesee's default before
// the "evt" key existed) rather than DAT.
func SniffFile(name string, header []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	f := Sniff(header)
	if f == FormatDAT && ext == ".raw" {
		return FormatEVT2
	}
	if f != "" {
		return f
	}
	switch ext {
	case ".bin":
		return FormatNMNIST
	case ".dat":
		return FormatDAT
	case ".aedat4":
		return FormatAEDAT4
	}
	return ""
}

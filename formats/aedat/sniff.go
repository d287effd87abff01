package aedat

import (
	"bufio"
	"bytes"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Sniff reports the AEDAT version named by the version line at the start of
// header ("#!AER-DATx.y", iniVation "AEDAT File Formats", common version
// header): version is "x.y" (e.g. "4.0", "3.1", "2.0") and ok is true when
// header starts with such a line. A file without a version line may still be
// AEDAT 1.0, which the format cannot tell apart from other data; Sniff
// reports ok = false for it. Sixteen bytes of header suffice.
func Sniff(header []byte) (version string, ok bool) {
	const prefix = "#!AER-DAT"
	if !bytes.HasPrefix(header, []byte(prefix)) {
		return "", false
	}
	rest := header[len(prefix):]
	i := 0
	digits := func() bool {
		j := i
		for i < len(rest) && i-j < 3 && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		return i > j
	}
	if !digits() || i >= len(rest) || rest[i] != '.' {
		return "", false
	}
	i++
	if !digits() {
		return "", false
	}
	if i < len(rest) && rest[i] != '\r' && rest[i] != '\n' {
		return "", false
	}
	return string(rest[:i]), true
}

// NewDecoder sniffs the version line of r and returns the matching decoder:
// *Decoder4, *Decoder31 or *Decoder2. Other versions (1.0, 3.0) fail with
// neurotab.ErrUnsupported, data without a version line with neurotab.ErrMalformed.
func NewDecoder(r io.Reader, opts Options) (events.Decoder, error) {
	var in io.Reader
	var head []byte
	if rs, ok := r.(io.ReadSeeker); ok {
		// Seekable (os.File, bytes.Reader): peek, seek back, and let the
		// decoder see the input's size.
		cur, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, events.Errorf(opts.Name, 0, err, "seeking")
		}
		var h [16]byte
		n, _ := io.ReadFull(rs, h[:])
		head = h[:n]
		if _, err := rs.Seek(cur, io.SeekStart); err != nil {
			return nil, events.Errorf(opts.Name, 0, err, "seeking")
		}
		in = r
	} else {
		br := bufio.NewReaderSize(r, 64<<10)
		head, _ = br.Peek(16)
		in = br
	}
	v, ok := Sniff(head)
	if !ok {
		return nil, events.Errorf(opts.Name, 0, neurotab.ErrMalformed, "no #!AER-DATx.y version line")
	}
	switch v {
	case "4.0":
		return NewDecoder4(in, opts)
	case "3.1":
		return NewDecoder31(in, opts)
	case "2.0":
		return NewDecoder2(in, opts)
	}
	return nil, events.Errorf(opts.Name, 0, neurotab.ErrUnsupported, "AEDAT version %s", v)
}

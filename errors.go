package neurotab

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors: the one vocabulary of what went wrong. Every error a
// neurotab package returns wraps one of them (test with errors.Is); the
// wrapping error names the file and the location, or the package.
//
// ErrTruncated, ErrChecksum, ErrOutOfRange, ErrTimeOrder and ErrSchema are
// kinds of ErrMalformed: errors.Is(err, ErrMalformed) holds for them too.
var (
	// ErrMalformed: input that breaks its format's rules (a bad magic
	// number, an inconsistent length, a structure that cannot be).
	ErrMalformed error = errors.New("malformed input")
	// ErrTruncated: input that ends inside a header, a record or a value.
	ErrTruncated error = kind("truncated", ErrMalformed)
	// ErrChecksum: a stored checksum that does not match the data.
	ErrChecksum error = kind("checksum mismatch", ErrMalformed)
	// ErrOutOfRange: a field outside its allowed range (a coordinate beyond
	// the sensor, a polarity of 2, an index past its table).
	ErrOutOfRange error = kind("value out of range", ErrMalformed)
	// ErrTimeOrder: a timestamp earlier than the one before it.
	ErrTimeOrder error = kind("time runs backwards", ErrMalformed)
	// ErrSchema: a table that breaks its canonical schema.
	ErrSchema error = kind("table breaks its schema", ErrMalformed)

	// ErrTooLarge: a declared size beyond the input's size or an allocation
	// cap (a decompression bomb, a corrupt length).
	ErrTooLarge = errors.New("too large")
	// ErrUnsupported: a valid construct that neurotab does not read (a
	// format version, a filter, a compression).
	ErrUnsupported = errors.New("unsupported")
	// ErrNotFound: a path, variable, field, column or name that is absent.
	ErrNotFound = errors.New("not found")
	// ErrType: a value of another type than the one asked for.
	ErrType = errors.New("wrong type")

	// ErrNotFinite: a NaN or ±Inf where a finite number is needed.
	ErrNotFinite = errors.New("not finite")
	// ErrShape: dimensions that do not agree (rows of X and Y, a label list
	// and its matrix, too few samples).
	ErrShape = errors.New("shape mismatch")
	// ErrSingular: a matrix that cannot be inverted or factorized reliably.
	ErrSingular = errors.New("singular matrix")
	// ErrParam: a configuration value out of its range or meaningless for
	// the other settings.
	ErrParam = errors.New("invalid parameter")
	// ErrNotFitted: a result asked of an estimator before a Fit.
	ErrNotFitted = errors.New("not fitted")
	// ErrInUse: an output another process is writing (its advisory lock is
	// held), or a folder holding another run's output.
	ErrInUse = errors.New("output in use")
)

// subKind is a sentinel that is also a kind of a broader one.
type subKind struct {
	msg    string
	parent error
}

func kind(msg string, parent error) error { return &subKind{msg, parent} }

func (e *subKind) Error() string { return e.msg }

// Is makes errors.Is(e, parent) true.
func (e *subKind) Is(target error) bool { return target == e.parent }

// OneLine returns err's message on one line: the house rule for messages,
// kept even where a library joins several errors (errors.Join puts each on
// its own line) or a path holds a line break. Each line break becomes "; ".
// A quoted value longer than MaxQuoted characters (a damaged file's 16 MB
// line, a run of NUL bytes) is cut to MaxQuoted with "…", and other control
// bytes are escaped, and the whole message is cut at 1,000 characters, so a message stays short and printable whatever the
// input held.
func OneLine(err error) string {
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	var b strings.Builder
	for len(msg) > 0 {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			writeEscaped(&b, msg)
			break
		}
		writeEscaped(&b, msg[:i])
		msg = msg[i:]
		q, qerr := strconv.QuotedPrefix(msg)
		if qerr != nil {
			b.WriteByte('"')
			msg = msg[1:]
			continue
		}
		msg = msg[len(q):]
		if v, uerr := strconv.Unquote(q); uerr == nil && utf8.RuneCountInString(v) > MaxQuoted {
			q = Quote(v)
		}
		b.WriteString(q)
	}
	out := b.String()
	if utf8.RuneCountInString(out) > maxMessage {
		n := 0
		for i := range out {
			if n == maxMessage {
				return out[:i] + "…"
			}
			n++
		}
	}
	return out
}

// maxMessage bounds a whole message from OneLine, in characters.
const maxMessage = 1000

// writeEscaped writes s with control bytes other than tab escaped.
func writeEscaped(b *strings.Builder, s string) {
	for _, r := range s {
		if r != '\t' && unicode.IsControl(r) {
			fmt.Fprintf(b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
}

// MaxQuoted is the most characters of a value that Quote and OneLine
// reproduce in a message.
const MaxQuoted = 80

// Quote returns v Go-quoted for a message (control bytes and invalid UTF-8
// escaped), cut to MaxQuoted characters with "…" after the closing quote
// when longer: the one way a value read from a file enters a message.
func Quote(v string) string {
	if utf8.RuneCountInString(v) <= MaxQuoted {
		return strconv.Quote(v)
	}
	n := 0
	for i := range v {
		if n == MaxQuoted {
			return strconv.Quote(v[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(v)
}

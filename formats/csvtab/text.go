package csvtab

import "unicode/utf8"

// UTF8 returns s when it is valid UTF-8, and otherwise s read as Latin-1
// (ISO 8859-1: each byte one character, the encoding of many older lab
// files and spreadsheets exported on Windows) with ok false, so that every
// string a table holds is valid UTF-8 as Parquet readers require and the
// caller can say what it re-read.
func UTF8(s string) (out string, ok bool) {
	if utf8.ValidString(s) {
		return s, true
	}
	rs := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		rs[i] = rune(s[i])
	}
	return string(rs), false
}

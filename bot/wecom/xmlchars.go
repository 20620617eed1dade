package wecom

import "unicode/utf8"

// xmlChars drops what XML 1.0 forbids from a decrypted message — control
// characters other than tab, newline and carriage return, U+FFFE and U+FFFF,
// and UTF-8-encoded surrogate halves — and keeps every other byte. A rep who
// pastes text with a stray control character still gets the message stored;
// refusing it would only make WeCom retry the same bytes and then drop them.
func xmlChars(b []byte) []byte {
	var out []byte // nil until something is dropped
	for i := 0; i < len(b); {
		if n := forbiddenAt(b[i:]); n > 0 {
			if out == nil {
				out = append(make([]byte, 0, len(b)), b[:i]...)
			}
			i += n
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		if out != nil {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

// forbiddenAt is the length of the forbidden character that b starts with,
// or 0 when b starts with an allowed one (or with bytes that are not UTF-8
// at all, which are kept for the parser to judge).
func forbiddenAt(b []byte) int {
	c := b[0]
	if c < 0x20 {
		if c == '\t' || c == '\n' || c == '\r' {
			return 0
		}
		return 1
	}
	// A surrogate half (U+D800–U+DFFF) in UTF-8 form: ED A0–BF 80–BF.
	if c == 0xED && len(b) >= 3 && b[1] >= 0xA0 && b[1] <= 0xBF && b[2] >= 0x80 && b[2] <= 0xBF {
		return 3
	}
	if r, size := utf8.DecodeRune(b); r == 0xFFFE || r == 0xFFFF {
		return size
	}
	return 0
}

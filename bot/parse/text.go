package parse

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// msg is one message prepared for scanning, plus what the rule families
// find in it. It lives for one Parse call.
type msg struct {
	src   []rune    // as written (invalid UTF-8 replaced)
	t     []rune    // normalised: full-width ASCII folded, Latin lower-cased
	today time.Time // the message's day, at midnight UTC (calendar arithmetic only)
	hour  int       // the hour the message was sent
	hits  []hit     // lexicon words found, in text order

	dates     []dateMention
	known     []custMatch // known customers found, in text order, non-overlapping
	contacts  []contactMatch
	excluded  []contactMatch // colleagues and absent people
	org       span           // the organisation taken as written, if any (end > start)
	resembles []string       // known customers whose alias the organisation written begins with
	masked    []span
	denied    []span    // the X of each 不是X是Y (see denials.go)
	sums      []money   // the sums of money read, with their classes (see amount)
	pos       []posInfo // see indexPositions
}

// span is a half-open range of rune positions.
type span struct{ start, end int }

func (s span) has(i int) bool { return i >= s.start && i < s.end }

// prepare normalises text and scans it with the lexicon table.
func prepare(text string, at time.Time, tab *table) *msg {
	n := utf8.RuneCountInString(text)
	buf := make([]rune, 2*n)
	src := buf[:0:n]
	marked := false
	for _, r := range text {
		src = append(src, r)
		marked = marked || markupRune(r)
	}
	if marked {
		src = unmark(src) // in place; see markup.go
	}
	m := &msg{src: src, t: buf[n : n+len(src)]}
	for i, r := range src {
		m.t[i] = fold(r)
	}
	y, mo, d := at.Date()
	m.today = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	m.hour = at.Hour()
	m.hits = tab.scan(m.t, m.hits)
	return m
}

// fold maps full-width ASCII to ASCII, the ideographic space to a space and
// Latin capitals to lower case.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	if r >= 'A' && r <= 'Z' {
		return r + ('a' - 'A')
	}
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isLatin(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isHan(r rune) bool   { return r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF }
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r)
}
func isAlnum(r rune) bool    { return isDigit(r) || isLatin(r) }
func isNameRune(r rune) bool { return isHan(r) || isAlnum(r) }

// isSentenceBreak reports whether t[i] ends a sentence (amount context does
// not cross it).
func isSentenceBreak(t []rune, i int) bool {
	switch t[i] {
	case '。', '!', '?', ';', '\n', '\r', '…':
		return true
	case '.':
		return !(i > 0 && isDigit(t[i-1]) && i+1 < len(t) && isDigit(t[i+1]))
	}
	return false
}

// isClauseBreak reports whether t[i] separates clauses: sentence breaks,
// commas, colons, brackets and list marks. Whitespace is not included; see
// isTightBreak.
func isClauseBreak(t []rune, i int) bool {
	switch t[i] {
	case ',', '，', '、', ':', '(', ')', '【', '】', '[', ']', '「', '」', '《', '》', '~', '+', '～':
		return true
	}
	return isSentenceBreak(t, i)
}

// isTightBreak is isClauseBreak plus whitespace: the clauses of terse,
// space-separated messages ("华辰集团 刘总 电话 报价50w").
func isTightBreak(t []rune, i int) bool {
	return isClauseBreak(t, i) || isSpace(t[i])
}

// clauseStart returns the first position of the clause holding i.
func clauseStart(t []rune, i int, tight bool) int {
	for j := i - 1; j >= 0; j-- {
		if isClauseBreak(t, j) || tight && isSpace(t[j]) {
			return j + 1
		}
	}
	return 0
}

// clauseEnd returns the end (exclusive) of the clause holding i.
func clauseEnd(t []rune, i int, tight bool) int {
	for j := i; j < len(t); j++ {
		if isClauseBreak(t, j) || tight && isSpace(t[j]) {
			return j
		}
	}
	return len(t)
}

// sentenceStart returns the first position of the sentence holding i.
func sentenceStart(t []rune, i int) int {
	for j := i - 1; j >= 0; j-- {
		if isSentenceBreak(t, j) {
			return j + 1
		}
	}
	return 0
}

// hasAt reports whether t holds w at i.
func hasAt(t []rune, i int, w []rune) bool {
	if i < 0 || i+len(w) > len(t) {
		return false
	}
	for k, r := range w {
		if t[i+k] != r {
			return false
		}
	}
	return true
}

// hasStrAt is hasAt for a string (ASCII or Han, no allocation).
func hasStrAt(t []rune, i int, s string) bool {
	if i < 0 {
		return false
	}
	for _, r := range s {
		if i >= len(t) || t[i] != r {
			return false
		}
		i++
	}
	return true
}

// endsWithStr reports whether t[:end] ends with s.
func endsWithStr(t []rune, end int, s string) bool {
	n := utf8.RuneCountInString(s)
	return end-n >= 0 && hasStrAt(t, end-n, s)
}

// containsStr reports whether t[from:to] contains s.
func containsStr(t []rune, from, to int, s string) bool {
	return indexStr(t, from, to, s) >= 0
}

// indexStr returns the first position of s in t[from:to], or -1.
func indexStr(t []rune, from, to int, s string) int {
	if from < 0 {
		from = 0
	}
	if to > len(t) {
		to = len(t)
	}
	first, size := utf8.DecodeRuneInString(s)
	n := utf8.RuneCountInString(s)
	for i := from; i+n <= to; i++ {
		if t[i] == first && hasStrAt(t[i+1:], 0, s[size:]) {
			return i
		}
	}
	return -1
}

// runes converts a word list for the tables.
func runes(ss ...string) [][]rune {
	out := make([][]rune, len(ss))
	for i, s := range ss {
		out[i] = []rune(s)
	}
	return out
}

// runeSet builds an immutable set of runes.
func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, len(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

// trimSpan shrinks [a,b) past whitespace and punctuation at both ends.
func trimSpan(t []rune, a, b int) (int, int) {
	for a < b && (isSpace(t[a]) || isClauseBreak(t, a)) {
		a++
	}
	for b > a && (isSpace(t[b-1]) || isClauseBreak(t, b-1)) {
		b--
	}
	return a, b
}

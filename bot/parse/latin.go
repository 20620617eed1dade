package parse

import (
	"strings"
	"unicode"
)

// Latin names in Chinese reports: an organisation written in Latin letters
// (和SAP的Lisa开了个会, 跟 Tencent 的 Amy 视频了, Siemens Healthineers 的
// 王经理) and a person known by an English given name (Lisa, Grace). A
// given name counts as a contact, as written, when it follows 的 (with a
// role between or not: SHEIN 的 供应链总监 Grace) or continues a list of
// such names (Amy 和 Jack). Acronyms (SAP, CRM, POC) are never people.

// latinWordAt returns the end of the Latin word starting at i in t, or i.
func latinWordAt(t []rune, i int) int {
	if i > 0 && isAlnum(t[i-1]) {
		return i
	}
	e := i
	for e < len(t) && isLatin(t[e]) {
		e++
	}
	if e < len(t) && isDigit(t[e]) {
		return i
	}
	return e
}

// givenNameAt reports whether src[i:e] reads as an English given name:
// a capital, then lower-case letters only (Lisa, not SAP or iPhone).
func givenNameAt(src []rune, i, e int) bool {
	if e-i < 2 || e-i > 12 || !unicode.IsUpper(src[i]) {
		return false
	}
	for _, r := range src[i+1 : e] {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// notGivenNames are capitalised words that name things, not people
// (他们的Excel, 我们的Demo).
var notGivenNames = setOf("excel", "word", "office", "windows", "linux", "python", "java", "oracle", "teams", "zoom",
	"demo", "logo", "email", "wechat", "outlook", "chrome", "google", "apple", "android", "iphone", "ipad", "mac",
	"github", "wiki", "erp", "crm", "saas", "cloud", "app", "web", "pdf", "ppt", "online", "offline", "pro", "plus",
	"max", "mini", "lite", "server", "data", "report", "plan", "project", "system", "platform", "team", "sales")

// personFollows reports what may follow a person's given name: a break, a
// space, the end, or a word a person does (Lisa说, Tom微信, Kevin开会).
func personFollows(t []rune, e int) bool {
	if e >= len(t) || isSpace(t[e]) || isClauseBreak(t, e) && t[e] != '.' {
		return true
	}
	return strings.ContainsRune("说开聊打发在和跟与及微电钉吃见视通确反表一那也都对觉认同回让要想问提介约来去请带陪加做给已刚很", t[e])
}

// skipSpacesBack returns the position before the spaces that end at e.
func skipSpacesBack(t []rune, e int) int {
	for e > 0 && t[e-1] == ' ' {
		e--
	}
	return e
}

// findLatinPeople adds the English given names written after 的 (or in a
// list after one) as contacts, unless they are ours, absent or inside a
// known customer's name.
func (m *msg) findLatinPeople() {
	t := m.t
	var prev int = -1 // end of the last Latin person found
	for i := 0; i < len(t); i++ {
		if !isLatin(t[i]) {
			continue
		}
		e := latinWordAt(t, i)
		if e == i {
			for i < len(t) && isAlnum(t[i]) {
				i++
			}
			continue
		}
		ok := givenNameAt(m.src, i, e) && !m.inKnown(i) && !notGivenNames[string(t[i:e])] && personFollows(t, e)
		if ok {
			ok = m.afterOf(i) || prev >= 0 && m.listedAfter(prev, i)
		}
		if ok && (m.colleague(i) || m.absent(i, e)) {
			ok = false
		}
		if ok {
			c := contactMatch{start: i, end: e, given: e - i}
			c.planned = m.plannedAt(i, true)
			m.insertContact(c)
			prev = e
		}
		i = e - 1
	}
}

// afterOf reports 的 before i, with spaces and a role between or not
// (的Lisa, 的 供应链总监 Grace), not after 我们/我司 (our own people).
func (m *msg) afterOf(i int) bool {
	t := m.t
	e := skipSpacesBack(t, i)
	if e > 0 && t[e-1] != '的' {
		if k := m.roleBack(e); k < e {
			e = skipSpacesBack(t, k)
		}
	}
	if e == 0 || t[e-1] != '的' {
		return false
	}
	for _, w := range []string{"我们", "我司", "咱们", "我们公司", "我"} {
		if endsWithStr(t, e-1, w) {
			return false
		}
	}
	return true
}

// listedAfter reports that only 和, 跟, 与, 及, 、 or a comma and spaces
// stand between the end of a Latin person and i (Amy 和 Jack).
func (m *msg) listedAfter(prev, i int) bool {
	t := m.t
	n := 0
	for k := prev; k < i; k++ {
		switch t[k] {
		case ' ':
		case '和', '跟', '与', '及', '、', ',', '&':
			n++
		default:
			return false
		}
	}
	return n == 1
}

// insertContact adds c to the contacts in text order.
func (m *msg) insertContact(c contactMatch) {
	at := len(m.contacts)
	for k, x := range m.contacts {
		if x.start < c.end && c.start < x.end {
			return
		}
		if x.start > c.start && at == len(m.contacts) {
			at = k
		}
	}
	m.contacts = append(m.contacts, contactMatch{})
	copy(m.contacts[at+1:], m.contacts[at:])
	m.contacts[at] = c
}

// latinOrgBefore reads an organisation written in Latin letters right
// before 的 and the person starting at p (SAP的Lisa, Siemens Healthineers 的
// 王经理): up to four words of letters, digits and & . - joined by single
// spaces.
func (m *msg) latinOrgBefore(p int) (span, bool) {
	t := m.t
	if !hasLetter(t[max(0, p-40):p]) {
		return span{}, false
	}
	e := skipSpacesBack(t, p)
	if e > 0 && t[e-1] != '的' {
		if k := m.roleBack(e); k < e {
			e = skipSpacesBack(t, k)
		}
	}
	if e == 0 || t[e-1] != '的' {
		return span{}, false
	}
	e = skipSpacesBack(t, e-1)
	s := e
	words := 0
	for s > 0 && words < 4 {
		k := s
		for k > 0 && (isAlnum(t[k-1]) || t[k-1] == '&' || t[k-1] == '.' || t[k-1] == '-') {
			k--
		}
		if k == s || !isLatin(t[k]) && !isDigit(t[k]) {
			break
		}
		s = k
		words++
		if s >= 2 && t[s-1] == ' ' && isAlnum(t[s-2]) {
			s-- // another word before, one space between
			continue
		}
		break
	}
	if words == 0 {
		return span{}, false
	}
	if t[s] == ' ' {
		s++
	}
	if s >= e || !hasLetter(t[s:e]) {
		return span{}, false
	}
	for _, k := range m.known {
		if s < k.end && k.start < e {
			return span{}, false
		}
	}
	return span{s, e}, true
}

func hasLetter(rs []rune) bool {
	for _, r := range rs {
		if isLatin(r) {
			return true
		}
	}
	return false
}

// roleBack walks back from e over titles and departments (供应链总监,
// 采购部经理), without crossing 的 or Latin letters.
func (m *msg) roleBack(e int) int {
	for e > 0 {
		k, ok := m.roleStepBack(e, false)
		if !ok {
			break
		}
		e = k
	}
	return e
}

// roleStepBack steps back from e over one title or department ending
// there; ok is false when none does. With keepNames, a department word
// that ends an organisation's name (…工程部 in a name) is not stepped over.
func (m *msg) roleStepBack(e int, keepNames bool) (int, bool) {
	t := m.t
	if h, ok := m.lastHitBefore(catTitle, max(0, e-5), e); ok && int(h.end) == e {
		return int(h.pos), true
	}
	if k := deptStart(t, max(0, e-8), e); k >= 0 && k < e {
		return k, true
	}
	for _, d := range departments {
		n := len([]rune(d))
		if n >= 2 && endsWithStr(t, e, d) && !(keepNames && m.suffixOfName(e, n)) {
			return e - n, true
		}
	}
	return e, false
}

// latinNameWords is how many words a Latin organisation's name may have.
const latinNameWords = 4

// notNameWordsLatin end a Latin organisation's name: the word after it is
// not part of it (Acme Robotics and Beta, Acme via phone).
var notNameWordsLatin = setOf("and", "with", "for", "about", "to", "on", "at", "via", "by", "from", "in", "of", "or")

// latinNameEnd extends a Latin name read as [s,e) over single spaces to the
// Latin words after it (拜访了Acme Robotics的John: Acme Robotics), up to
// latinNameWords words. It stops at anything not Latin (的, a verb,
// punctuation), at a channel word (Acme call), at a person found there
// and at a joining word (and, with).
func (m *msg) latinNameEnd(s, e int) int {
	t := m.t
	if e <= s || !isLatin(t[s]) {
		return e
	}
	for k := s; k < e; k++ {
		if !isAlnum(t[k]) {
			return e // a Chinese name: a space ends it
		}
	}
	for words := 1; words < latinNameWords; words++ {
		if e+1 >= len(t) || t[e] != ' ' || !isLatin(t[e+1]) {
			break
		}
		n := e + 1
		for n < len(t) && (isAlnum(t[n]) || t[n] == '&' || t[n] == '-') {
			n++
		}
		if n < len(t) && t[n] == '.' && n+1 < len(t) && isSpace(t[n+1]) {
			n++ // Inc. Ltd.
		}
		if notNameWordsLatin[string(t[e+1:n])] || m.anyHit(catChannel, e+1, n) || m.contactStartsAt(e+1) ||
			givenNameAt(m.src, e+1, n) && n < len(t) && isHan(t[n]) && personFollows(t, n) {
			// Acme John说: a person speaking, not part of the name
			break
		}
		e = n
	}
	return e
}

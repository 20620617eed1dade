package parse

import "strings"

// Markup and stray spacing are transparent to recognition. Reps paste text
// from rich editors (拜访了<b>星海</b>科技公司, **星海科技**), quote names
// (「锦程酒店」, “远山教育”) and dictate with spaces inside words
// (何 总, 星海　科技, 八 十 万). Before scanning, such runes are dropped
// from the message, so every rule sees 星海科技公司, 何总, 八十万 and every
// name taken from the message (customer as written, contacts) is stored
// without the markup: the organisation's or person's name, not the tags
// around it. The message itself is stored by the bot as written; only the
// parse output's names and summary are taken from the cleaned text.

// markupRune reports a rune that may start markup or a space that may sit
// inside a name; a message with none of them skips the pass.
func markupRune(r rune) bool {
	switch r {
	case '<', '*', '_', '~', '`', '"', '&', ' ', '\u3000', '“', '”', '「', '」', '『', '』':
		return true
	}
	return false
}

// unmark returns rs with markup dropped and the spaces inside names joined,
// or rs itself when there is nothing to drop.
func unmark(rs []rune) []rune {
	var drop []bool
	mark := func(a, b int) {
		if drop == nil {
			drop = make([]bool, len(rs))
		}
		for k := a; k < b; k++ {
			drop[k] = true
		}
	}
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '<':
			if e := tagEnd(rs, i); e > i {
				if blockTag(rs, i) {
					rs[i] = '\n' // a line break or paragraph: keep a break
					mark(i+1, e)
				} else {
					mark(i, e)
				}
				i = e - 1
			}
		case '&':
			if e, rep := entity(rs, i); e > i {
				rs[i] = rep
				mark(i+1, e)
				i = e - 1
			}
		case '*', '_', '~', '`':
			e := i
			for e < len(rs) && rs[e] == r {
				e++
			}
			// ** and __ and ~~ always; a single * or ` only next to a name
			// (*星海*); never between digits (3*5).
			n := e - i
			between := i > 0 && e < len(rs) && isDigit(fold(rs[i-1])) && isDigit(fold(rs[e]))
			near := i > 0 && isNameRune(fold(rs[i-1])) || e < len(rs) && isNameRune(fold(rs[e]))
			if !between && (n >= 2 && r != '_' || n >= 2 && r == '_' && near || n == 1 && (r == '*' || r == '`') && near) {
				mark(i, e)
			}
			i = e - 1
		case '“', '”', '「', '」', '『', '』', '"':
			mark(i, i+1)
		}
	}
	for i := 1; i+1 < len(rs); i++ {
		if isSpace(rs[i]) && !isSpace(rs[i-1]) && !isSpace(rs[i+1]) && (drop == nil || !drop[i]) && innerSpace(rs, i) {
			mark(i, i+1)
		}
	}
	if drop == nil {
		return rs
	}
	out := rs[:0]
	for k, r := range rs {
		if !drop[k] {
			out = append(out, r)
		}
	}
	return out
}

// tagEnd returns the end of an HTML-like tag at i (<b>, </font>, <font
// color="red">, <br/>), or i when there is none.
func tagEnd(rs []rune, i int) int {
	k := i + 1
	if k < len(rs) && rs[k] == '/' {
		k++
	}
	if k >= len(rs) || !isLatin(rs[k]) {
		return i
	}
	for j := k; j < len(rs) && j < i+120; j++ {
		switch rs[j] {
		case '>':
			return j + 1
		case '<', '\n':
			return i
		}
	}
	return i
}

// blockTag reports a tag that breaks the line (<br>, <p>, </div>, <li>).
func blockTag(rs []rune, i int) bool {
	k := i + 1
	if k < len(rs) && rs[k] == '/' {
		k++
	}
	e := k
	for e < len(rs) && isLatin(rs[e]) {
		e++
	}
	switch strings.ToLower(string(rs[k:e])) {
	case "br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "hr", "blockquote":
		return true
	}
	return false
}

// entity returns the end of an HTML entity at i and the rune it stands for.
func entity(rs []rune, i int) (int, rune) {
	for _, e := range []struct {
		s string
		r rune
	}{{"&nbsp;", ' '}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}} {
		if hasStrAt(rs, i, e.s) {
			return i + len(e.s), e.r
		}
	}
	return i, 0
}

// innerSpace reports whether the single space at i sits inside a word: a
// lone surname before its title (何 总, 欧阳 经理), a name before an
// organisation suffix (星海 科技), Chinese numerals (八 十 万) or a weekday
// (下周 三).
func innerSpace(rs []rune, i int) bool {
	l, r := fold(rs[i-1]), fold(rs[i+1])
	if !isHan(l) || !isHan(r) {
		return false
	}
	// the Han tokens either side of the space
	a := i - 1
	for a > 0 && isHan(rs[a-1]) {
		a--
	}
	b := i + 1
	for b < len(rs) && isHan(rs[b]) {
		b++
	}
	left, right := rs[a:i], rs[i+1:b]
	if allNumerals(left) && allNumerals(right) {
		return true
	}
	if (endsWithStr(left, len(left), "周") || endsWithStr(left, len(left), "星期") || endsWithStr(left, len(left), "礼拜")) &&
		len(right) == 1 && strings.ContainsRune("一二三四五六日天", r) {
		return true
	}
	// a lone surname, written after a break or 的, then a title
	lone := len(left) == 1 && singleSurnames[l] || len(left) >= 2 && isCompound(left[len(left)-2:]) ||
		len(left) == 2 && left[0] == '的' && singleSurnames[left[1]]
	if lone && startsWithAny(right, titles) {
		return true
	}
	// a name of two to six runes, then an organisation suffix alone
	if len(left) >= 2 && len(left) <= 6 && len(right) <= 7 {
		for _, w := range joinSuffixes {
			if (len(right) == len(w) || len(right) == len(w)+1 && right[len(w)] == '的') && hasAt(right, 0, w) {
				return !endsWithAny(left, orgSuffixes) && !startsWithAny(left, orgStops) && !endsWithAny(left, titles)
			}
		}
	}
	return false
}

// joinSuffixes are the organisation suffixes of two runes or more that a
// space before them does not separate (星海 科技): nounSuffixes left out.
var joinSuffixes = func() [][]rune {
	var out [][]rune
	for _, s := range orgSuffixes {
		if w := []rune(s); len(w) >= 2 && !nounSuffixes[s] {
			out = append(out, w)
		}
	}
	return out
}()

// nounSuffixes end organisation names but are also everyday nouns written
// apart in terse notes (长风汽车 技术 交流): a space before them is kept.
var nounSuffixes = setOf("技术", "信息", "数据", "网络", "智能", "中心", "服务中心", "工程", "材料", "文化", "教育",
	"农业", "汽车", "医疗", "制造", "装备", "仪器", "通信", "自动化", "软件", "建设", "生物", "电商", "餐饮", "贸易",
	"连锁", "股份", "园区", "工厂", "物业", "电器", "食品", "影业", "环保", "水务", "燃气")

func allNumerals(rs []rune) bool {
	for _, r := range rs {
		if !cnNumeral(r) {
			return false
		}
	}
	return true
}

// cnNumeral reports a Chinese numeral or unit rune (八, 十, 万).
func cnNumeral(r rune) bool {
	return strings.ContainsRune("零一二三四五六七八九十两百千万亿", r)
}

func startsWithAny(rs []rune, words []string) bool {
	for _, w := range words {
		if hasStrAt(rs, 0, w) {
			return true
		}
	}
	return false
}

func endsWithAny(rs []rune, words []string) bool {
	for _, w := range words {
		if endsWithStr(rs, len(rs), w) {
			return true
		}
	}
	return false
}

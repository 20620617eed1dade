package parse

import (
	"slices"
	"strconv"
	"strings"

	"salesbot/domain"
)

// Corrections (CONTRACT.md "Reports, plans and conversations"): 改一下，…
// changes every field it names, each with its canonical value; a part that
// cannot be read is returned as written, never dropped and never turned
// into an empty value.

// Change is one field a correction sets.
type Change struct {
	// Field is the record's JSON key (FieldStage, FieldAmount…).
	Field string
	// Value is the new value in canonical form: a stage or channel code,
	// an amount in yuan as digits, a day as YYYY-MM-DD, a customer's name,
	// the contacts joined by "、". Never empty.
	Value string
	// Values holds the contacts of a contacts change, or the candidates
	// when a customer change fits several known customers.
	Values []string
}

// fieldNames name a record's fields in a correction, longest first where
// one holds another.
var fieldNames = []struct{ w, field string }{
	{"拜访日期", FieldVisitDate}, {"拜访时间", FieldVisitDate}, {"拜访日", FieldVisitDate}, {"日期", FieldVisitDate},
	{"哪天", FieldVisitDate},
	{"下次跟进", FieldNextDate}, {"跟进日期", FieldNextDate}, {"跟进时间", FieldNextDate}, {"回访时间", FieldNextDate},
	{"下次", FieldNextDate}, {"时间", FieldVisitDate},
	{"下一步", FieldNextAction}, {"跟进事项", FieldNextAction},
	{"合同金额", FieldAmount}, {"合同额", FieldAmount}, {"金额", FieldAmount}, {"价格", FieldAmount}, {"报价", FieldAmount},
	{"预算", FieldAmount}, {"多少钱", FieldAmount},
	{"项目阶段", FieldStage}, {"阶段", FieldStage}, {"进度", FieldStage},
	{"联系人", FieldContacts}, {"对接人", FieldContacts}, {"见的人", FieldContacts}, {"拜访对象", FieldContacts},
	{"拜访方式", FieldChannel}, {"沟通方式", FieldChannel}, {"方式", FieldChannel}, {"渠道", FieldChannel},
	{"客户名称", FieldCustomer}, {"客户名", FieldCustomer}, {"客户", FieldCustomer},
}

// valueCues stand between a field and its new value (金额改成80万).
var valueCues = []string{"应该是", "改成了", "改成", "改为", "改到", "换成", "调整为", "调整到", "调到", "写成", "更正为", "更新为",
	"是", "为", "成", ":"}

// correctionFillers carry no value (改一下, 不对, 刚才那条…).
var correctionFillers = []string{"改一下", "改下", "修改一下", "修改", "更正", "纠正", "不对", "写错了", "搞错了", "记错了",
	"填错了", "弄错了", "错了", "刚才", "刚刚", "上一条", "上条", "那条", "这条", "记录", "一下", "帮我", "麻烦", "请", "才对",
	"应该是", "改成", "改为", "改到", "换成", "的", "吧", "哦", "啊", "嗯", "呢", "那个", "是", "为", "了", "把", "再", "也",
	"还有", "另外", "以及", "和", "谢谢"}

// recordRefsAfter, after a customer's name, point at that customer's
// record (德润那条金额改成80万).
var recordRefsAfter = []string{"那条", "这条", "的那条", "的这条", "那笔", "那次", "的记录", "那个记录", "的拜访", "那单"}

// correction reads every change a correction names.
func (d *Dictionary) correction(m *msg) *Command {
	c := &Command{Kind: CommandCorrect}
	t := m.t
	skip := span{}
	for _, k := range m.known {
		if e := refAfter(t, k.end); e > k.end {
			c.Customer, c.CustomerKnown, c.Candidates = d.customerName(k, m)
			skip = span{k.start, e}
			break
		}
	}
	parts := m.correctionParts(skip)
	for i, p := range parts {
		if p.field != "" && i+1 < len(parts) && parts[i+1].field == "" && m.allDenied(p.a, p.b) {
			// 金额不是50万，是80万: the field named goes with the next clause.
			parts[i+1].field, parts[i+1].fs = p.field, p.fs
			continue
		}
		d.readPart(m, c, p)
	}
	return c
}

// allDenied reports text in t[a:b] and all of it denied (不是50万).
func (m *msg) allDenied(a, b int) bool {
	for _, r := range m.openRanges(a, b) {
		if !onlySpaces(m.t, r.start, r.end) {
			return false
		}
	}
	return len(m.denied) > 0 && b > a
}

// refAfter returns the end of a record reference at e (那条, 的记录), or e.
func refAfter(t []rune, e int) int {
	for _, w := range recordRefsAfter {
		if hasStrAt(t, e, w) {
			return e + len([]rune(w))
		}
	}
	return e
}

// correctionPart is one piece of a correction: a field named at [fs,fe)
// (fe == fs when none) and the text that may hold its value, [a,b).
type correctionPart struct {
	field        string
	fs, fe, a, b int
}

// correctionParts splits the text at clause breaks and at every field
// named, leaving out the record reference in skip.
func (m *msg) correctionParts(skip span) []correctionPart {
	t := m.t
	var parts []correctionPart
	cur := correctionPart{a: 0}
	flush := func(end int) {
		cur.b = end
		if cur.field != "" || cur.b > cur.a {
			parts = append(parts, cur)
		}
	}
	for i := 0; i < len(t); i++ {
		if skip.has(i) {
			flush(i)
			i = skip.end - 1
			cur = correctionPart{a: skip.end}
			continue
		}
		if isClauseBreak(t, i) && t[i] != '、' {
			flush(i)
			cur = correctionPart{a: i + 1}
			continue
		}
		if f, n := m.fieldAt(i); n > 0 {
			if cur.field != "" && onlySpaces(t, cur.a, i) {
				if f == cur.field { // 报价金额: one name
					cur.fe, cur.a = i+n, i+n
				}
				// 阶段报价: right after a field's name, a word that names
				// another field is the value.
				i += n - 1
				continue
			}
			flush(i)
			cur = correctionPart{field: f, fs: i, fe: i + n, a: i + n}
			i += n - 1
		}
	}
	flush(len(t))
	return parts
}

// fieldAt returns the field named at i and the length of its name, unless
// the word stands where a value goes (阶段是报价: 报价 is the value).
func (m *msg) fieldAt(i int) (string, int) {
	t := m.t
	for _, f := range fieldNames {
		if !hasStrAt(t, i, f.w) {
			continue
		}
		j := i
		for j > 0 && isSpace(t[j-1]) {
			j--
		}
		if j > 0 && strings.ContainsRune("是为成到", t[j-1]) {
			return "", 0
		}
		if f.w == "客户" && m.inKnownAt(i) {
			return "", 0
		}
		return f.field, len([]rune(f.w))
	}
	return "", 0
}

// inKnownAt reports a known customer's name covering i (客户 in a name).
func (m *msg) inKnownAt(i int) bool {
	for _, k := range m.known {
		if i >= k.start && i < k.end {
			return true
		}
	}
	return false
}

// readPart reads one part's change into c, or records it as unparsed.
func (d *Dictionary) readPart(m *msg, c *Command, p correctionPart) {
	t := m.t
	a := p.a
	for moved := true; moved; {
		moved = false
		for a < p.b && isSpace(t[a]) {
			a++
		}
		for _, w := range valueCues {
			if hasStrAt(t, a, w) && a+len([]rune(w)) <= p.b {
				a += len([]rune(w))
				moved = true
				break
			}
		}
	}
	var read []Change
	if p.field != "" {
		if ch, ok := d.readValue(m, p.field, a, p.b); ok {
			read = append(read, ch)
		}
	} else {
		if m.onlyFillers(a, p.b) {
			return
		}
		for _, field := range d.guessFields(m, a, p.b) {
			if ch, ok := d.readValue(m, field, a, p.b); ok {
				read = append(read, ch)
			}
		}
	}
	if len(read) == 0 {
		from := p.a
		if p.field != "" {
			from = p.fs
		}
		if s, e := trimSpan(m.src, from, p.b); e > s {
			c.Unparsed = append(c.Unparsed, string(m.src[s:e]))
		}
		return
	}
	for _, ch := range read {
		if n := len(c.Changes); n > 0 && ch.Field == FieldContacts && c.Changes[n-1].Field == FieldContacts && p.field == "" {
			prev := &c.Changes[n-1] // 联系人是孙工、李总 split at a space
			prev.Values = append(prev.Values, ch.Values...)
			prev.Value = strings.Join(prev.Values, "、")
			continue
		}
		c.Changes = append(c.Changes, ch)
	}
}

// onlyFillers reports text that carries no value (不对, 写错了, 改一下).
func (m *msg) onlyFillers(a, b int) bool {
	t := m.t
	for i := a; i < b; {
		if isSpace(t[i]) || isClauseBreak(t, i) || strings.ContainsRune("!?~。", t[i]) {
			i++
			continue
		}
		n := 0
		for _, w := range correctionFillers {
			if hasStrAt(t, i, w) && i+len([]rune(w)) <= b {
				n = len([]rune(w))
				break
			}
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// guessFields names the fields the values written alone in t[a:b] belong
// to (改一下，80万; 应该是昨天电话聊的: a visit date and a channel), leaving
// out denied words; a customer when nothing else fits.
func (d *Dictionary) guessFields(m *msg, a, b int) []string {
	var out []string
	add := func(f string) {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, r := range m.openRanges(a, b) {
		a, b := r.start, r.end
		if moneyIn(m.t, a, b) {
			add(FieldAmount)
		}
		if d.stageIn(m, a, b) != "" {
			add(FieldStage)
		}
		if channelIn(m, a, b, false) != "" {
			add(FieldChannel)
		}
		if m.contactsIn(a, b) != nil {
			add(FieldContacts)
		}
		for _, dm := range m.dates {
			if dm.start >= a && dm.end <= b {
				if _, ok := dm.behind(m.today); ok {
					add(FieldVisitDate)
				} else {
					add(FieldNextDate)
				}
				break
			}
		}
	}
	if len(out) == 0 {
		out = append(out, FieldCustomer)
	}
	return out
}

// readValue reads the new value of field from t[a:b], leaving out denied
// words (不是马经理是孙工: 孙工).
func (d *Dictionary) readValue(m *msg, field string, a, b int) (Change, bool) {
	var out Change
	for _, r := range m.openRanges(a, b) {
		ch, ok := d.readValueIn(m, field, r.start, r.end)
		if !ok {
			continue
		}
		if field != FieldContacts {
			return ch, true
		}
		out.Field = field
		out.Values = append(out.Values, ch.Values...)
		out.Value = strings.Join(out.Values, "、")
	}
	return out, out.Value != ""
}

// readValueIn reads the new value of field from t[a:b].
func (d *Dictionary) readValueIn(m *msg, field string, a, b int) (Change, bool) {
	t := m.t
	ch := Change{Field: field}
	switch field {
	case FieldAmount:
		for i := a; i < b; i++ {
			if v, end, ok := readMoney(t, i); ok && end <= b && v > 0 {
				ch.Value = strconv.FormatInt(v, 10)
				break
			}
		}
	case FieldStage:
		ch.Value = string(d.stageIn(m, a, b))
	case FieldChannel:
		ch.Value = string(channelIn(m, a, b, true))
	case FieldContacts:
		ch.Values = m.contactsIn(a, b)
		ch.Value = strings.Join(ch.Values, "、")
	case FieldVisitDate, FieldNextDate:
		for _, dm := range m.dates {
			if dm.start < a || dm.end > b {
				continue
			}
			day, ok := dm.behind(m.today)
			if field == FieldNextDate {
				day, ok = dm.ahead(m.today)
			}
			if !ok && field == FieldVisitDate {
				// 日期改成明天: a day all the same; the bot decides
				// whether a visit may lie ahead.
				day, ok = dm.date, !dm.date.IsZero()
			}
			if ok {
				ch.Value = formatDay(day)
				break
			}
		}
	case FieldNextAction:
		if s, e := trimSpan(m.src, a, b); e > s {
			ch.Value = string(m.src[s:e])
		}
	case FieldCustomer:
		for _, k := range m.known {
			if k.start >= a && k.end <= b {
				ch.Value, _, ch.Values = d.customerName(k, m)
				break
			}
		}
		if ch.Value == "" {
			if s, e := trimSpan(m.src, a, b); e > s {
				text := strings.TrimSuffix(strings.TrimSuffix(string(m.src[s:e]), "才对"), "吧")
				// The name as written, chit-chat too (客户应该是哈哈): the bot
				// refuses it and says why.
				if name, _, ok := d.organisation(text); ok {
					ch.Value = name
				}
			}
		}
	}
	return ch, ch.Value != ""
}

// stageIn returns the stage t[a:b] names: a stage's label or code, else
// the first stage word whole (改价 but not 改 alone: 计划改到后天).
func (d *Dictionary) stageIn(m *msg, a, b int) domain.Stage {
	if st := stageLabelIn(m.t, a, b); st != "" {
		return st
	}
	var out domain.Stage
	m.hitsIn(catStage, a, b, func(h hit) bool {
		sw := d.tab.stages[h.val]
		if sw.seconds != nil {
			if k, n := secondAfter(m.t, int(h.end), sw); k < 0 || k+n > b {
				return true
			}
		}
		out = sw.stage
		return false
	})
	return out
}

// stageLabelIn returns the stage whose label or code t[a:b] holds (谈判, quote).
func stageLabelIn(t []rune, a, b int) domain.Stage {
	for _, st := range domain.Stages {
		if containsStr(t, a, b, st.Label()) || containsStr(t, a, b, string(st)) {
			return st
		}
	}
	return ""
}

// channelIn returns the channel a word in t[a:b] names, skipping one that
// is denied (是电话不是拜访); a hint (去, 到) counts only when weak is set
// and no explicit word is there.
func channelIn(m *msg, a, b int, weak bool) domain.Channel {
	var out, hint domain.Channel
	m.hitsIn(catChannel, a, b, func(h hit) bool {
		if endsWithStr(m.t, int(h.pos), "不是") || endsWithStr(m.t, int(h.pos), "不") {
			return true
		}
		c := cueChannel(h.val)
		if h.val&cueWeak != 0 {
			if hint == "" && h.val&cuePlace == 0 {
				hint = c
			}
			return true
		}
		out = c
		return false
	})
	if out == "" && weak {
		return hint
	}
	return out
}

// contactsIn returns the people found in t[a:b], as written.
func (m *msg) contactsIn(a, b int) []string {
	var found []contactMatch
	for _, list := range [][]contactMatch{m.contacts, m.excluded} {
		for _, c := range list {
			if c.start >= a && c.end <= b {
				found = append(found, c)
			}
		}
	}
	slices.SortFunc(found, func(x, y contactMatch) int { return x.start - y.start })
	var out []string
	for _, c := range found {
		out = append(out, string(m.src[c.start:c.end]))
	}
	return out
}

// moneyIn reports a sum of money in t[a:b].
func moneyIn(t []rune, a, b int) bool {
	for i := a; i < b; i++ {
		if _, end, ok := readMoney(t, i); ok && end <= b {
			return true
		}
	}
	return false
}

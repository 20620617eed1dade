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
	for _, p := range m.correctionParts(skip) {
		d.readPart(m, c, p)
	}
	return c
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
	field := p.field
	if field == "" {
		if m.onlyFillers(a, p.b) {
			return
		}
		field = m.guessField(a, p.b)
	}
	ch, ok := d.readValue(m, field, a, p.b)
	if !ok {
		from := p.a
		if p.field != "" {
			from = p.fs
		}
		if s, e := trimSpan(m.src, from, p.b); e > s {
			c.Unparsed = append(c.Unparsed, string(m.src[s:e]))
		}
		return
	}
	if n := len(c.Changes); n > 0 && ch.Field == FieldContacts && c.Changes[n-1].Field == FieldContacts && p.field == "" {
		prev := &c.Changes[n-1] // 联系人是孙工、李总 split at a space
		prev.Values = append(prev.Values, ch.Values...)
		prev.Value = strings.Join(prev.Values, "、")
		return
	}
	c.Changes = append(c.Changes, ch)
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

// guessField names the field a value written alone belongs to (改一下，80万).
func (m *msg) guessField(a, b int) string {
	switch {
	case moneyIn(m.t, a, b):
		return FieldAmount
	case m.anyHit(catStage, a, b) || stageLabelIn(m.t, a, b) != "":
		return FieldStage
	case channelIn(m, a, b) != "":
		return FieldChannel
	case m.contactsIn(a, b) != nil:
		return FieldContacts
	}
	for _, dm := range m.dates {
		if dm.start >= a && dm.end <= b {
			if _, ok := dm.behind(m.today); ok {
				return FieldVisitDate
			}
			return FieldNextDate
		}
	}
	return FieldCustomer
}

// readValue reads the new value of field from t[a:b].
func (d *Dictionary) readValue(m *msg, field string, a, b int) (Change, bool) {
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
		if st := stageLabelIn(t, a, b); st != "" {
			ch.Value = string(st)
		} else {
			m.hitsIn(catStage, a, b, func(h hit) bool { ch.Value = string(d.tab.stages[h.val].stage); return false })
		}
	case FieldChannel:
		ch.Value = string(channelIn(m, a, b))
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
				if name, _, ok := d.Organisation(text); ok {
					ch.Value = name
				}
			}
		}
	}
	return ch, ch.Value != ""
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
// is denied (是电话不是拜访).
func channelIn(m *msg, a, b int) domain.Channel {
	var out domain.Channel
	m.hitsIn(catChannel, a, b, func(h hit) bool {
		if endsWithStr(m.t, int(h.pos), "不是") || endsWithStr(m.t, int(h.pos), "不") {
			return true
		}
		switch h.val & 7 {
		case cueOnsite:
			out = domain.ChannelOnsite
		case cuePhone:
			out = domain.ChannelPhone
		case cueOnline:
			out = domain.ChannelOnline
		}
		return false
	})
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

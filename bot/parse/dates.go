package parse

import (
	"strings"
	"time"
)

// Dates (CONTRACT.md "Dates"): every expression that names a day is found
// and resolved against the message's day; the record's visit_date looks
// back (the interaction's day) and next_date looks forward (the next dated
// step).

// dateMention is one expression that names a day.
type dateMention struct {
	start, end int
	date       time.Time // the day (UTC midnight); for an ambiguous mention, its past reading
	alt        time.Time // the other reading of an ambiguous mention (else date)
	ambiguous  bool      // bare 周X or X号: direction decided by its clause
	weekOnly   bool      // 下周 with no day: names a day only as next_date
	field      bool      // follows a 日期: label in a form
}

// ahead returns the reading after today, if any (for plans and reminders).
func (d dateMention) ahead(today time.Time) (time.Time, bool) {
	switch {
	case d.date.After(today):
		return d.date, true
	case d.alt.After(today):
		return d.alt, true
	}
	return time.Time{}, false
}

// behind returns the reading on or before today, if any.
func (d dateMention) behind(today time.Time) (time.Time, bool) {
	switch {
	case !d.date.IsZero() && !d.date.After(today):
		return d.date, true
	case !d.alt.IsZero() && !d.alt.After(today):
		return d.alt, true
	}
	return time.Time{}, false
}

func days(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// monday returns the Monday of the week holding t (weeks run Monday to Sunday).
func monday(t time.Time) time.Time { return days(t, -((int(t.Weekday()) + 6) % 7)) }

func lastOfMonth(y int, mo time.Month) time.Time {
	return time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC)
}

// dayOf returns day d of the month that is off months from today's, if valid.
func dayOf(today time.Time, off, d int) (time.Time, bool) {
	first := time.Date(today.Year(), today.Month()+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
	if d < 1 || d > lastOfMonth(first.Year(), first.Month()).Day() {
		return time.Time{}, false
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC), true
}

// closestYear resolves month/day with no year to the year that puts it
// closest to today.
func closestYear(today time.Time, mo, d int) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	var best time.Time
	var bestDiff time.Duration = -1
	for y := today.Year() - 1; y <= today.Year()+1; y++ {
		c := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if c.Day() != d {
			continue
		}
		diff := c.Sub(today)
		if diff < 0 {
			diff = -diff
		}
		if bestDiff < 0 || diff < bestDiff {
			best, bestDiff = c, diff
		}
	}
	return best, bestDiff >= 0
}

// scanDates finds every date expression in the message.
func (m *msg) scanDates() {
	t := m.t
	for i := 0; i < len(t); {
		if d, ok := m.dateAt(i); ok {
			d.field = endsWithStr(t, d.start, "日期:") || endsWithStr(t, d.start, "时间:")
			m.dates = append(m.dates, d)
			i = d.end
			continue
		}
		i++
	}
	kept := m.dates[:0]
	for k := range m.dates {
		d := m.dates[k]
		if d.ambiguous {
			if !m.pastTense(k) {
				d.date, d.alt = d.alt, d.date
			}
			d.ambiguous = false
		} else {
			d.alt = d.date
		}
		if !d.date.IsZero() {
			kept = append(kept, d)
		}
	}
	m.dates = kept
}

// dateAt tries every date grammar at i, most specific first.
func (m *msg) dateAt(i int) (dateMention, bool) {
	t := m.t
	r := t[i]
	if !isDigit(r) && !isCNNum(r) && !dateFirst(r) {
		return dateMention{}, false
	}
	var prev rune
	if i > 0 {
		prev = t[i-1]
	}
	numStart := (isDigit(r) && !isDigit(prev) && prev != '.' && prev != '/' && prev != '-' && !isLatin(prev)) ||
		(cnDigit(r) >= 0 || r == '十') && !isCNNum(prev)
	if numStart {
		if d, ok := m.fullDate(i); ok {
			return d, true
		}
		if d, ok := m.monthDay(i); ok {
			return d, true
		}
		if d, ok := m.slashDate(i); ok {
			return d, true
		}
		if d, ok := m.daysLater(i); ok {
			return d, true
		}
		if d, ok := m.bareDay(i); ok {
			return d, true
		}
	}
	switch r {
	case '过':
		if d, ok := m.daysLater(i + 1); ok && !(d.end < len(t) && (t[d.end] == '前' || t[d.end] == '内')) {
			d.start = i
			return d, true
		}
	case '下', '本', '这', '上', '月':
		if d, ok := m.monthWord(i); ok {
			return d, true
		}
	}
	if d, ok := m.relativeDay(i); ok {
		return d, true
	}
	if d, ok := m.weekDay(i); ok {
		return d, true
	}
	if d, ok := m.timeOfDay(i); ok {
		return d, true
	}
	return dateMention{}, false
}

// dateFirst reports the runes other than numerals that may open a date.
func dateFirst(r rune) bool {
	switch r {
	case '过', '下', '本', '这', '上', '月', '大', '今', '刚', '昨', '前', '明', '后', '周', '週', '星', '礼',
		'中', '晚', '傍', '早', '凌', '夜':
		return true
	}
	return false
}

// fullDate: 2026年1月5日, 2026-01-05, 2026/1/5, 2026.1.5.
func (m *msg) fullDate(i int) (dateMention, bool) {
	t := m.t
	y, j, ok := readSmallInt(t, i)
	if !ok || j-i != 4 || !isDigit(t[i]) || j >= len(t) {
		return dateMention{}, false
	}
	sep := t[j]
	if sep != '年' && sep != '-' && sep != '/' && sep != '.' {
		return dateMention{}, false
	}
	mo, k, ok := readSmallInt(t, j+1)
	if !ok || k >= len(t) {
		return dateMention{}, false
	}
	sep2 := t[k]
	if !(sep == '年' && sep2 == '月' || sep != '年' && sep2 == sep) {
		return dateMention{}, false
	}
	d, e, ok := readSmallInt(t, k+1)
	if !ok {
		return dateMention{}, false
	}
	if e < len(t) && (t[e] == '日' || t[e] == '号') {
		e++
	}
	c := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || c.Day() != d {
		return dateMention{}, false
	}
	return m.withTimeOfDay(dateMention{start: i, end: e, date: c}), true
}

// monthDay: M月D日, M月D号, M月底.
func (m *msg) monthDay(i int) (dateMention, bool) {
	t := m.t
	mo, j, ok := readSmallInt(t, i)
	if !ok || j >= len(t) || t[j] != '月' || mo < 1 || mo > 12 {
		return dateMention{}, false
	}
	j++
	if j < len(t) && (t[j] == '底' || t[j] == '末') {
		today := m.today
		c, _ := closestYear(today, mo, 1)
		return dateMention{start: i, end: j + 1, date: lastOfMonth(c.Year(), c.Month())}, true
	}
	d, e, ok := readSmallInt(t, j)
	if !ok {
		return dateMention{}, false
	}
	if e < len(t) && (t[e] == '日' || t[e] == '号') {
		e++
	} else if e < len(t) && (isDigit(t[e]) || t[e] == '.') {
		return dateMention{}, false
	}
	c, ok := closestYear(m.today, mo, d)
	if !ok {
		return dateMention{}, false
	}
	return m.withTimeOfDay(dateMention{start: i, end: e, date: c}), true
}

// notAfterShortDate lists what cannot follow M.D or M/D when it is a date
// (units of amounts, percentages, versions, counts).
var notAfterShortDate = runeSet("万亿千百元块wWkKmM%个倍折分米寸吨台套件人次天年周期级版号点小时秒克斤升码gtbGTB.-/0123456789")

// slashDate: M.D and M/D.
func (m *msg) slashDate(i int) (dateMention, bool) {
	t := m.t
	if !isDigit(t[i]) {
		return dateMention{}, false
	}
	mo, j, ok := readSmallInt(t, i)
	if !ok || j-i > 2 || j+1 >= len(t) || (t[j] != '.' && t[j] != '/') || !isDigit(t[j+1]) {
		return dateMention{}, false
	}
	if i > 0 && (t[i-1] == '¥' || t[i-1] == '￥' || t[i-1] == '$') {
		return dateMention{}, false
	}
	d, e, ok := readSmallInt(t, j+1)
	if !ok || e-j-1 > 2 {
		return dateMention{}, false
	}
	if e < len(t) && (notAfterShortDate[t[e]] || isLatin(t[e])) {
		return dateMention{}, false
	}
	if e < len(t) && (t[e] == '日' || t[e] == '号') {
		e++
	}
	c, ok := closestYear(m.today, mo, d)
	if !ok {
		return dateMention{}, false
	}
	return m.withTimeOfDay(dateMention{start: i, end: e, date: c}), true
}

// daysLater: N天后, N天之后, N日后, N周后, N个星期后 (and, after 过, N天).
func (m *msg) daysLater(i int) (dateMention, bool) {
	t := m.t
	if i >= len(t) {
		return dateMention{}, false
	}
	n, j, ok := readSmallInt(t, i)
	if !ok || n <= 0 {
		return dateMention{}, false
	}
	mult := 0
	switch {
	case hasStrAt(t, j, "天"), hasStrAt(t, j, "日"):
		mult, j = 1, j+1
	case hasStrAt(t, j, "周"):
		mult, j = 7, j+1
	case hasStrAt(t, j, "个星期"), hasStrAt(t, j, "个礼拜"):
		mult, j = 7, j+3
	case hasStrAt(t, j, "星期"), hasStrAt(t, j, "礼拜"):
		mult, j = 7, j+2
	default:
		return dateMention{}, false
	}
	after := i > 0 && t[i-1] == '过'
	switch {
	case hasStrAt(t, j, "之后"), hasStrAt(t, j, "以后"):
		j += 2
	case hasStrAt(t, j, "后"):
		j++
	case after:
	default:
		return dateMention{}, false
	}
	return dateMention{start: i, end: j, date: days(m.today, n*mult)}, true
}

// notAfterDayNumber lists what cannot follow X号 when it names a day.
var notAfterDayNumber = runeSet("楼线会机店厅馆门口车仓库房位桌文码院床窗台柜箱球人座栋厂场")

// bareDay: X号 (and X日 with Arabic digits), resolved by its clause.
func (m *msg) bareDay(i int) (dateMention, bool) {
	t := m.t
	if i > 0 && (t[i-1] == '月' || t[i-1] == '第' || t[i-1] == '.') {
		return dateMention{}, false
	}
	n, j, ok := readSmallInt(t, i)
	if !ok || n < 1 || n > 31 || j >= len(t) {
		return dateMention{}, false
	}
	switch {
	case t[j] == '号':
	case t[j] == '日' && isDigit(t[i]):
		if j+1 < len(t) && (t[j+1] == '内' || t[j+1] == '后') {
			return dateMention{}, false
		}
	default:
		return dateMention{}, false
	}
	j++
	if j < len(t) && notAfterDayNumber[t[j]] {
		return dateMention{}, false
	}
	today := m.today
	var past, future time.Time
	if n <= today.Day() {
		past, ok = dayOf(today, 0, n)
		if !ok {
			return dateMention{}, false
		}
		future, ok = dayOf(today, 1, n)
	} else {
		future, ok = dayOf(today, 0, n)
		if !ok {
			return dateMention{}, false
		}
		past, ok = dayOf(today, -1, n)
	}
	if !ok { // e.g. the 31st of a short month: keep the valid reading only
		if past.IsZero() {
			past = future
		} else {
			future = past
		}
	}
	return m.withTimeOfDay(dateMention{start: i, end: j, date: past, alt: future, ambiguous: true}), true
}

// monthWord: 下个月N号, 下月初, 下月底, 本月底, 这个月N号, 上个月N号, 月底.
func (m *msg) monthWord(i int) (dateMention, bool) {
	t := m.t
	off, j := 0, i
	switch {
	case hasStrAt(t, i, "下个月"):
		off, j = 1, i+3
	case hasStrAt(t, i, "下月"):
		off, j = 1, i+2
	case hasStrAt(t, i, "上个月"):
		off, j = -1, i+3
	case hasStrAt(t, i, "上月"):
		off, j = -1, i+2
	case hasStrAt(t, i, "这个月"):
		j = i + 3
	case hasStrAt(t, i, "本月"), hasStrAt(t, i, "这月"):
		j = i + 2
	case t[i] == '月' && (i == 0 || !isDigit(t[i-1]) && !isCNNum(t[i-1]) && t[i-1] != '个' && t[i-1] != '本' && t[i-1] != '年' && t[i-1] != '每' && t[i-1] != '半'):
		j = i + 1
		if !(hasStrAt(t, j, "底") || hasStrAt(t, j, "末")) {
			return dateMention{}, false
		}
	default:
		return dateMention{}, false
	}
	if j >= len(t) {
		return dateMention{}, false
	}
	first, _ := dayOf(m.today, off, 1)
	switch {
	case t[j] == '底' || t[j] == '末':
		return dateMention{start: i, end: j + 1, date: lastOfMonth(first.Year(), first.Month())}, true
	case t[j] == '初' && off != 0:
		return dateMention{start: i, end: j + 1, date: first}, true
	}
	n, e, ok := readSmallInt(t, j)
	if !ok || e >= len(t) || (t[e] != '号' && t[e] != '日') {
		return dateMention{}, false
	}
	c, ok := dayOf(m.today, off, n)
	if !ok {
		return dateMention{}, false
	}
	return m.withTimeOfDay(dateMention{start: i, end: e + 1, date: c}), true
}

// relWords are the day words relative to today.
var relWords = []struct {
	w   string
	off int
}{
	{"大后天", 3}, {"大前天", -3},
	{"今天", 0}, {"今日", 0}, {"今早", 0}, {"今晚", 0}, {"今晨", 0}, {"今儿", 0}, {"刚才", 0}, {"刚刚", 0},
	{"昨天", -1}, {"昨日", -1}, {"昨晚", -1}, {"昨儿", -1},
	{"前天", -2}, {"前日", -2},
	{"明天", 1}, {"明日", 1}, {"明早", 1}, {"明晚", 1}, {"明儿", 1},
	{"后天", 2},
}

func (m *msg) relativeDay(i int) (dateMention, bool) {
	switch m.t[i] {
	case '大', '今', '刚', '昨', '前', '明', '后':
	default:
		return dateMention{}, false
	}
	for _, w := range relWords {
		if hasStrAt(m.t, i, w.w) {
			n := len([]rune(w.w))
			if w.w == "前天" && i > 0 && m.t[i-1] == '提' {
				return dateMention{}, false
			}
			d := dateMention{start: i, end: i + n, date: days(m.today, w.off)}
			// 昨天周日: a weekday right after a day word says the same day.
			j := d.end
			for j < len(m.t) && isSpace(m.t[j]) {
				j++
			}
			if wd, ok := m.weekDay(j); ok && !wd.weekOnly {
				d.end = wd.end
			}
			return m.withTimeOfDay(d), true
		}
	}
	return dateMention{}, false
}

// weekDay: [本这下上下下上上][个]周X / 星期X / 礼拜X, bare 周X, 下周, 周末.
func (m *msg) weekDay(i int) (dateMention, bool) {
	t := m.t
	if i >= len(t) {
		return dateMention{}, false
	}
	var prev rune
	if i > 0 {
		prev = t[i-1]
	}
	off, bare, j := 0, true, i
	for _, p := range weekPrefixes {
		if hasStrAt(t, i, p.w) {
			if p.w == "上" && (prev == '早' || prev == '晚' || prev == '马' || prev == '路' || prev == '网' || prev == '线') {
				continue
			}
			if (p.w == "下" || p.w == "下个") && (prev == '一' || prev == '以' || prev == '如') {
				continue
			}
			off, bare, j = p.off, false, i+len([]rune(p.w))
			break
		}
	}
	k := j
	switch {
	case hasStrAt(t, k, "周"), hasStrAt(t, k, "週"):
		k++
	case hasStrAt(t, k, "星期"), hasStrAt(t, k, "礼拜"):
		k += 2
	default:
		return dateMention{}, false
	}
	if bare && (isCNNum(prev) || isDigit(prev) || prev == '每' || prev == '个' || prev == '几' || prev == '半' || prev == '上' || prev == '下') {
		return dateMention{}, false
	}
	wd := 0
	if k < len(t) {
		switch t[k] {
		case '一':
			wd = 1
		case '二':
			wd = 2
		case '三':
			wd = 3
		case '四':
			wd = 4
		case '五':
			wd = 5
		case '六':
			wd = 6
		case '日', '天':
			wd = 7
		case '末':
			wd = 8
		}
	}
	today := m.today
	mon := monday(today)
	if wd == 0 {
		if !bare && off >= 1 && !(k < len(t) && (t[k] == '期' || t[k] == '年' || t[k] == '报' || t[k] == '会') && !weekThenVerb(t, k)) {
			return dateMention{start: i, end: k, date: days(mon, 7*off), weekOnly: true}, true
		}
		return dateMention{}, false
	}
	k++
	if wd == 8 { // 周末: the coming Saturday, when that is decidable
		tw := int(today.Weekday())
		switch {
		case off >= 1:
			return dateMention{start: i, end: k, date: days(mon, 7*off+5)}, true
		case off == 0 && tw >= 1 && tw <= 5:
			// A past weekend (周末去了) could be either day: no past reading.
			return dateMention{start: i, end: k, alt: days(mon, 5), ambiguous: true}, true
		}
		return dateMention{}, false
	}
	if !bare {
		return m.withTimeOfDay(dateMention{start: i, end: k, date: days(mon, 7*off+wd-1)}), true
	}
	// Bare 周X: past reading is the latest such day on or before today,
	// future reading the first strictly after.
	thisWeek := days(mon, wd-1)
	past, future := thisWeek, thisWeek
	if thisWeek.After(today) {
		past = days(thisWeek, -7)
	} else {
		future = days(thisWeek, 7)
	}
	return m.withTimeOfDay(dateMention{start: i, end: k, date: past, alt: future, ambiguous: true}), true
}

var weekPrefixes = []struct {
	w   string
	off int
}{
	{"下下个", 2}, {"下下", 2}, {"上上个", -2}, {"上上", -2},
	{"下个", 1}, {"上个", -1}, {"这个", 0},
	{"本", 0}, {"这", 0}, {"下", 1}, {"上", -1},
}

var timeWords = []string{"上午", "下午", "中午", "晚上", "傍晚", "早上", "早晨", "凌晨", "夜里", "晚间"}

// timeOfDay: 上午/下午/晚上 alone mean today.
func (m *msg) timeOfDay(i int) (dateMention, bool) {
	if i > 0 && (m.t[i-1] == '一' || m.t[i-1] == '每' || m.t[i-1] == '半') {
		return dateMention{}, false
	}
	for _, w := range timeWords {
		if hasStrAt(m.t, i, w) {
			return dateMention{start: i, end: i + 2, date: m.today}, true
		}
	}
	return dateMention{}, false
}

// weekThenVerb reports 下周 followed by 报价 or 会+verb (下周报价, 下周会给答复),
// not by 周报/周会 (下周周报 aside, 下周会上).
func weekThenVerb(t []rune, k int) bool {
	if k+1 >= len(t) {
		return false
	}
	switch t[k] {
	case '报':
		return t[k+1] == '价'
	case '会':
		return strings.ContainsRune("给去来再发签出定安", t[k+1])
	}
	return false
}

// withTimeOfDay extends d over a time of day right after it (昨天下午).
func (m *msg) withTimeOfDay(d dateMention) dateMention {
	j := d.end
	for j < len(m.t) && isSpace(m.t[j]) && j-d.end < 2 {
		j++
	}
	for _, w := range timeWords {
		if hasStrAt(m.t, j, w) {
			d.end = j + 2
			break
		}
	}
	return d
}

// pastTense decides an ambiguous mention's direction from the words after
// it in its clause: a done-marker (了, 过, 去的) makes it the past reading, a
// plan word (再, 要) the future one. With neither, a mention that opens the
// message is the report's day; any other is a plan.
func (m *msg) pastTense(k int) bool {
	d := m.dates[k]
	t := m.t
	end := clauseEnd(t, d.end, false)
	if k+1 < len(m.dates) && m.dates[k+1].start < end {
		end = m.dates[k+1].start
	}
	if hasStrAt(t, d.end, "前") || hasStrAt(t, d.end, "之前") || hasStrAt(t, d.end, "以前") {
		return false // 周五前给答复: a deadline
	}
	for j := d.end; j < end; j++ {
		switch t[j] {
		case '了':
			if j+1 < len(t) && t[j+1] == '解' {
				continue
			}
			return true
		case '完', '已':
			return true
		case '过':
			if j+1 < len(t) && (t[j+1] == '去' || t[j+1] == '来') || j+1 < len(t) && (isCNNum(t[j+1]) || isDigit(t[j+1])) {
				continue
			}
			if j > d.end {
				return true
			}
		case '的':
			if j > d.end && (t[j-1] == '去' || t[j-1] == '访' || t[j-1] == '见' || t[j-1] == '谈' || t[j-1] == '签' || t[j-1] == '聊' || t[j-1] == '来' || t[j-1] == '做' || t[j-1] == '开') {
				return true
			}
		case '再', '要', '将':
			return false
		case '提':
			if j+1 < len(t) && t[j+1] == '醒' {
				return false
			}
		case '会':
			if j+1 < len(t) && (t[j+1] == '去' || t[j+1] == '来' || t[j+1] == '再') {
				return false
			}
		}
		if hasStrAt(t, j, "准备") || hasStrAt(t, j, "计划") || hasStrAt(t, j, "打算") || hasStrAt(t, j, "安排") || hasStrAt(t, j, "继续") {
			return false
		}
	}
	if d.start == 0 || onlySpaces(t, 0, d.start) {
		// Opening the message with no word of something done in its clause:
		// a plan when a going or meeting verb follows (周五上午去拜访林主任).
		k := d.end
		for k < len(t) && (isSpace(t[k]) || anyAt(t, k, []string{"上午", "下午", "晚上", "早上", "中午"})) {
			if isSpace(t[k]) {
				k++
			} else {
				k += 2
			}
		}
		if anyAt(t, k, []string{"去", "约", "拜访", "见"}) && !m.anyHit(catPast, 0, len(t)) {
			return false
		}
	}
	for j := 0; j < d.start; j++ {
		if !isSpace(t[j]) && !isClauseBreak(t, j) {
			// Not opening the message: a plan when an action verb follows
			// (周四去汇报, 3号去工厂, 周四带方案过去), else the report's day
			// (恒通银行 周三 郑经理 需求调研).
			k := d.end
			for k < len(t) && isSpace(t[k]) {
				k++
			}
			for _, w := range planVerbs {
				if hasStrAt(t, k, w) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// planVerbs after a bare day with no tense marker make it a plan.
var planVerbs = []string{"去", "来", "过去", "开", "签", "交", "发", "给", "提交", "出", "带", "送", "报", "上会", "启动",
	"回复", "答复", "定", "进场", "上线", "安装", "实施", "培训", "验收", "付", "打", "联系", "跟进", "碰", "约", "见面",
	"看", "听", "等", "开始", "讨论", "评审", "决定", "确定", "反馈", "回", "通知", "拿", "收", "交流", "沟通", "对接",
	"演示", "汇报", "讲", "过", "复盘", "提供", "上门", "下单", "出结果", "给答复"}

// visitCueAfter reports whether an interaction word follows date k in its
// clause (before the next date): 昨天去…, 周五在…, 今天电话….
func (m *msg) visitCueAfter(k int) bool {
	d := m.dates[k]
	end := clauseEnd(m.t, d.end, false)
	if k+1 < len(m.dates) && m.dates[k+1].start < end {
		end = m.dates[k+1].start
	}
	if end > d.end+16 {
		end = d.end + 16
	}
	return m.anyHit(catVisitCue, d.end, end)
}

// visitDate picks the interaction's day: the first past-or-today date
// followed by an interaction word (or given in a 日期: field), else the first
// past-or-today date, else the message's day.
func (m *msg) visitDate() time.Time {
	first := -1
	for k, d := range m.dates {
		if d.weekOnly || d.date.After(m.today) {
			continue
		}
		if d.field || m.visitCueAfter(k) {
			return d.date
		}
		if first < 0 {
			first = k
		}
	}
	if first >= 0 {
		return m.dates[first].date
	}
	return m.today
}

// nextDate picks the earliest day after today, if any; k is its mention.
func (m *msg) nextDate() (time.Time, int, bool) {
	best := -1
	for k, d := range m.dates {
		if !d.date.After(m.today) || m.headerDate(d) {
			continue
		}
		if best < 0 || d.date.Before(m.dates[best].date) {
			best = k
		}
	}
	if best < 0 {
		if k, ok := m.tonightPlan(); ok {
			return m.today, k, true
		}
		return time.Time{}, -1, false
	}
	return m.dates[best].date, best, true
}

// tonightPlan finds 今晚/今天晚上 in a message sent before the evening with
// no done-marker after it in its clause, after an earlier clause told of
// the interaction (下午电话约了孙经理，今晚一起吃饭): a step still to come
// today.
func (m *msg) tonightPlan() (int, bool) {
	if m.hour >= 17 {
		return -1, false
	}
	t := m.t
	for k, d := range m.dates {
		if !d.date.Equal(m.today) || !(hasStrAt(t, d.start, "今晚") || hasStrAt(t, d.start, "今天晚上") || hasStrAt(t, d.start, "今夜")) {
			continue
		}
		if clauseStart(t, d.start, false) == 0 {
			continue // 今晚和李总吃饭: the report's own event
		}
		done := false
		for j := d.end; j < clauseEnd(t, d.end, false); j++ {
			if t[j] == '了' || t[j] == '过' || t[j] == '完' {
				done = true
				break
			}
		}
		if !done {
			return k, true
		}
	}
	return -1, false
}

// futureDateBefore returns the end of the latest date mention inside
// [from, pos) and whether it lies after today.
func (m *msg) lastDateBefore(from, pos int) (end int, future, ok bool) {
	for _, d := range m.dates {
		if d.start >= pos {
			break
		}
		if d.start >= from && d.end <= pos {
			end, future, ok = d.end, d.date.After(m.today), true
		}
	}
	return end, future, ok
}

func formatDay(t time.Time) string { return t.Format("2006-01-02") }

// headerDate reports a date that only sets the scene: it opens the message
// and is followed by 了 (月底了，…) or its clause ends in a colon
// (月底冲一把：…).
func (m *msg) headerDate(d dateMention) bool {
	t := m.t
	for j := 0; j < d.start; j++ {
		if !isSpace(t[j]) {
			return false
		}
	}
	if hasStrAt(t, d.end, "了") {
		return true
	}
	for j := d.end; j < len(t) && j < d.end+8; j++ {
		switch t[j] {
		case ':', '：':
			return true
		}
		if isClauseBreak(t, j) || isSpace(t[j]) {
			return false
		}
	}
	return false
}

package parse

import (
	"fmt"
	"strings"
	"time"

	"salesbot/domain"
)

// Outcomes: for a lost deal, who won it (被华为抢走 → 华为) and why (价格太高);
// for an open one, the month the customer is expected to sign (下个月能签).

// rivalTakes are the verbs of 被X拿走: X took the deal.
var rivalTakes = []string{"抢走", "拿走", "拿下", "抢了", "抢去", "截胡", "撬走", "签走", "中标", "抢"}

// rivalChoices are the words after which the rival is named (最后定了用友,
// 输给了华为, 转投西门子, 选了金蝶的方案).
var rivalChoices = []string{"最后选择了", "最终选择了", "最后选了", "最终选了", "最后定了", "最终定了", "最后用了", "最终用了",
	"决定采用", "决定用", "决定选", "选择了", "选了", "定了", "用了", "转投了", "转投", "改用", "输给了", "输给", "最终和", "最后和",
	"最终跟", "最后跟", "已经跟", "已经和"}

// unnamedRivals name no one (被友商抢走: the rival is not named).
var unnamedRivals = []string{"友商", "竞品", "竞争对手", "对手", "别家", "其他家", "其他", "别的", "另一家", "另外一家", "同行",
	"他们", "对方", "客户", "人家", "别人", "外地", "本地", "一家"}

// lostTo returns the competitor a lost deal went to, when the message names
// one.
func (m *msg) lostTo(customer span) string {
	t := m.t
	for i := range t {
		if t[i] == '被' || t[i] == '让' {
			e := i + 1
			for e < len(t) && e-i <= 10 && isNameRune(t[e]) && !anyAt(t, e, rivalTakes) {
				e++
			}
			if e < len(t) && anyAt(t, e, rivalTakes) {
				if name := m.rivalName(i+1, e, customer); name != "" {
					return name
				}
			}
		}
		for _, w := range rivalChoices {
			if !hasStrAt(t, i, w) {
				continue
			}
			s := i + len([]rune(w))
			e := s
			for e < len(t) && e-s < 12 && isNameRune(t[e]) && !m.rivalEnd(e) {
				e++
			}
			if name := m.rivalName(s, e, customer); name != "" {
				return name
			}
			break
		}
	}
	return ""
}

// rivalEnd reports where a rival's name stops: 的, 签, 了, a stage or
// organisation stop word.
func (m *msg) rivalEnd(e int) bool {
	if strings.ContainsRune("的签了家", m.t[e]) {
		return true
	}
	for _, h := range m.hits[m.firstHit(e):] {
		if int(h.pos) > e {
			break
		}
		if h.cat == catStage || h.cat == catOrgStop {
			return true
		}
	}
	return false
}

// rivalName returns t[s:e] as written when it names a rival: two runes or
// more, not the customer, not us, not a word for an unnamed rival, not a day.
func (m *msg) rivalName(s, e int, customer span) string {
	if e-s < 2 || e-s > 12 || s < customer.end && customer.start < e {
		return ""
	}
	w := string(m.t[s:e])
	for _, u := range unnamedRivals {
		if strings.HasPrefix(w, u) {
			return ""
		}
	}
	if anyStr(m.t, s, e, ownWords) || isDigit(m.t[s]) || isCNNum(m.t[s]) {
		return ""
	}
	for _, d := range m.dates {
		if d.start < e && s < d.end {
			return ""
		}
	}
	return string(m.src[s:e])
}

// reasonCues mark the clause that says why a deal was lost.
var reasonCues = []string{"价格", "太贵", "偏贵", "偏高", "预算", "取消", "暂停", "搁置", "不满意", "资质", "关系", "技术", "功能",
	"交付", "周期", "服务", "售后", "案例", "不符合", "不达标", "不够", "政策", "领导", "砍"}

// becauses introduce a reason (因为价格太高).
var becauses = []string{"原因是", "因为", "由于", "主要是", "理由是"}

// lostReason returns why a lost deal was lost, as written: the words after
// 因为/由于, else the first clause holding a reason word, at most 30 runes.
func (m *msg) lostReason(tab *table) string {
	t := m.t
	for _, b := range becauses {
		if i := indexStr(t, 0, len(t), b); i >= 0 {
			s := i + len([]rune(b))
			e := clauseEnd(t, s, false)
			m.hitsIn(catStage, s, e, func(h hit) bool {
				if tab.stages[h.val].stage == domain.StageLost && int(h.pos) > s {
					e = int(h.pos) // 因为价格太高丢了
					return false
				}
				return true
			})
			if s, e = trimSpan(t, s, e); e > s && e-s <= 30 {
				return string(m.src[s:e])
			}
		}
	}
	for s := 0; s < len(t); {
		e := clauseEnd(t, s, false)
		if a, b := trimSpan(t, s, e); b > a && b-a <= 30 && anyStr(t, a, b, reasonCues) && !m.onlyLoss(a, b) {
			return string(m.src[a:b])
		}
		s = e + 1
	}
	return ""
}

// onlyLoss reports a clause that only says the deal was lost (这单丢了).
func (m *msg) onlyLoss(a, b int) bool {
	return !anyStr(m.t, a, b, []string{"价格", "贵", "高", "预算", "取消", "暂停", "搁置", "满意", "资质", "关系", "不够", "砍"})
}

// signWords are the words of signing a deal that may be expected.
var signWords = []string{"签约", "签合同", "签单", "签下来", "签下", "签", "成交", "落地", "下单"}

// expectedClose returns the month the customer is expected to sign
// (下个月能签, 预计3月签约, 年底前签 → December), or "".
func (m *msg) expectedClose() domain.Month {
	t := m.t
	for i := range t {
		if !strings.ContainsRune("签成落下", t[i]) {
			continue
		}
		w := ""
		for _, s := range signWords {
			if hasStrAt(t, i, s) {
				w = s
				break
			}
		}
		if w == "" {
			continue
		}
		if e := i + len([]rune(w)); e < len(t) && (t[e] == '了' || t[e] == '过') {
			continue // 签了: done, not expected
		}
		from := max(clauseStart(t, i, false), i-10)
		if mo, ok := m.monthBefore(from, i); ok {
			return mo
		}
	}
	return ""
}

// monthBefore reads the month named in t[from:to]: a future day, 下个月,
// 本月/月底, 年底/年内, N月 or 明年N月.
func (m *msg) monthBefore(from, to int) (domain.Month, bool) {
	t := m.t
	month := func(y int, mo time.Month) (domain.Month, bool) {
		return domain.Month(fmt.Sprintf("%04d-%02d", y, int(mo))), true
	}
	y, mo := m.today.Year(), m.today.Month()
	for _, d := range m.dates {
		if d.start >= from && d.end <= to {
			if day, ok := d.ahead(m.today); ok {
				return month(day.Year(), day.Month())
			}
		}
	}
	for i := to - 1; i >= from; i-- {
		if k := numberBefore(t, from, i); t[i] == '月' && k < i {
			n, _, ok := readSmallInt(t, k)
			if !ok || n < 1 || n > 12 {
				continue
			}
			year := y
			if endsWithStr(t, k, "明年") || time.Month(n) < mo {
				year++
			}
			return month(year, time.Month(n))
		}
		switch {
		case hasStrAt(t, i, "下个月"), hasStrAt(t, i, "下月"):
			n := time.Date(y, mo+1, 1, 0, 0, 0, 0, time.UTC)
			return month(n.Year(), n.Month())
		case hasStrAt(t, i, "这个月"), hasStrAt(t, i, "本月"), hasStrAt(t, i, "月底"), hasStrAt(t, i, "月内"):
			return month(y, mo)
		case hasStrAt(t, i, "年底"), hasStrAt(t, i, "年内"), hasStrAt(t, i, "年末"), hasStrAt(t, i, "今年"):
			if i == 0 || t[i-1] != '明' {
				return month(y, time.December)
			}
		}
	}
	return "", false
}

// numberBefore returns where a run of digits or Chinese numerals ending at
// i begins (not before from), or i when there is none.
func numberBefore(t []rune, from, i int) int {
	k := i
	for k > from && (isDigit(t[k-1]) || isCNNum(t[k-1])) {
		k--
	}
	return k
}

package parse

import "strings"

// Brand-prefix collisions (CONTRACT.md "Reports, plans and conversations"):
// an organisation written as a known customer's short name followed by
// other name characters (known 华辰科技 alias 华辰; the rep writes 华辰物联网公司)
// is not that customer. It is taken as written, and the known customers it
// begins like are kept to offer (Record.Resembles). Genuine alias forms
// still match: the alias alone, the alias before a person, a verb, a
// department or punctuation (华辰科技王工, 华辰拜访了, 华辰采购部), the alias with a
// company form (德润公司) or with more of the customer's own name.

// companyForms after an alias name the same company (德润公司, 德润有限公司).
var companyForms = setOf("公司", "有限公司", "集团", "集团公司", "股份", "股份有限公司", "有限责任公司", "总公司")

// sameOrgLeads begin words after an alias that stay within the customer
// (德润分公司, 德润新厂); a number does too (德润二期, 德润三号厂).
var sameOrgLeads = []string{"分公司", "分厂", "分部", "分行", "支行", "子公司", "总公司", "总部", "新厂", "老厂", "本部", "旗下", "新区"}

// collisionEnd returns the end of another organisation that begins with the
// known match k, or ok=false when k is the customer itself.
func (m *msg) collisionEnd(idx *customerIndex, k custMatch) (end int, ok bool) {
	t := m.t
	if idx.isCanonical(k.pat) {
		return 0, false
	}
	e := k.end
	j := e
	for j < len(t) && j-e < 12 && isHan(t[j]) && !m.nameBoundary(j) {
		j++
	}
	if j == e || anyAt(t, e, sameOrgLeads) || isDigit(t[e]) || isCNNum(t[e]) || m.deptEnd(e) > e || companyForms[string(t[e:j])] ||
		idx.nameHolds(k.pat, t[k.start:j]) {
		return 0, false
	}
	if strings.ContainsRune("部处室办", t[j-1]) || endsWithStr(t, j, "中心") {
		return 0, false // 恒通银行零售部: a department of the customer
	}
	// The run ends with an organisation suffix (蓝鲸物联, 宏泰建材有限公司) that
	// the customer's own name does not hold (蓝鲸科技 is 蓝鲸新材料科技).
	if s, ok := m.lastSuffixIn(e, j); ok {
		if !idx.nameHolds(k.pat, t[s.start:s.end]) || s.end-e > s.end-s.start {
			return s.end, true
		}
		return 0, false
	}
	// Or a name with no word of a deal in it before a person (远航通达快递的
	// 赵经理, 捷运达的刘总, 美途旅行社 王总), or of two runes or more before an
	// interaction word or the end of the clause (去华辰智造拜访了).
	if anyStr(t, e, j, dealNouns) {
		return 0, false
	}
	p := j
	for p < len(t) && (t[p] == '的' || isSpace(t[p])) {
		p++
	}
	if _, ok := m.personAt(p); ok || m.contactStartsAt(p) {
		return j, true // 捷运达的刘总
	}
	if j-e >= 2 && (j == len(t) || isClauseBreak(t, j) || p == j && m.channelAt(j)) {
		return j, true
	}
	return 0, false
}

// dealNouns are words of a deal, never of a name (德润设备联网, 华辰二期).
var dealNouns = []string{"项目", "设备", "系统", "平台", "方案", "合同", "报价", "需求", "产品", "业务", "订单", "工程", "改造", "升级", "期",
	"进展", "进度", "情况", "记录", "状态", "阶段", "动态", "近况", "资料", "跟进", "联系", "金额", "单子", "商机", "现在", "最近",
	"方面", "这", "那"}

// channelAt reports an interaction word (拜访, 电话…) starting at j.
func (m *msg) channelAt(j int) bool {
	for _, h := range m.hits[m.firstHit(j):] {
		if int(h.pos) > j {
			break
		}
		if h.cat == catChannel {
			return true
		}
	}
	return false
}

// nameBoundary reports what cannot continue an organisation's name at j: a
// stop word, an interaction, stage, title, tense or channel word, a person,
// a date or another known customer.
func (m *msg) nameBoundary(j int) bool {
	for _, h := range m.hits[m.firstHit(j):] {
		if int(h.pos) > j {
			break
		}
		switch h.cat {
		case catOrgStop, catChannel, catTitle, catPast, catFuture, catNeg, catAmountKey, catVisitCue:
			return true
		case catStage:
			if h.end-h.pos >= 2 {
				return true // a stage word, not one rune of a family's verb (递, 发)
			}
		}
	}
	if m.contactStartsAt(j) {
		return true
	}
	for _, d := range m.dates {
		if d.start == j {
			return true
		}
	}
	for _, k := range m.known {
		if k.start == j {
			return true
		}
	}
	return false
}

// contactStartsAt reports whether a found person starts at j.
func (m *msg) contactStartsAt(j int) bool {
	for _, c := range m.contacts {
		if c.start == j {
			return true
		}
	}
	return false
}

// lastSuffixIn returns the organisation suffix that ends last within
// [from, to), starting at or after from.
func (m *msg) lastSuffixIn(from, to int) (span, bool) {
	var best span
	ok := false
	for _, h := range m.hits[m.firstHit(from):] {
		if int(h.pos) >= to {
			break
		}
		if h.cat == catOrgSuffix && int(h.end) <= to && (!ok || int(h.end) > best.end) {
			best, ok = span{int(h.pos), int(h.end)}, true
		}
	}
	return best, ok
}

// isCanonical reports whether p is the full name of a customer it names.
func (idx *customerIndex) isCanonical(p *custPattern) bool {
	for _, c := range p.custs {
		f := idx.folded[c]
		if len(f) == len(p.w) && hasAt(f, 0, p.w) {
			return true
		}
	}
	return false
}

// dropCollisions removes known matches that begin another organisation;
// the first such organisation is kept as the one written when no known
// customer remains, with the customers it resembles.
func (m *msg) dropCollisions(idx *customerIndex) {
	var other span
	var like []int32
	kept := m.known[:0]
	for _, k := range m.known {
		if e, ok := m.collisionEnd(idx, k); ok {
			if other.end == 0 {
				other, like = span{k.start, e}, k.pat.custs
			}
			continue
		}
		kept = append(kept, k)
	}
	m.known = kept
	if other.end > 0 && len(kept) == 0 {
		m.org = other
		for _, c := range like {
			m.resembles = append(m.resembles, idx.names[c])
		}
	}
}

package parse

import (
	"sort"
	"strings"
)

// Customers (CONTRACT.md "Customers"): a known customer's name or alias
// gives its canonical name; otherwise the organisation as written.

// Customer is one of the tenant's known customers.
type Customer struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

// custPattern is one name or alias, folded for matching.
type custPattern struct {
	w     []rune
	custs []int32 // the customers it names (several: ambiguous)
	latin bool    // holds Latin letters or digits: needs word boundaries
}

// custMatch is a known customer found in the text.
type custMatch struct {
	start, end int
	pat        *custPattern
}

// customerIndex finds known customers: patterns keyed by their first two
// runes, longest first.
type customerIndex struct {
	names  []string
	folded [][]rune // names, folded
	by2    map[[2]rune][]*custPattern
}

func newCustomerIndex(customers []Customer, extra map[string][]string) customerIndex {
	idx := customerIndex{by2: make(map[[2]rune][]*custPattern)}
	pats := map[string]*custPattern{}
	add := func(s string, ci int) {
		w := []rune(strings.TrimSpace(s))
		for i, r := range w {
			w[i] = fold(r)
		}
		if len(w) < 2 {
			return
		}
		key := string(w)
		p := pats[key]
		if p == nil {
			p = &custPattern{w: w}
			for _, r := range w {
				if isAlnum(r) {
					p.latin = true
				}
			}
			pats[key] = p
			k := [2]rune{w[0], w[1]}
			idx.by2[k] = append(idx.by2[k], p)
		}
		for _, c := range p.custs {
			if int(c) == ci {
				return
			}
		}
		p.custs = append(p.custs, int32(ci))
	}
	byName := map[string]int{}
	for _, c := range customers {
		name := strings.TrimSpace(c.Name)
		if name == "" {
			continue
		}
		ci, ok := byName[name]
		if !ok {
			ci = len(idx.names)
			byName[name] = ci
			idx.names = append(idx.names, name)
			f := []rune(name)
			for i, r := range f {
				f[i] = fold(r)
			}
			idx.folded = append(idx.folded, f)
		}
		add(name, ci)
		for _, a := range c.Aliases {
			add(a, ci)
		}
	}
	for name, aliases := range extra {
		ci, ok := byName[name]
		if !ok {
			continue
		}
		for _, a := range aliases {
			add(a, ci)
		}
	}
	// A canonical name names only its own customer, even when another
	// customer lists it as an alias.
	for name, ci := range byName {
		w := []rune(name)
		for i, r := range w {
			w[i] = fold(r)
		}
		if p := pats[string(w)]; p != nil && len(p.custs) > 1 {
			p.custs = []int32{int32(ci)}
		}
	}
	for _, ps := range idx.by2 {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].w) > len(ps[j].w) })
	}
	return idx
}

// match finds known customers: at each position the longest pattern, then
// overlaps resolved longest first (德润医疗 beats 德润 inside it).
func (idx *customerIndex) match(t []rune) []custMatch {
	if len(idx.by2) == 0 {
		return nil
	}
	var found []custMatch
	for i := 0; i+1 < len(t); i++ {
		ps := idx.by2[[2]rune{t[i], t[i+1]}]
		for _, p := range ps {
			if !hasAt(t, i, p.w) {
				continue
			}
			e := i + len(p.w)
			if p.latin && (i > 0 && isAlnum(t[i-1]) && isAlnum(t[i]) || e < len(t) && isAlnum(t[e]) && isAlnum(t[e-1])) {
				continue
			}
			if k := ordinalBefore(t, i); k < i && !idx.nameHolds(p, t[k:e]) {
				break // 第二实验小学 is not the customer whose alias is 实验小学
			}
			found = append(found, custMatch{start: i, end: e, pat: p})
			break
		}
	}
	if len(found) <= 1 {
		return found
	}
	// Keep the longest of overlapping matches.
	order := make([]int, len(found))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		la, lb := found[order[a]].end-found[order[a]].start, found[order[b]].end-found[order[b]].start
		return la > lb
	})
	keep := make([]bool, len(found))
	for _, k := range order {
		ok := true
		for j := range found {
			if keep[j] && found[j].start < found[k].end && found[k].start < found[j].end {
				ok = false
				break
			}
		}
		keep[k] = ok
	}
	out := found[:0]
	for k, f := range found {
		if keep[k] {
			out = append(out, f)
		}
	}
	return out
}

// ordinalBefore returns where an ordinal (第二, 第12) right before i begins,
// or i when there is none.
func ordinalBefore(t []rune, i int) int {
	k := i
	for k > 0 && (isDigit(t[k-1]) || cnDigit(t[k-1]) >= 0 || t[k-1] == '十') {
		k--
	}
	if k < i && k > 0 && t[k-1] == '第' {
		return k - 1
	}
	return i
}

// nameHolds reports whether w is part of the canonical name of a customer
// that p names.
func (idx *customerIndex) nameHolds(p *custPattern, w []rune) bool {
	for _, c := range p.custs {
		f := idx.folded[c]
		for i := 0; i+len(w) <= len(f); i++ {
			if hasAt(f, i, w) {
				return true
			}
		}
	}
	return false
}

// orgSuffixes end an organisation's name.
var orgSuffixes = []string{
	"股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "控股", "股份", "科技", "技术", "信息", "软件", "网络",
	"电子", "智能", "数据", "医疗", "医药", "药业", "制药", "生物", "大药房", "药房", "连锁", "银行", "农商行",
	"信用社", "保险", "证券", "基金", "信托", "医院", "卫生院", "服务中心", "中心", "大学", "学院", "学校", "中学",
	"小学", "幼儿园", "管理局", "局", "委员会", "管委会", "政府", "研究院", "研究所", "设计院", "酒店", "宾馆",
	"饭店", "物流", "物业", "地产", "置业", "建设", "建工", "工程", "电力", "电气", "能源", "电池", "新材", "材料",
	"汽车", "汽配", "重工", "机械", "精密", "制造", "电器", "家居", "超市", "商场", "百货", "商贸", "贸易", "餐饮",
	"食品", "农业", "教育", "传媒", "文化", "港务", "航空", "电商", "纺织", "化工", "钢铁", "矿业", "水务", "燃气",
	"工厂", "分行", "支行", "实业", "环保", "光电", "半导体", "通信", "物联", "自动化", "装备", "仪器", "印务", "服饰",
	"影业", "乳业", "酒业", "集团公司", "厂", "馆", "所", "院", "园区", "科技园", "产业园", "工业园", "园",
}

// orgStops cut an organisation candidate: what comes at or after them is
// not part of the name.
var orgStops = []string{
	"的", "那边", "这边", "那里", "这里", "那个", "这个", "拜访", "回访", "见", "聊", "做", "签", "开", "谈", "了",
	"和", "跟", "给", "找", "约", "去", "在", "总部", "现场", "电话", "一趟", "汇报", "演示", "沟通", "交流", "来电",
	"线上", "视频", "微信", "钉钉", "报价", "合同", "项目", "今天", "昨天", "前天", "上午", "下午", "晚上", "首次",
	"初次", "初步", "新线索", "新客户", "客户", "刚", "已经", "说", "对", "一家", "叫", "是", "也", "都", "还",
	"跑", "到", "来", "回", "陪", "请", "送", "带", "拜", "向", "被", "让", "把", "从",
	"联系", "联络", "致电", "打给", "走访", "电话给", "打电话", "约见", "见了", "找了", "约了",
	"发给", "交给", "转给", "寄给", "递给", "报给", "发到", "转发", "其中", "包括", "比如", "例如", "以及", "另外",
}

func addOrgWords(tb *table) {
	tb.add(catOrgSuffix, 0, orgSuffixes...)
	tb.add(catOrgStop, 0, orgStops...)
}

// genericOrgs are words that end like an organisation but name none.
var genericOrgs = map[string]bool{
	"总部": true, "医院": true, "学校": true, "公司": true, "集团": true, "工厂": true, "分行": true, "支行": true,
	"总行": true, "信息中心": true, "网络中心": true, "数据中心": true, "中心": true, "银行": true, "大学": true,
	"我们公司": true, "我司": true, "这家公司": true, "那家公司": true, "新公司": true, "一家公司": true,
	"他们公司": true, "对方公司": true, "客户公司": true, "技术": true, "科技": true, "信息": true,
}

// strongOrgAnchors introduce an organisation even without a suffix.
var strongOrgAnchors = []string{"新线索:", "新客户:", "首次接触:", "初次接触:", "客户:", "客户名称:", "单位:", "新线索", "新客户", "叫"}

// orgFillers may stand between an anchor and the name (拜访了一个新客户东方电缆).
var orgFillers = []string{"一个新客户", "一家新客户", "新客户", "老客户", "潜在客户", "一个客户", "一家客户", "一家", "一个"}

// verbAnchor is a word before an organisation; punct says whether the
// organisation may end at punctuation, place whether it may be a place
// gone to rather than the organisation met (去西安见…).
type verbAnchor struct {
	w     string
	punct bool
	place bool
}

// verbOrgAnchors come before the organisation an interaction was with
// (去X拜访, 拜访了X, 跟X的王总); punct says whether X may end at punctuation.
var verbOrgAnchors = []verbAnchor{
	{"去了一趟", true, true}, {"去了趟", true, true}, {"跑了一趟", true, true}, {"跑了趟", true, true}, {"去了", true, true}, {"跑了", true, true},
	{"初次拜访", true, false}, {"首次拜访", true, false}, {"拜访了", true, false}, {"拜访", true, false}, {"回访了", true, false}, {"到了", true, true},
	{"去", false, true}, {"和", false, false}, {"跟", false, false}, {"陪", false, false}, {"约", false, false}, {"见了", false, false}, {"找", false, false},
	{"与", false, false}, {"给", false, false}, {"在", false, true}, {"到", false, true},
}

// orgAfterAnchor reads the organisation after a verb anchor at i (去X…,
// 拜访了X); matched says whether an anchor stands at i.
func (m *msg) orgAfterAnchor(i int) (sp span, a verbAnchor, matched bool) {
	t := m.t
	if !anchorFirst[t[i]] {
		return span{}, verbAnchor{}, false
	}
	for _, a := range verbOrgAnchors {
		if !hasStrAt(t, i, a.w) {
			continue
		}
		s := i + len([]rune(a.w))
		if a.punct {
			for s < len(t) && t[s] == ' ' {
				s++ // 拜访了 星海科技
			}
		}
		for _, f := range orgFillers {
			if hasStrAt(t, s, f) {
				s += len([]rune(f))
				break
			}
		}
		return m.orgAt(s, a.punct), a, true
	}
	if i > 0 && hasStrAt(t, i, "见") && !hasStrAt(t, i, "见了") && isNameRune(t[i-1]) {
		// 去西安见秦川重卡的康总: 见 right after a place
		return m.orgAt(i+1, false), verbAnchor{w: "见"}, true
	}
	return span{}, verbAnchor{}, false
}

// orgAt reads an organisation starting exactly at s and shown to be one by
// a suffix or by what follows it.
func (m *msg) orgAt(s int, punct bool) span {
	t := m.t
	e := s
	for e < len(t) && isNameRune(t[e]) && !m.stopAt(e, s) {
		e++
	}
	e = m.latinNameEnd(s, e)
	if sp, ok := m.orgSpan(s, e); ok && sp.start == s && (m.endsWithSuffix(sp.end) || m.orgFollowed(sp.end, punct)) {
		return sp
	}
	return span{}
}

// anchorFirst holds the first runes of verbOrgAnchors and 见.
var anchorFirst = func() map[rune]bool {
	f := map[rune]bool{'见': true}
	for _, a := range verbOrgAnchors {
		f[[]rune(a.w)[0]] = true
	}
	return f
}()

// visitVerbAt reports a verb of meeting at i (拜访, 见, 找), after a place.
func visitVerbAt(t []rune, i int) bool {
	for _, w := range []string{"拜访", "见", "找", "回访", "约"} {
		if hasStrAt(t, i, w) {
			return true
		}
	}
	return false
}

// orgFollows are words after which X in 去X…/跟X… is an organisation.
var orgFollows = []string{"拜访", "回访", "见", "做", "签", "聊", "谈", "开", "汇报", "演示", "交流", "沟通", "了解",
	"调研", "参加", "报", "发", "对接", "过了", "那边", "这边", "那里", "总部", "现场", "考察", "参观"}

// notOrgs are words that stand where an organisation could but name none.
var notOrgs = []string{"他们", "我们", "对方", "客户", "这家", "那家", "老客户", "新客户", "大家", "领导", "甲方", "乙方",
	"咱们", "人家", "这边", "那边", "一家", "几家", "公司", "现场", "总部", "同事", "技术", "老板", "家里", "这里", "那里",
	"记录", "情况", "计划", "内容", "方式", "对象", "日报", "总结", "报告", "客户", "项目", "方案", "合同", "报价", "需求",
	"资料", "产品", "系统", "一下", "一趟", "一次", "过", "完", "次", "几", "多少", "哪"}

// findOrg finds the organisation taken as written, when no known customer
// is named, trying in turn: after 叫/新线索:/客户:; the first token of a
// terse message; X before 那边; X after 去/拜访/跟… and before an
// interaction word or a person; X before (的) a person; and any run of name
// runes ending with an organisation suffix.
func (m *msg) findOrg() span {
	t := m.t
	// 1. Strong anchors.
	for _, a := range strongOrgAnchors {
		for i := indexStr(t, 0, len(t), a); i >= 0; i = indexStr(t, i+1, len(t), a) {
			s := i + len([]rune(a))
			for s < len(t) && (t[s] == ' ' || t[s] == ':') {
				s++
			}
			if sp, ok := m.orgFrom(s, a != "叫"); ok {
				return sp
			}
		}
	}
	// 2. The first token of a terse message ("栖云酒店 报价已发").
	s := 0
	for s < len(t) && (isSpace(t[s]) || isClauseBreak(t, s)) {
		s++
	}
	e := s
	for e < len(t) && isNameRune(t[e]) {
		e++
	}
	if e > s && e < len(t) && (isSpace(t[e]) || t[e] == ':') {
		if sp, ok := m.orgSpan(s, e); ok && (m.endsWithSuffix(sp.end) || m.contactAt(nextToken(t, e)) || m.personAfter(sp.end)) {
			return sp
		}
	}
	// 3. X那边, X这边.
	for _, w := range []string{"那边", "这边"} {
		for i := indexStr(t, 0, len(t), w); i >= 0; i = indexStr(t, i+1, len(t), w) {
			if sp, ok := m.orgSpan(m.orgRunStart(i), i); ok && sp.end == i {
				return sp
			}
		}
	}
	// 4. After an interaction verb.
	for i := range t {
		sp, a, matched := m.orgAfterAnchor(i)
		if !matched || a.w == "见" {
			continue // 见 counts only after a place gone to
		}
		if sp.end > sp.start {
			// 去西安见秦川重卡的康总, 去成都天府软件园拜访了蜀道数科: the
			// place gone to comes first, the organisation met after it.
			if a.place {
				if sp2, _, ok := m.orgAfterAnchor(sp.end); ok && sp2.end > sp2.start && !m.contactAt(sp2.start) && visitVerbAt(t, sp.end) {
					return sp2
				}
			}
			return sp
		}
	}
	// 5. A Latin name before 的 and a person (SAP的Lisa, Tencent 的 Amy).
	for _, c := range m.contacts {
		if sp, ok := m.latinOrgBefore(c.start); ok && !m.competitor(sp.start) {
			return sp
		}
	}
	// 6. X的王总, X王总, X的采购总监王总.
	for _, c := range m.contacts {
		e := m.skipRoleBack(c.start)
		for moved := e < c.start; ; {
			// terse notes: 福耀玻璃 的 采购 章经理
			k := skipSpacesBack(t, e)
			if k == e || k == 0 {
				break
			}
			k2 := m.skipRoleBack(k)
			if k2 == k {
				if moved {
					e = k
				}
				break
			}
			e, moved = k2, true
		}
		if sp, ok := m.orgSpan(m.orgRunStart(e), e); ok && sp.end == e && !m.competitor(sp.start) {
			return sp
		}
	}
	// 7. Any run that ends with a suffix.
	for _, h := range m.hits {
		if h.cat != catOrgSuffix {
			continue
		}
		end := int(h.end)
		start := m.orgRunStart(int(h.pos))
		if sp, ok := m.orgSpan(start, end); ok && m.endsWithSuffix(sp.end) && !m.competitor(sp.start) {
			// extend over further suffixes (安澜物业服务有限公司)
			for _, h2 := range m.hits {
				if h2.cat == catOrgSuffix && int(h2.pos) >= sp.end && int(h2.pos) <= sp.end+4 && m.plainRun(sp.end, int(h2.pos)) {
					sp.end = int(h2.end)
				}
			}
			return sp
		}
	}
	return span{}
}

// orgFollowed reports whether what comes at e shows the run before it was
// an organisation: an interaction word, (的) a person, or (when punct)
// punctuation or the end.
func (m *msg) orgFollowed(e int, punct bool) bool {
	t := m.t
	if e >= len(t) || isTightBreak(t, e) {
		return punct
	}
	for _, w := range orgFollows {
		if hasStrAt(t, e, w) {
			return true
		}
	}
	if k := m.deptEnd(e); k > e {
		e = k
	}
	if e < len(t) && t[e] == '的' {
		e = nextToken(t, e+1) // 华为云的 Kevin
	}
	if k := m.deptEnd(e); k > e {
		if k >= len(t) || isTightBreak(t, k) {
			return true // 拜访格力的采购中心: the organisation's department
		}
		e = k
	}
	return m.contactAt(e) || m.personAfter(e)
}

// personAfter reports a person (surname and title) right at e, after a name.
func (m *msg) personAfter(e int) bool {
	if e <= 0 || e >= len(m.t) || !isNameRune(m.t[e-1]) {
		return false
	}
	_, ok := m.personAt(e)
	return ok
}

// deptEnd returns the end of a department starting at i (采购部, 信息中心), or i.
func (m *msg) deptEnd(i int) int {
	t := m.t
	for _, d := range departments {
		if hasStrAt(t, i, d) {
			k := i + len([]rune(d))
			if k < len(t) && strings.ContainsRune("部科处室组办", t[k]) {
				return k + 1
			}
			if hasStrAt(t, k, "中心") {
				return k + 2
			}
		}
	}
	return i
}

// orgFrom reads an organisation starting at s; loose accepts one without a suffix.
func (m *msg) orgFrom(s int, loose bool) (span, bool) {
	t := m.t
	e := s
	for e < len(t) && isNameRune(t[e]) && !m.stopAt(e, s) {
		e++
	}
	e = m.latinNameEnd(s, e)
	sp, ok := m.orgSpan(s, e)
	if !ok {
		return span{}, false
	}
	if !m.endsWithSuffix(sp.end) && !(loose && (e >= len(t) || isTightBreak(t, e))) && !hasStrAt(t, s-1, "叫") {
		return span{}, false
	}
	return sp, true
}

// orgSpan trims [s,e) to a plausible name: cut at the last suffix inside,
// drop trailing 那边/的, refuse generic words and known customers.
func (m *msg) orgSpan(s, e int) (span, bool) {
	t := m.t
	// cut at the first stop word or contact
	for k := s + 1; k < e; k++ {
		if m.stopAt(k, s) {
			e = k
			break
		}
	}
	// cut before a person written right after the name (华为张总)
	e = m.personSplit(s, e)
	// cut after the last suffix that leaves two runes of name before it
	for k := e - 1; k > s+1; k-- {
		if n := int(m.pos[k].suffixLen); n > 0 && k+1-n > s+1 {
			e = k + 1
			break
		}
	}
	if e-s < 2 || e-s > 24 {
		return span{}, false
	}
	name := string(t[s:e])
	if genericOrgs[name] || m.stopStartsAt(s) {
		return span{}, false
	}
	if h, ok := m.lastHitBefore(catTitle, s, e); ok && int(h.end) == e && h.end-h.pos >= 2 && !m.endsWithSuffix(e) {
		return span{}, false // a role (工程部经理), not an organisation
	}
	for _, w := range notOrgs {
		if name == w || strings.HasPrefix(name, w) && !m.endsWithSuffix(e) {
			return span{}, false
		}
	}
	for _, p := range places {
		if name == p {
			return span{}, false
		}
	}
	if endsWithStr(t, e, "中心") && deptStart(t, s, e) == s {
		return span{}, false // 采购中心: a department, not an organisation
	}
	if !m.endsWithSuffix(e) && strings.ContainsRune("部科处室组办心", t[e-1]) {
		// 比亚迪采购部: drop the department, keep the organisation.
		if k := deptStart(t, s, e); k > s+1 {
			return m.orgSpan(s, k)
		} else if k >= 0 || !strings.ContainsRune("科心", t[e-1]) {
			return span{}, false
		}
	}
	for _, k := range m.known {
		if s < k.end && k.start < e {
			return span{}, false
		}
	}
	for _, d := range m.dates {
		if s < d.end && d.start < e {
			return span{}, false
		}
	}
	return span{s, e}, true
}

// stopAt reports whether a stop word or a contact begins at k (k > s).
// A one-rune stop (和, 的) counts only after two runes, as it may sit
// inside a short name (嘉和物流).
func (m *msg) stopAt(k, s int) bool {
	if k <= s || k >= len(m.pos) {
		return false
	}
	p := m.pos[k]
	return p.contactStart || p.stopStart > 1 || p.stopStart == 1 && k-s >= 2
}

// skipRoleBack walks back from a person over roles, departments and 的
// (金辉置业的工程部经理马经理 → 金辉置业).
func (m *msg) skipRoleBack(e int) int {
	t := m.t
	for e > 0 {
		switch {
		case t[e-1] == '的':
			e--
			continue
		case isLatin(t[e-1]):
			k := e
			for k > 0 && isLatin(t[k-1]) {
				k--
			}
			e = k
			continue
		}
		k, ok := m.roleStepBack(e, true)
		if !ok {
			break
		}
		e = k
	}
	return e
}

// suffixOfName reports whether the n runes ending at e, a department word
// that is also an organisation suffix (科技, 信息), end a name (星海科技李经理)
// rather than name a department after one (华辰集团信息李总).
func (m *msg) suffixOfName(e, n int) bool {
	return int(m.pos[e-1].suffixLen) >= n && !m.endsWithSuffix(e-n)
}

// departments are the words before 部/科/处/中心 that name a department.
var departments = []string{"采购", "信息", "技术", "财务", "行政", "人事", "人力", "人力资源", "市场", "销售", "生产",
	"质量", "品质", "设备", "工程", "运营", "研发", "网络", "数据", "科技", "风控", "信贷", "理赔", "后勤", "总务",
	"仓储", "法务", "审计", "战略", "投资", "计划", "企划", "客服", "安全", "安保", "保卫", "教务", "医务", "护理",
	"药剂", "信息化", "it", "基建", "资产", "供应链", "营销", "业务", "综合", "规划", "事业", "办公", "党政", "院",
	"总经理", "董事会", "物流", "商务", "合规", "品牌", "电商", "渠道", "工会", "总裁", "信息技术", "设备管理"}

// deptStart returns where a department at the end of t[s:e] begins, or -1.
func deptStart(t []rune, s, e int) int {
	tail := 1
	if t[e-1] == '心' {
		if !endsWithStr(t, e, "中心") {
			return -1
		}
		tail = 2
	}
	best := -1
	for _, d := range departments {
		k := e - tail - len([]rune(d))
		if k >= s && hasStrAt(t, k, d) && (best < 0 || k < best) {
			best = k
		}
	}
	return best
}

// contactAt reports whether a contact starts at k.
func (m *msg) contactAt(k int) bool { return k < len(m.pos) && m.pos[k].contactStart }

// stopStartsAt reports whether a stop word starts at k.
func (m *msg) stopStartsAt(k int) bool { return k < len(m.pos) && m.pos[k].stopStart > 0 }

// endsStop returns the length of the longest stop word ending exactly at k.
func (m *msg) endsStop(k int) int {
	if k <= 0 || k > len(m.pos) {
		return 0
	}
	return int(m.pos[k-1].stopEnd)
}

func nextToken(t []rune, i int) int {
	for i < len(t) && isSpace(t[i]) {
		i++
	}
	return i
}

// endsWithSuffix reports whether an organisation suffix ends at e.
func (m *msg) endsWithSuffix(e int) bool { return e > 0 && e <= len(m.pos) && m.pos[e-1].suffixLen > 0 }

// orgRunStart walks back from a suffix at p over name runes, stopping at
// punctuation, whitespace, a stop word or a contact.
func (m *msg) orgRunStart(p int) int {
	t := m.t
	s := p
	for s > 0 && isNameRune(t[s-1]) && p-s < 20 {
		if n := m.endsStop(s); n > 1 || n == 1 && p-s >= 2 || m.contactEndsAt(s) {
			break
		}
		s--
	}
	return s
}

func (m *msg) contactEndsAt(k int) bool { return k > 0 && k <= len(m.pos) && m.pos[k-1].contactEnd }

// posInfo says what begins or ends at one position; see indexPositions.
type posInfo struct {
	stopStart, stopEnd       uint8 // longest stop word starting / ending (inclusive) here
	suffixLen                uint8 // longest organisation suffix ending (inclusive) here
	contactStart, contactEnd bool
}

// indexPositions records, per position, the stop words, suffixes and
// contacts, so the organisation rules look them up in constant time.
func (m *msg) indexPositions() {
	m.pos = make([]posInfo, len(m.t))
	for _, h := range m.hits {
		n := uint8(min(h.end-h.pos, 255))
		switch h.cat {
		case catOrgStop:
			if p := &m.pos[h.pos]; n > p.stopStart {
				p.stopStart = n
			}
			if p := &m.pos[h.end-1]; n > p.stopEnd {
				p.stopEnd = n
			}
		case catOrgSuffix:
			if p := &m.pos[h.end-1]; n > p.suffixLen {
				p.suffixLen = n
			}
		}
	}
	for _, c := range m.contacts {
		m.pos[c.start].contactStart = true
		m.pos[c.end-1].contactEnd = true
	}
}

// plainRun reports whether t[a:b] holds only name runes and no stop word.
func (m *msg) plainRun(a, b int) bool {
	for k := a; k < b; k++ {
		if !isNameRune(m.t[k]) || m.stopAt(k, a-1) {
			return false
		}
	}
	return true
}

// competitor reports an organisation named as a competitor (选了竞品迅驰软件).
func (m *msg) competitor(s int) bool {
	from := clauseStart(m.t, s, false)
	if s-from > 8 {
		from = s - 8
	}
	return m.anyHit(catCompetitor, from, s)
}

// pickKnown returns the known customer the message is about: the first
// one not named as a competitor.
func (m *msg) pickKnown() (custMatch, bool) {
	for i, k := range m.known {
		if !m.competitor(k.start) && !(i+1 < len(m.known) && m.sideOrg(k)) {
			return k, true
		}
	}
	if len(m.known) > 0 {
		return m.known[0], true
	}
	return custMatch{}, false
}

// sideOrg reports a known organisation that only went along or made the
// introduction (和华辰科技一起去拜访了…, 通过天衡信息介绍认识了…): with
// several organisations the customer is the one the interaction was with.
func (m *msg) sideOrg(k custMatch) bool {
	t := m.t
	e := k.end
	for e < len(t) && e < k.end+2 && (t[e] == '的' || t[e] == '那' || t[e] == '边' || t[e] == ' ') {
		e++
	}
	if k.start > 0 && strings.ContainsRune("和跟与同", t[k.start-1]) {
		// 和华辰科技一起, 跟天衡信息的人一起
		for j := e; j < len(t) && j <= e+4 && !isClauseBreak(t, j); j++ {
			if hasStrAt(t, j, "一起") || hasStrAt(t, j, "一块") {
				return true
			}
		}
	}
	if endsWithStr(t, k.start, "通过") || endsWithStr(t, k.start, "经过") || endsWithStr(t, k.start, "经") {
		for _, w := range []string{"介绍", "引荐", "推荐", "牵线", "搭桥"} {
			if i := indexStr(t, e, min(len(t), e+4), w); i >= 0 {
				return true
			}
		}
	}
	return false
}

// keepCustomerPeople drops the people named after another known customer
// the rep also visited (上午宏泰汽配孙部长，下午鲜丰季田总): the contacts are
// the people of the customer the message is about. A competitor or an
// organisation that only went along does not take its followers away.
func (m *msg) keepCustomerPeople() {
	if len(m.known) < 2 {
		return
	}
	k, ok := m.pickKnown()
	if !ok {
		return
	}
	kept := m.contacts[:0]
	for _, c := range m.contacts {
		owner := -1
		for i, o := range m.known {
			if o.end <= c.start {
				owner = i
			}
		}
		if owner >= 0 {
			o := m.known[owner]
			if o.start > k.start && !samePattern(o, k) && !m.competitor(o.start) && !m.sideOrg(o) {
				continue
			}
		}
		kept = append(kept, c)
	}
	m.contacts = kept
}

// samePattern reports two mentions of the same customer.
func samePattern(a, b custMatch) bool {
	if a.pat == b.pat {
		return true
	}
	for _, x := range a.pat.custs {
		for _, y := range b.pat.custs {
			if x == y {
				return true
			}
		}
	}
	return false
}

// keepOrgPeople is keepCustomerPeople for an organisation taken as written:
// a person written after another organisation and 的 (见了药明的李总),
// later in the message, is that organisation's, not a contact.
func (m *msg) keepOrgPeople() {
	o := m.org
	if o.end <= o.start {
		return
	}
	t := m.t
	kept := m.contacts[:0]
	for _, c := range m.contacts {
		if c.start > o.end && containsStr(t, max(o.end, c.start-12), c.start, "的") {
			e := m.skipRoleBack(c.start)
			if e < c.start && strings.ContainsRune(string(t[e:c.start]), '的') {
				if sp, ok := m.orgSpan(m.orgRunStart(e), e); ok && sp.end == e && sp.start > o.end && !endsWithStr(t, e, "中心") &&
					string(t[sp.start:sp.end]) != string(t[o.start:o.end]) && !m.competitor(sp.start) {
					continue
				}
			}
		}
		kept = append(kept, c)
	}
	m.contacts = kept
}

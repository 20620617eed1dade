package parse

import "strings"

// Contacts (CONTRACT.md "contacts"): the customer's people the rep spoke
// with, written as surname or full name plus title (张总, 王建国主任,
// 欧阳总). Departments and roles before the surname are dropped; our own
// colleagues, partners' staff and people absent or not yet met are not
// contacts.

// singleSurnames are common one-character surnames. Characters that are
// far more often ordinary words next to a title (和, 国, 云, 车, 成…) are
// left out on purpose.
var singleSurnames = runeSet("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶牟艾尤穆农卓古吉缪简项芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺阚帅屠豆朴练廉禹井祖漆巴丰支卿狄宣晋芮扈晁阙浦鹿邸雍辜裘亓修邰赫杭况宿逯隆茹诸慕危亢嵇湛戎茅揭尉檀衣昝幸衡富尧关")

// compoundSurnames are two-character surnames.
var compoundSurnames = runes("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "公孙",
	"尉迟", "长孙", "宇文", "端木", "南宫", "独孤", "轩辕", "西门", "澹台", "呼延", "百里", "万俟", "闻人", "申屠",
	"钟离", "赫连", "太史", "东郭", "公羊", "濮阳", "淳于", "单于", "第五", "左丘", "谷梁", "拓跋")

// surnameTraps are words whose second rune is a surname: right before a
// title they are still the word (对方经理 is not 方经理).
var surnameTraps = setOf(
	"对方", "双方", "甲方", "乙方", "地方", "官方", "厂方", "我方", "各方", "多方", "校方", "院方", "警方", "资方", "买方", "卖方",
	"资金", "黄金", "现金", "奖金", "租金", "基金", "美金", "相关", "海关", "机关", "公关", "攻关", "正常", "日常", "经常", "非常",
	"异常", "工程", "流程", "进程", "过程", "课程", "日程", "章程", "本周", "每周", "上周", "下周", "这周", "一周", "两周", "中华",
	"年华", "提高", "最高", "保安", "公安", "平安", "治安", "长江", "对于", "由于", "关于", "至于", "等于", "属于", "位于", "大于",
	"小于", "高于", "低于", "用于", "处于", "老王", "小王", "老李", "小李", "老张", "小张", "老刘", "小刘", "老陈", "小陈")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// titles are the words that follow a surname or a full name.
var titles = []string{
	"总经理", "董事长", "总监", "总裁", "总工", "总", "经理", "主任", "部长", "科长", "处长", "局长", "局",
	"行长", "院长", "校长", "主管", "工程师", "工", "老师", "厂长", "书记", "护士长", "主席", "秘书长",
	"所长", "站长", "队长", "组长", "馆长", "会长", "董", "老板", "教授", "博士", "医生", "主编", "律师",
	"会计", "专员", "镇长", "县长", "区长", "市长", "厅长", "司长", "社长", "园长", "总师", "总工程师",
	"书记员", "主任医师", "秘书", "助理", "总助", "股长", "庭长", "检察长", "指导员", "台长", "店长",
}

// notAfterTitle lists, per title, runes after which it is not a title
// (总部, 总结, 工程, 局里).
var notAfterTitle = map[string]map[rune]bool{
	"总": runeSet("部结价额计共体之算包署局院站队厂店台数量装机值票分归行决览则纲统务账表集成公司"),
	"工": runeSet("程厂作业地艺期资具人会序位种商科况单号信行学时装匠友伤龄整控质务段区棚委商"),
	"局": runeSet("长里面领势限部办机属"),
	"董": runeSet("事办"),
}

// notNameRunes cannot be part of a given name between surname and title.
var notNameRunes = runeSet("的了和跟与及给向对在是说见找约等部科处室组院办局司厂委会心总长任理监师工经主也都还就又很请让被把带陪问叫位名号个家该这那其各每老小大副正原前后上下里外内中市省县区镇村街路行店队所站馆厅署我你他她们同事")

// boundaryBefore lists runes that may come right before a full name or a
// compound surname (a department, a function word, punctuation).
var boundaryBefore = runeSet("的和跟与及了见给找约是部科处室办心会院局司组厂行校、向对在请问陪带位名叫把被让等说到为委队站所馆访系人")

func addContactWords(tb *table) {
	tb.add(catTitle, 0, titles...)
	tb.add(catColleague, 0, "代理商", "合作伙伴", "集成商", "经销商", "渠道商", "伙伴", "分包商", "总包方")
}

// contactMatch is one person found in the text.
type contactMatch struct {
	start, end int
	surname    int // length of the surname
	given      int // length of the given name
	planned    bool
}

// findContacts finds every customer person; blocked spans (customers) are
// never part of a name.
func (m *msg) findContacts() {
	t := m.t
	last := 0
	for _, h := range m.hits {
		if h.cat != catTitle || int(h.pos) < last {
			continue
		}
		p, end := int(h.pos), int(h.end)
		title := string(t[p:end])
		if deny, ok := notAfterTitle[title]; ok && end < len(t) && deny[t[end]] {
			continue
		}
		if end < len(t) && title == "总" && (t[end] == '监' || t[end] == '裁') {
			continue
		}
		q := p
		if q > 0 && t[q-1] == '副' {
			q--
		}
		lo := last
		for _, k := range m.known {
			if k.end <= q && k.end > lo {
				lo = k.end
			}
		}
		c, ok := m.nameBefore(q, lo)
		if !ok {
			continue
		}
		c.end = end
		if title == "局" && !(c.start == 0 || !isHan(t[c.start-1]) || boundaryBefore[t[c.start-1]]) {
			continue // 公安局, 监管局: part of an organisation
		}
		if title == "工" && (hasStrAt(t, c.start, "施工") || hasStrAt(t, c.start, "童工")) {
			continue
		}
		if m.inKnown(c.start) {
			last = end
			continue
		}
		if m.colleague(c.start) || m.absent(c.start, c.end) || m.sameAsExcluded(c) || m.onlyMentioned(c.start) {
			m.excluded = append(m.excluded, c)
			last = end
			continue
		}
		if c.start > 0 && t[c.start-1] == '@' {
			last = end
			continue
		}
		c.planned = m.plannedAt(c.start, true)
		m.contacts = append(m.contacts, c)
		last = end
	}
}

// sameAsExcluded reports whether c names a person already found to be one
// of ours or absent (我们的李总…李总跟他聊).
func (m *msg) sameAsExcluded(c contactMatch) bool {
	for _, x := range m.excluded {
		if x.end-x.start == c.end-c.start && hasAt(m.t, c.start, m.t[x.start:x.end]) {
			return true
		}
	}
	return false
}

// nameBefore finds the surname (and given name) ending at q, not reaching
// before lo: the longest plausible reading wins (信息科王建国主任 → 王建国).
func (m *msg) nameBefore(q, lo int) (contactMatch, bool) {
	t := m.t
	for n := 4; n >= 1; n-- {
		for s := 2; s >= 1; s-- {
			g := n - s
			if g < 0 || g > 2 {
				continue
			}
			start := q - g - s
			if start < lo || start < 0 {
				continue
			}
			if s == 2 {
				if !isCompound(t[start : start+2]) {
					continue
				}
			} else if !singleSurnames[t[start]] {
				continue
			}
			ok := true
			for k := start + s; k < q; k++ {
				if !isHan(t[k]) || notNameRunes[t[k]] {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if (g > 0 || s == 2) && start > 0 && isHan(t[start-1]) && !boundaryBefore[t[start-1]] && !(s == 2 && m.titleEndsAt(start)) {
				continue // a role may stand right before a compound surname (总经理夏侯总)
			}
			if s == 1 && start > 0 && surnameTraps[string(t[start-1:start+1])] {
				continue
			}
			return contactMatch{start: start, surname: s, given: g}, true
		}
	}
	return contactMatch{}, false
}

// titleEndsAt reports whether a title of two runes or more ends at i.
func (m *msg) titleEndsAt(i int) bool {
	h, ok := m.lastHitBefore(catTitle, max(0, i-5), i)
	return ok && int(h.end) == i && h.end-h.pos >= 2
}

func isCompound(rs []rune) bool {
	for _, c := range compoundSurnames {
		if rs[0] == c[0] && rs[1] == c[1] {
			return true
		}
	}
	return false
}

// colleague reports whether the words right before a name mark them as one
// of ours or a partner's (我们技术部的李工, 代理商的王总).
func (m *msg) colleague(start int) bool {
	t := m.t
	if end := m.personEnd(start); end > 0 && (hasStrAt(t, end, "(我") || hasStrAt(t, end, "（我")) {
		return true // 李总(我们大区总监)
	}
	from := start
	for from > 0 && start-from < 10 {
		r := t[from-1]
		if isTightBreak(t, from-1) || strings.ContainsRune("和跟与给见约找了带陪向对及是@", r) {
			break
		}
		from--
	}
	return m.anyHit(catColleague, from, start)
}

// speechVerbs introduce what someone else said (王总说…).
var speechVerbs = []string{"说", "表示", "提到", "讲", "告诉我", "透露", "反馈"}

// meetingCues before a person in their own clause say the rep dealt with
// them (…说让我们见了李工, 和李工聊了).
var meetingCues = []string{"见", "和", "跟", "与", "同", "拜访", "陪", "约了", "联系了", "打给", "发给", "交给"}

// onlyMentioned reports a person named inside what someone else said
// (冯经理说他们老板刘总很感兴趣, 他说要请示一下张行长): mentioned, not met,
// unless their own clause says the rep dealt with them.
func (m *msg) onlyMentioned(start int) bool {
	t := m.t
	from := sentenceStart(t, start)
	said := -1
	for _, w := range speechVerbs {
		if i := lastIndexIn(t, from, start, w); i > said && m.speakerBefore(from, i) {
			said = i
		}
	}
	if said < 0 {
		return false
	}
	cs := max(clauseStart(t, start, false), said)
	return !anyStr(t, cs, start, meetingCues)
}

// speakerBefore reports a person or a pronoun right before the speech verb
// at i (王总说, 他说, 对方也说).
func (m *msg) speakerBefore(from, i int) bool {
	j := i
	for j > from && i-j < 6 {
		if strings.ContainsRune("也还就又都跟我们在上里", m.t[j-1]) {
			j--
		} else if h, ok := m.lastHitBefore(catChannel, max(from, j-4), j); ok && int(h.end) == j {
			j = int(h.pos) // 李经理电话说, 王总微信上说
		} else {
			break
		}
	}
	for _, p := range []string{"他", "她", "对方", "他们", "客户", "老板", "领导"} {
		if endsWithStr(m.t, j, p) {
			return true
		}
	}
	for _, c := range m.contacts {
		if c.end == j {
			return true
		}
	}
	return false
}

func lastIndexIn(t []rune, from, to int, w string) int {
	last := -1
	for i := indexStr(t, from, to, w); i >= 0; i = indexStr(t, i+1, to, w) {
		last = i
	}
	return last
}

// personEnd returns the end of the title after the person starting at
// start, or 0.
func (m *msg) personEnd(start int) int {
	for _, h := range m.hits[m.firstHit(start):] {
		if int(h.pos) > start+4 {
			break
		}
		if h.cat == catTitle && int(h.pos) > start {
			return int(h.end)
		}
	}
	return 0
}

// absent reports a person who was not there (王总出差了, 没见到李总).
func (m *msg) absent(start, end int) bool {
	if m.anyHit(catAbsent, end, end+3) {
		return true
	}
	for _, w := range []string{"没见到", "没见着", "没碰到", "没约到", "没联系上"} {
		if endsWithStr(m.t, start, w) {
			return true
		}
	}
	return false
}

// inKnown reports whether i lies in a known customer's name or the
// organisation taken as written.
func (m *msg) inKnown(i int) bool {
	for _, k := range m.known {
		if i >= k.start && i < k.end {
			return true
		}
	}
	return m.org.has(i)
}

// contactNames returns the contacts as written, deduplicated; a short form
// (王主任) is dropped when the full name (王建国主任) is there, and people
// named only in plans are left out.
func (m *msg) contactNames() []string {
	out := []string{}
	for i, c := range m.contacts {
		if m.org.has(c.start) || m.isDenied(c.start) {
			continue
		}
		if c.planned && !m.metElsewhere(i) {
			continue
		}
		name := string(m.src[c.start:c.end])
		dup := false
		for k, o := range out {
			if o == name {
				dup = true
				break
			}
			if sameSurnameTitle(o, name) {
				if len([]rune(name)) > len([]rune(o)) {
					out[k] = name
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, name)
		}
	}
	return out
}

// metElsewhere reports whether contact i also appears outside a plan.
func (m *msg) metElsewhere(i int) bool {
	c := m.contacts[i]
	for k, o := range m.contacts {
		if k != i && !o.planned && o.surname == c.surname && hasAt(m.t, o.start, m.t[c.start:c.start+c.surname]) &&
			hasAt(m.t, o.end-1, m.t[c.end-1:c.end]) {
			return true
		}
	}
	return false
}

// sameSurnameTitle reports whether a is the short form of b or b of a:
// same first rune, same last title rune, one with a given name.
func sameSurnameTitle(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == len(rb) || ra[0] != rb[0] {
		return false
	}
	short, long := ra, rb
	if len(ra) > len(rb) {
		short, long = rb, ra
	}
	return strings.HasSuffix(string(long), string(short[1:])) && len(long)-len(short) <= 2
}

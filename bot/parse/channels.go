package parse

import (
	"strings"

	"salesbot/domain"
)

// Channels (CONTRACT.md "Channels"): how the interaction happened. The
// first explicit word wins (电话, 视频, 拜访); weaker hints (去, 见了, 在+place)
// count only when no explicit word does. Planned interactions (后天再电话)
// don't count.

// Channel cue values (hit.val): channel in the low bits, strength above.
const (
	cueOnsite = 1
	cuePhone  = 2
	cueOnline = 3
	cueWeak   = 8  // a hint, not an explicit word
	cuePlace  = 16 // 在: needs a place after it
)

func addChannelWords(tb *table) {
	tb.add(catChannel, cueOnsite, "拜访", "上门", "面谈", "面聊", "当面", "来访", "到访", "现场", "登门", "实地",
		"线下", "饭局", "吃饭", "宴请", "请客", "喝茶", "茶叙", "展会", "展台", "峰会", "论坛", "参观", "考察", "接待",
		"碰面", "见面", "拜会", "面见", "约见", "饭桌", "酒桌", "会面", "吃了个饭", "吃了饭", "吃了顿饭",
		"聚餐", "喝茶", "喝了个茶", "请吃饭", "见了个面", "面对面", "走访", "路演",
		"酒局", "喝酒", "喝了酒", "喝咖啡", "喝了咖啡", "喝了个咖啡", "喝了杯咖啡", "饭后", "博览会", "展览会", "交易会", "工博会", "进博会", "广交会")
	tb.add(catChannel, cueOnsite|cueWeak, "第一次见", "初次见", "首次见", "去", "跑了", "跑一趟", "跑了一趟", "跑到", "见了", "见到", "碰到",
		"回访", "来我们公司", "来公司", "刚从", "到")
	tb.add(catChannel, cueOnsite|cueWeak|cuePlace, "在")
	tb.add(catChannel, cuePhone, "电话", "致电", "通话", "来电", "打来", "电联", "打给", "语音", "手机")
	tb.add(catChannel, cueOnline, "视频", "线上", "在线", "网上", "微信", "钉钉", "企业微信", "企微", "飞书",
		"腾讯会议", "zoom", "teams", "远程", "邮件", "邮箱", "qq", "网络会议", "云会议", "网络会", "webex", "视频会议")
	// English words, as whole words only (see latinCue).
	tb.add(catChannel, cueOnsite, "onsite", "on-site", "visit", "visited", "f2f")
	tb.add(catChannel, cuePhone, "tel", "phone", "call", "called", "phone call")
	tb.add(catChannel, cueOnline, "wechat", "wecom", "dingtalk", "email", "e-mail", "online", "video", "wx")
}

// places are nouns that make 在 an onsite hint (在工厂, 在医院会议室).
var places = []string{"医院", "工厂", "厂里", "总部", "分行", "总行", "支行", "行里", "会议室", "展会", "现场",
	"公司", "办公室", "车间", "门店", "学校", "码头", "酒店", "餐厅", "饭店", "他们那", "客户那", "对方", "园区",
	"机房", "仓库", "工地", "校区", "院里", "局里", "单位", "店里", "基地", "厂区", "食堂", "茶楼", "咖啡",
	"球场", "会所", "俱乐部", "茶室", "茶馆", "饭馆", "酒楼", "会场", "展厅", "大厅", "楼下", "机场", "高铁站",
	"会上", "展上", "大会", "年会", "沙龙", "交流会", "推介会", "活动上", "高交会"}

// nominalAfter lists words after 拜访/视频… that make it a noun, not an act.
var nominalAfter = map[string][]string{
	"拜访": {"日报", "记录", "方式", "对象", "内容", "计划", "量", "次数", "总结", "报告", "客户数", "情况"},
	"视频": {"监控", "监测", "分析", "识别", "平台", "系统", "会议室", "号", "素材", "制作"},
	"线上": {"化", "商城", "业务", "渠道", "系统", "平台", "销售", "支付"},
	"在线": {"监测", "教育", "系统", "平台", "监控", "支付", "商城"},
	"远程": {"运维", "监控", "控制", "诊断", "升级", "抄表"},
	"微信": {"号", "支付", "小程序", "公众号", "商城"},
	"电话": {"号", "号码"},
	"手机": {"号", "银行", "端", "app"},
	"现场": {"踏勘", "勘察", "实施"},
	"邮件": {"系统", "服务器"},
}

// channel returns how the interaction happened, or "".
func (m *msg) channel() domain.Channel {
	t := m.t
	weak := domain.Channel("")
	for _, h := range m.hits {
		if h.cat != catChannel {
			continue
		}
		pos, end := int(h.pos), int(h.end)
		w := string(t[pos:end])
		if m.nominal(w, end) || m.falseCue(w, pos, end) || !latinWordBounds(t, pos, end) {
			continue
		}
		if m.plannedAt(pos, true) || m.earlierBefore(pos) {
			continue // 后天再电话; 去年在美途家居签过一单: not this interaction
		}
		c := cueChannel(h.val)
		if h.val&cueWeak == 0 || m.strongHint(w, end) {
			return c
		}
		if w == "到" {
			continue // only 到 + the customer is a hint
		}
		if weak == "" {
			weak = c
		}
	}
	return weak
}

// strongHint reports a hint that is as good as an explicit word: going to
// or being at the customer (去了德润医疗, 跑了一趟, 在工厂开会).
func (m *msg) strongHint(w string, end int) bool {
	t := m.t
	switch w {
	case "跑了", "跑一趟", "跑了一趟", "跑到":
		return true
	case "在":
		return true // falseCue has checked that a place or the customer follows
	case "到":
		// 到附二院做了需求分析: going to the customer, not 发到/提到 it.
		if pos := end - 1; pos > 0 && !isClauseBreak(t, pos-1) && !strings.ContainsRune("天早晚午上下我又先也号日", t[pos-1]) {
			return false
		}
		for _, k := range m.known {
			if k.start == end {
				return true
			}
		}
		return m.org.start == end && m.org.end > end
	case "去":
		if end < len(t) && (t[end] == '了' || t[end] == '趟') {
			return true
		}
		for _, k := range m.known {
			if k.start == end {
				return true
			}
		}
		return m.org.start == end && m.org.end > end
	}
	return false
}

func (m *msg) nominal(w string, end int) bool {
	for _, n := range nominalAfter[w] {
		if hasStrAt(m.t, end, n) {
			return true
		}
	}
	return false
}

// falseCue rejects cues that are other words here: 去年, 过去, 电话拜访's
// 拜访, 的电话 (a number), 在走流程 (在 as "is doing").
func (m *msg) falseCue(w string, pos, end int) bool {
	t := m.t
	var prev, next rune
	if pos > 0 {
		prev = t[pos-1]
	}
	if end < len(t) {
		next = t[end]
	}
	switch w {
	case "去":
		return strings.ContainsRune("年掉除世向", next) || strings.ContainsRune("过回出进失来拿离死", prev)
	case "电话", "手机":
		// 王总的电话 is a number; 钱总打的电话 is a call.
		return prev == '的' && !(pos >= 2 && strings.ContainsRune("打拨来回", t[pos-2])) || next == '?'
	case "拜访", "回访":
		return endsWithStr(t, pos, "电话") || endsWithStr(t, pos, "电话 ")
	case "在":
		if strings.ContainsRune("跟和与给", next) {
			return true // 还在跟孙经理对合同: 在 marks an ongoing act
		}
		if m.withPersonAfter(end) {
			return false // 在星巴克跟徐总聊: being somewhere with the customer's person
		}
		for _, k := range m.known {
			if k.start == end || k.start == end+1 {
				return dealAfter(t, k.end) // 我在蓝鲸的项目: the deal, not a place
			}
		}
		if m.org.start == end && m.org.end > end {
			return false
		}
		ce := clauseEnd(t, end, false)
		if ce > end+10 {
			ce = end + 10
		}
		for _, p := range places {
			if i := indexStr(t, end, ce, p); i >= 0 && i-end <= 6 {
				return false
			}
		}
		return true
	case "见了", "见到":
		return prev == '意' || prev == '看' || prev == '再'
	}
	return false
}

// withPersonAfter reports 在X跟/和/与 a contact, X a few name runes and no
// channel word (在星巴克跟徐总聊).
func (m *msg) withPersonAfter(end int) bool {
	t := m.t
	for j := end + 1; j < len(t) && j <= end+6; j++ {
		if !isNameRune(t[j-1]) || m.anyHit(catChannel, j-1, j) {
			return false
		}
		if strings.ContainsRune("跟和与", t[j]) {
			k := j + 1
			for k < len(t) && k <= j+12 && !isClauseBreak(t, k) {
				if m.personStartsAt(k) {
					return true
				}
				k++
			}
			return false
		}
	}
	return false
}

// personStartsAt reports whether a contact starts at k (from the contacts list,
// as the position index is built only for organisations).
func (m *msg) personStartsAt(k int) bool {
	for _, c := range m.contacts {
		if c.start == k {
			return true
		}
	}
	return false
}

// earlierBefore reports a word in pos's clause, before it, that moves what
// follows to an earlier deal (去年在…签过一单), not inside a person's name
// (曾经理).
func (m *msg) earlierBefore(pos int) bool {
	found := false
	m.hitsIn(catEarlier, clauseStart(m.t, pos, false), pos, func(h hit) bool {
		for _, c := range m.contacts {
			if int(h.pos) >= c.start && int(h.pos) < c.end {
				return true
			}
		}
		found = true
		return false
	})
	return found
}

// dealAfter reports a deal word right after an organisation at e (蓝鲸的项目,
// 金石重工这个单子): 在 before it means "in the deal", not a place.
func dealAfter(t []rune, e int) bool {
	for _, w := range []string{"的项目", "的单", "的商机", "的合同", "项目", "这个项目", "那个项目", "这单", "那单", "的进展", "的进度"} {
		if hasStrAt(t, e, w) {
			return true
		}
	}
	return false
}

// plannedInteraction reports an interaction word (a channel cue) that is
// only planned: 明天去拜访, 下周一给张总打电话, 准备周三去.
func (m *msg) plannedInteraction() bool {
	for _, h := range m.hits {
		if h.cat != catChannel {
			continue
		}
		pos, end := int(h.pos), int(h.end)
		w := string(m.t[pos:end])
		if m.nominal(w, end) || m.falseCue(w, pos, end) || !latinWordBounds(m.t, pos, end) {
			continue
		}
		if m.plannedAt(pos, true) {
			return true
		}
	}
	return false
}

// isPlan reports a message that only announces a future interaction and
// reports none that happened (CONTRACT.md "Reports, plans and
// conversations"): no channel, no person met, no stage reached, no word of
// something done, and a planned interaction or a dated next step
// (周五之前给金石重工发报价).
func (m *msg) isPlan(ch domain.Channel, st domain.Stage, contacts []string) bool {
	if ch != "" || st != "" || len(contacts) > 0 || m.anyHit(catPast, 0, len(m.t)) || m.doneSaid() {
		return false
	}
	if m.plannedInteraction() {
		return true
	}
	_, _, ok := m.nextDate()
	return ok
}

// doneSaid reports a 了 that tells of something done (预算批了), not one that
// belongs to the plan (约了, 约好了, 说定了) or to a word (了解, 为了).
func (m *msg) doneSaid() bool {
	t := m.t
	for i, r := range t {
		if r != '了' || i+1 < len(t) && t[i+1] == '解' {
			continue
		}
		if i > 0 && strings.ContainsRune("约好定为除罢", t[i-1]) {
			continue
		}
		return true
	}
	return false
}

// latinWordBounds reports whether a Latin cue at [pos,end) stands as a
// whole word (tel, not hotel or telecom); Han cues always do.
func latinWordBounds(t []rune, pos, end int) bool {
	if !isLatin(t[pos]) {
		return true
	}
	return (pos == 0 || !isAlnum(t[pos-1])) && (end >= len(t) || !isAlnum(t[end]))
}

// cueChannel is the channel a channel cue's value names ("" none).
func cueChannel(val int32) domain.Channel {
	switch val & 7 {
	case cueOnsite:
		return domain.ChannelOnsite
	case cuePhone:
		return domain.ChannelPhone
	case cueOnline:
		return domain.ChannelOnline
	}
	return ""
}

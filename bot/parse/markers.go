package parse

// Words that tell tense, negation and who is who; shared by the families.

// Future-marker strengths (hit.val).
const (
	futureWeak   = 1 // a wish or an estimate: 想, 要, 希望, 预计
	futureStrong = 2 // a plan: 再, 准备, 下次, 安排
	futureVague  = 3 // a future time naming no day: 下个月, 年底, 明年
)

func addMarkerWords(tb *table) {
	tb.add(catFuture, futureStrong,
		"再", "下次", "下回", "下一步", "准备", "打算", "计划", "安排", "将要", "即将", "拟", "尽快",
		"回头", "改天", "让我们", "让我", "叫我们", "要去", "会去", "得去", "还得", "等下", "待会", "稍后",
		"有望", "大概率", "节后", "年后", "假期后", "五一后", "国庆后", "春节后", "元旦后", "十一后", "开学后", "过完年", "放假回来")
	// A future time that names no day (CONTRACT.md: 下个月, 年底 name none)
	// still makes what follows it a plan, within its own phrase.
	tb.add(catFuture, futureVague,
		"下个月", "下月", "下个季度", "下季度", "下半年", "下半月", "明年", "明年初", "年底", "年末", "过段时间",
		"过一段时间", "过阵子", "过些天", "过几天", "近期", "后续", "到时候", "届时", "将来", "以后再",
		"春节前", "春节之前", "过年前", "元旦前", "元旦之前", "国庆前", "五一前", "中秋前", "节前")
	tb.add(catFuture, futureWeak,
		"想", "要", "希望", "争取", "预计", "需要", "还要", "想要", "考虑", "可能", "等", "待", "约定")
	tb.add(catPast, 0, "已经", "已", "刚", "刚刚", "终于", "上周", "上星期", "上礼拜", "上个月", "上次", "昨天", "前天", "刚才")
	tb.add(catEarlier, 0, "之前", "以前", "去年", "前年", "上次", "曾经", "当年", "早先", "上一次", "此前", "原来", "上一期", "上一单")
	tb.add(catNeg, 0, "没", "没有", "未", "还没", "还没有", "尚未", "不", "别", "没能", "无", "并未", "还未")
	tb.add(catNoNeed, 0, "暂时没有需求", "没有需求", "暂无需求", "没什么需求", "没需求", "暂不需要", "不需要",
		"没有意向", "暂无意向", "暂不考虑", "没兴趣", "没有兴趣", "不感兴趣", "需求不大", "暂时不需要", "没有采购计划")
	tb.add(catVisitCue, 0,
		"去", "到", "拜访", "回访", "来访", "见", "碰", "聊", "谈", "沟通", "交流", "电话", "来电", "致电", "通话",
		"会议", "开会", "开了", "面谈", "上门", "现场", "线上", "视频", "微信", "钉钉", "在", "和", "跟", "与", "给",
		"约", "跑了", "跑一趟", "跑到", "签", "做了", "演示", "汇报", "接待", "参加", "吃饭", "拜年", "联系", "打来")
	tb.add(catColleague, 0, "我们", "我司", "我方", "咱们", "同事", "我们公司", "本公司", "咱公司", "售前", "售后", "技术支持")
	tb.add(catAbsent, 0, "开会去了", "去开会了", "在开会", "不在", "出差", "没来", "没在", "休假", "请假", "缺席", "不在场", "没空", "回来再", "回来后", "回来以后", "外出", "在外地")
	tb.add(catCompetitor, 0, "竞品", "竞争对手", "对手", "友商", "选了", "输给", "选择了", "转投", "用了")
}

// plannedAt reports whether what starts at pos is only planned: the nearest
// tense anchor before it in its clause is a future day or a plan word, not a
// done-marker or a past or today's date. With strong set, wishes (想, 要)
// don't count as plans.
func (m *msg) plannedAt(pos int, strong bool) bool {
	from := clauseStart(m.t, pos, false)
	tight := clauseStart(m.t, pos, true)
	best, planned := -1, false
	if end, future, ok := m.lastDateBefore(from, pos); ok {
		best, planned = end, future
	}
	for _, h := range m.hits[m.firstHit(from):] {
		if int(h.pos) >= pos {
			break
		}
		if int(h.end) > pos {
			continue
		}
		switch {
		case h.cat == catFuture && h.val == futureVague:
			if (int(h.pos) >= tight || onlySpaces(m.t, int(h.end), pos)) && int(h.end) >= best {
				best, planned = int(h.end), true
			}
		case h.cat == catFuture && (h.val == futureStrong || !strong && int(h.pos) >= tight) && !m.timeAfterNow(h):
			if int(h.end) >= best {
				best, planned = int(h.end), true
			}
		case h.cat == catPast:
			if int(h.end) >= best {
				best, planned = int(h.end), false
			}
		}
	}
	if best < 0 && from > 1 && m.t[from-1] == ',' && anyAt(m.t, nextToken(m.t, from), planGoesOn) &&
		!containsStr(m.t, from, pos, "了") && !containsStr(m.t, from, pos, "过") {
		// 明天早上8点的高铁去杭州，拜访阿里云的刘总: a clause that starts
		// with a visit and says nothing of its time goes on the plan of the
		// clause before it, when that clause starts with a future date.
		ps := nextToken(m.t, clauseStart(m.t, from-1, false))
		for _, d := range m.dates {
			if d.start == ps && d.end < from && d.date.After(m.today) {
				return true
			}
		}
	}
	return planned
}

// planGoesOn are the visit words that carry a dated plan over a comma.
var planGoesOn = []string{"拜访", "见", "找", "约", "去", "跟", "和", "陪", "带"}

// doneAfter reports whether a done-marker (了, 过, 完) follows end closely.
func (m *msg) doneAfter(end int) bool {
	for j := end; j < len(m.t) && j < end+3; j++ {
		if isClauseBreak(m.t, j) {
			return false
		}
		switch m.t[j] {
		case '了':
			if j+1 < len(m.t) && m.t[j+1] == '解' {
				return false
			}
			return true
		case '完', '好', '中':
			return true
		case '过':
			return j+1 >= len(m.t) || m.t[j+1] != '去'
		}
	}
	return false
}

// timeAfterNow reports a "time after X" word that names the present, not a
// plan (节后第一天, 年后的第一单).
func (m *msg) timeAfterNow(h hit) bool {
	e := int(h.end)
	return m.t[e-1] == '后' && (hasStrAt(m.t, e, "第") || hasStrAt(m.t, e, "的第"))
}

// onlySpaces reports whether t[from:to] is all whitespace.
func onlySpaces(t []rune, from, to int) bool {
	for j := from; j < to; j++ {
		if !isSpace(t[j]) {
			return false
		}
	}
	return true
}

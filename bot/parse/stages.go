package parse

import (
	"strings"

	"salesbot/domain"
)

// Stages (CONTRACT.md "Stage codes"): the furthest stage the message says
// the deal has reached. Planned stages, negated ones, an earlier deal's
// outcome and a prospect with no need do not count.

// stageWord is one stage expression: a word, or two parts with at most gap
// runes between them in one clause (了解…需求, 砍了…价).
type stageWord struct {
	stage domain.Stage
	// seconds are the second parts that may follow the first, at most gap
	// runes after it (one entry holds every second part of the same first
	// part and kind, so a message is scanned once per first part).
	seconds [][]rune
	gap     int
	// request marks an expression whose meaning holds a wish or a demand
	// (希望再让点利, 想重启, 让我们出合同): a wish or plan word before it does
	// not make it planned, only a future day does.
	request bool
	// choice marks a decision that is a loss only when a party follows it
	// (最后定了用友, 转投了西门子), not a day or a price (最后定了下周签).
	choice bool
	// slip marks a form with an input-method slip (slips.go) in its first
	// part (slipFirst) or its second (slipSecond).
	slip uint8
	// done requires its verb part told as done (方案已经送过去了, 发了方案);
	// verbFirst says the verb is the first part.
	done, verbFirst bool
}

// stageFamily is a topic and the actions on it that reach a stage, in
// either order within a clause (方案…送过去了, 发了…方案): CONTRACT.md's cue
// families as rules rather than phrases.
type stageFamily struct {
	stage   domain.Stage
	topics  []string
	actions []string
	done    bool // the action must be told as done
	request bool // a wish or a wait before it does not make it planned
}

var stageFamilies = []stageFamily{
	{stage: domain.StageQualification, topics: []string{"需求"}, actions: []string{"确认", "清楚", "明确", "摸清", "摸了",
		"梳理", "调研", "分析", "了解", "评估", "整理", "对接", "沟通", "讨论", "访谈", "过了一遍", "聊了", "谈了", "收集"}},
	{stage: domain.StageProposal, topics: []string{"方案", "方案书", "解决方案", "建议书", "技术方案", "方案初稿", "设计方案"},
		actions: []string{"发", "送", "交", "递", "给", "讲", "汇报", "演示", "介绍", "提交", "展示", "过"}, done: true},
	{stage: domain.StageProposal, topics: []string{"方案", "方案书", "解决方案", "建议书", "技术方案"},
		actions: []string{"ok", "可以", "不错", "满意", "认可", "通过", "没问题", "看过", "看了", "看完", "肯定"}},
	{stage: domain.StageNegotiation, topics: []string{"折扣", "优惠", "让利", "降价", "账期", "付款"},
		actions: []string{"争取", "申请", "谈", "要", "商量", "给"}, request: true},
	{stage: domain.StageQuote, topics: []string{"报价", "报价单", "价格表", "报价方案"},
		actions: []string{"发", "送", "交", "递", "给", "提交"}, done: true},
	{stage: domain.StageNegotiation, topics: []string{"合同", "协议"}, actions: []string{"流程", "审批", "审核", "审", "盖章",
		"修改", "改", "文本", "条款", "定稿", "起草", "草稿", "初稿", "法务", "评审", "会签", "用印", "模板", "走", "细节", "寄", "发",
		"送", "卡", "批"}, request: true},
	{stage: domain.StageNegotiation, topics: []string{"价格", "价钱", "价位", "报价", "报的价", "单价", "总价", "费用"},
		actions: []string{"贵", "偏高", "太高", "高了", "高", "更低", "低", "便宜", "争取", "降", "砍", "压", "磨", "比价", "还价",
			"不满意", "不太满意", "不满", "接受不了", "不接受", "超", "折", "分歧", "谈不拢", "有意见", "嫌", "八成", "九成", "只有", "只给", "只肯"},
		request: true},
}

func addStageFamilies(tb *table) {
	for _, f := range stageFamilies {
		for _, topic := range f.topics {
			for _, act := range f.actions {
				sw := stageWord{stage: f.stage, done: f.done, request: f.request}
				tb.addStage(topic+"…8…"+act, sw)
				sw.verbFirst = true
				tb.addStage(act+"…8…"+topic, sw)
			}
		}
	}
}

// stageLexicon lists the built-in expressions; "A…B" means A, up to 6
// runes, then B ("A…N…B" sets the gap to N).
var stageLexicon = map[domain.Stage][]string{
	domain.StageProspecting: {
		"初次拜访", "首次拜访", "第一次拜访", "初访", "首访", "首次接触", "初次接触", "初步接触", "第一次接触",
		"刚接触", "新线索", "新客户", "建立联系", "建立了联系", "建立起联系", "初次沟通", "首次沟通", "初步沟通",
		"初次见面", "第一次见面", "陌拜", "陌生拜访", "首次来访", "初步交流", "首次交流", "初次交流",
		"首次上门", "初次上门", "第一次上门", "首次登门", "首次见面", "第一次去", "重新建立",
		"第一次联系", "第一次通话", "第一次沟通", "第一次…10…通了电话", "第一次…10…打了电话", "第一次…10…见面",
		"第一次…10…沟通", "首次…10…通了电话", "首次…10…见面", "初次…10…见面",
	},
	domain.StageQualification: {
		"需求分析", "需求调研", "了解需求", "需求确认", "确认需求", "需求沟通", "需求梳理", "需求访谈",
		"需求摸底", "摸需求", "调研需求", "需求评估", "需求收集", "收集需求", "梳理需求", "调研", "踏勘", "勘察",
		"需求摸排", "需求对接", "对接需求",
		"了解…4…需求", "需求…3…确认", "确认了…3…需求", "摸了…4…需求", "梳理了…4…需求", "过了…4…需求",
		"沟通了…4…需求", "讨论了…4…需求", "聊了…4…需求", "调研了…4…需求", "对了…3…需求",
	},
	domain.StageProposal: {
		"方案演示", "产品演示", "演示", "出方案", "出了方案", "提交方案", "方案汇报", "方案交流", "方案讲解",
		"讲解方案", "试用", "试点", "poc", "demo", "测试", "打样", "方案评审", "递交方案", "发了方案", "交了方案",
		"讲了…8…方案", "汇报…8…方案", "提交了…8…方案", "介绍了…8…方案", "过了…3…方案", "给了…3…方案",
		"方案…6…看过", "方案…4…看了", "方案…4…通过", "方案…6…发过去了", "方案…6…给了", "方案…4…没问题",
		"方案…4…认可", "方案…6…满意", "认可…4…方案", "方案…4…提交", "方案…4…交了", "方案…4…递交",
		"方案…6…发给", "方案…6…发出", "方案…3…已交", "方案…6…交给", "方案…6…寄给", "讲了…4…方案",
	},
	domain.StageQuote: {
		"报价", "报价单", "报了价", "报过价", "二次报价", "报了", "报的是", "报的", "投标", "发了报价", "标书", "投了标",
	},
	domain.StageNegotiation: {
		"商务谈判", "谈判", "议价", "砍价", "还价", "压价", "讨价还价", "合同审批", "合同流程", "走合同",
		"合同走流程", "走流程", "谈合同", "合同条款", "谈条款", "价格谈妥", "谈妥", "商务洽谈", "谈价",
		"谈价格", "法务审核", "合同审核", "审合同", "改合同", "合同评审", "口头答应", "口头同意", "口头承诺",
		"口头确认", "意向书", "拍板", "谈不拢", "没谈拢", "敲定", "谈定", "定下来了", "砍了…5…价", "谈…4…价格", "合同…4…审批", "合同…4…审核", "谈完", "就差盖章",
		"待盖章", "等盖章", "差盖章", "合同…4…修改", "合同…4…走流程", "谈…4…折扣", "谈…4…账期", "还…2…价",
		"付款方式", "付款条件", "账期", "商务条款", "谈…4…付款", "还在谈", "正在谈", "在谈价", "对合同", "合同定稿", "定稿了",
		"同意合作", "原则上同意", "答应合作", "基本同意",
		"起草合同", "合同…4…起草", "合同初稿", "合同草稿", "送合同", "合同…6…发过去", "合同…6…发给", "合同…6…寄给",
		"双方…4…分歧", "价格…6…分歧", "分歧", "嫌贵", "偏贵", "太贵", "偏高", "价格太高",
	},
	domain.StageWon: {
		"签约", "签合同", "签了合同", "合同签了", "合同已签", "签了", "签的字", "签的", "签字了", "签下",
		"签单", "签订", "签署", "成交", "拿下", "中标", "赢单", "赢了", "落单", "下单了", "盖章回来",
		"签好了", "已签", "收到订单", "收到采购订单", "下订单了", "下了订单", "已经盖章", "盖章了", "盖了章", "盖好章", "已盖章", "盖章寄回", "回签", "签回来", "签了字",
		"合同…4…盖章寄回", "合同…4…盖好了", "双方签字", "双方…4…签字", "双方…4…盖章", "双方…4…签了", "双方…4…签署",
		"签字盖章", "盖章签字", "正式签", "签好", "订单下来", "拿到订单", "接到订单", "收到…4…订单", "我们中了", "中了标", "中选",
	},
	domain.StageLost: {
		"丢单", "丢了", "输单", "输了", "选了竞品", "用了竞品", "选了别家", "选择了别家", "用了别家",
		"选了其他", "被竞品", "流标", "废标", "落标", "黄了", "没戏了", "放弃了", "不做了", "不采购了",
		"没中标", "未中标", "没有中标", "输给", "项目…4…取消", "被…8…拿走", "被…6…抢",
		"选了…8…的方案", "选择了…8…的方案", "选了…8…的产品", "选择了…8…的产品", "用了…8…的方案", "定了…8…的方案",
		"拿走", "抢走", "抢了", "单子飞了", "飞单", "单飞了", "这单没了", "单子没了", "另一家供应商", "别的供应商",
		"定了别家", "定了其他家", "定了竞品", "跟另一家", "和另一家", "出局", "没拿到", "没拿下来", "没谈下来", "没谈成", "谈崩",
		"项目被砍", "项目砍了", "项目…4…被砍了", "泡汤", "落选", "没入围", "未入围", "被淘汰", "截胡", "决定不做", "不做这个", "最终和…6…签", "最后和…6…签", "最终跟…6…签", "最后跟…6…签",
	},
}

// stageRequests are expressions whose meaning holds a wish or a demand
// (stageWord.request): price pushback, contract work asked for, a project
// wanted again.
var stageRequests = map[domain.Stage][]string{
	domain.StageProspecting: {
		"新机会", "新商机", "新项目", "重新启动", "重启", "重新立项", "重新评估", "重新上", "又联系上", "又找", "又有新",
		"好久没联系", "失联", "又…4…联系上", "时隔…6…又", "又来询价", "又来找", "又找上门", "重新联系", "重新找", "重新提上",
		"提上日程", "再次联系", "合作机会", "又要启动", "又…4…启动", "重新…4…启动", "新的…6…项目", "新的…4…需求", "新的…4…机会",
	},
	domain.StageNegotiation: {
		"嫌…4…贵", "嫌…4…高", "觉得…4…贵", "价格…6…高", "超预算", "超出…4…预算", "超过…4…预算", "报价…4…有意见",
		"价格…4…有意见", "让点利", "让利", "再让一点", "再让点", "再让些", "让…4…个点", "再降", "降价", "降…4…个点",
		"再优惠", "优惠一些", "优惠一点", "优惠点", "给点优惠", "再便宜", "便宜点", "便宜一些", "便宜一点",
		"重新报", "要求打…3…折", "希望打…3…折", "想打…3…折", "要求…4…折扣", "希望…4…折扣", "要…2…折扣", "出合同", "等…6…盖章",
		"待…4…盖章",
	},
}

// lostChoices are decisions that are a loss when a party follows them
// (stageWord.choice): 最后选择了用友, 决定用浪潮的方案, 转投了西门子.
var lostChoices = []string{"最后选择了", "最终选择了", "最后选了", "最终选了", "最后定了", "最终定了", "最后用了",
	"最终用了", "决定用", "决定选", "决定采用", "转投", "改用", "最终给了", "最后给了", "单子…6…给了", "项目…6…给了",
	"选了", "选择了", "选用了"}

func addStageWords(tb *table) {
	for st, words := range stageLexicon {
		for _, w := range words {
			tb.addStage(w, stageWord{stage: st})
		}
	}
	for st, words := range stageRequests {
		for _, w := range words {
			tb.addStage(w, stageWord{stage: st, request: true})
		}
	}
	for _, w := range lostChoices {
		tb.addStage(w, stageWord{stage: domain.StageLost, choice: true})
	}
	addStageFamilies(tb)
}

// addStage adds one stage expression (plain or "A…N…B") and its
// input-method slips (see slips.go).
func (tb *table) addStage(w string, sw stageWord) {
	w = strings.ToLower(w)
	tb.addStageForm(w, sw)
	first, _, _ := strings.Cut(w, "…")
	for _, v := range slips(w) {
		sw.slip = slipSecond
		if !strings.HasPrefix(v, first+"…") && v != first {
			sw.slip = slipFirst
		}
		tb.addStageForm(v, sw)
	}
}

// Where a stage expression's slip is (stageWord.slip).
const (
	slipFirst  = 1
	slipSecond = 2
)

// addStageForm adds one written form of a stage expression; a second part
// joins the entry of the same first part and kind when there is one.
func (tb *table) addStageForm(w string, sw stageWord) {
	first := w
	var second []rune
	if parts := strings.Split(w, "…"); len(parts) >= 2 {
		first, sw.gap = parts[0], 6
		second = []rune(parts[len(parts)-1])
		if len(parts) == 3 {
			n := 0
			for _, r := range parts[1] {
				n = n*10 + int(r-'0')
			}
			sw.gap = n
		}
	}
	if second != nil {
		key := stageKey{first: first, stage: sw.stage, gap: sw.gap, request: sw.request, choice: sw.choice, slip: sw.slip,
			done: sw.done, verbFirst: sw.verbFirst}
		if i, ok := tb.stageIdx[key]; ok {
			tb.stages[i].seconds = append(tb.stages[i].seconds, second)
			return
		}
		sw.seconds = [][]rune{second}
		tb.stages = append(tb.stages, sw)
		tb.stageIdx[key] = int32(len(tb.stages) - 1)
	} else {
		tb.stages = append(tb.stages, sw)
	}
	tb.add(catStage, int32(len(tb.stages)-1), first)
}

// stageKey identifies the entry a two-part expression joins.
type stageKey struct {
	first                            string
	stage                            domain.Stage
	gap                              int
	slip                             uint8
	request, choice, done, verbFirst bool
}

// nounAfterStage lists words after which a stage word names a product
// (签约系统, 报价平台), not a step.
var nounAfterStage = []string{"系统", "平台", "软件", "模块", "功能", "管理", "产品", "app", "小程序", "工具", "流程图", "设备", "仪器"}

// rivalWords before a signing in its clause make it the competitor's.
var rivalWords = []string{"竞品", "竞争对手", "友商", "别家", "其他家", "对手"}

// ownWords name our side inside a 选了…的方案 phrase.
var ownWords = []string{"我", "咱", "本公司", "贵司"}

// trialWords turn a signing into the proposal stage (a signed POC).
var trialWords = []string{"poc", "试用", "试点", "测试", "demo"}

// noSaleWords make a signing no stage at all.
var noSaleWords = []string{"保密协议", "nda", "意向"}

// stage returns the furthest stage reached, or "".
func (m *msg) stage(tab *table) domain.Stage {
	t := m.t
	var best domain.Stage
	for _, h := range m.hits {
		if h.cat != catStage || m.isMasked(int(h.pos)) || m.isDenied(int(h.pos)) {
			continue
		}
		sw := tab.stages[h.val]
		pos, end := int(h.pos), int(h.end)
		if sw.slip == slipFirst && slipTrapped(t, pos, end-pos) {
			continue
		}
		if sw.choice && !m.partyAt(end) {
			continue // 最后定了下周签: a day, not a rival
		}
		if sw.seconds != nil {
			k, n := secondAfter(t, end, sw)
			if k < 0 || m.anyHit(catNeg, end, k) || sw.slip == slipSecond && slipTrapped(t, k, n) {
				continue // 方案还没提交: negated between the parts
			}
			if !sw.request && m.plannedBetween(end, k) {
				continue // 方案明天发, 报价要下周给: planned between the parts
			}
			if sw.done && !m.toldDone(sw, pos, end, k, n) {
				continue // 方案在写, 发方案: not done
			}
			end = k + n
			if sw.stage == domain.StageLost && anyStr(t, pos, end, ownWords) {
				continue // 选了我们的方案: not a competitor's
			}
		}
		st := sw.stage
		if st == domain.StageQuote && t[pos] == '报' && pos > 0 && strings.ContainsRune("汇上申简通预举播电日周月年快情捷画公警喜回见海", t[pos-1]) {
			continue // 汇报了, 上报: not a price
		}
		if st == domain.StageQuote && m.askedFor(pos) {
			continue // 打电话来问报价, 客户要报价: asked for, not sent
		}
		if st == domain.StageWon && t[pos] == '签' && pos > 0 && strings.ContainsRune("标会", t[pos-1]) {
			continue
		}
		if nounAfter(t, end) {
			continue
		}
		if m.negated(pos, end) {
			if st == domain.StageWon && containsStr(t, pos, end, "中标") {
				st = domain.StageLost
			} else {
				continue
			}
		}
		if sw.request {
			if m.futureDateBefore(pos) || hedgedAfter(t, end) {
				continue
			}
		} else if m.plannedAt(pos, false) && !(m.doneAfter(end) && !m.futureDateBefore(pos)) || m.futureDateIn(pos, end) ||
			m.futureDateRightAfter(end) && !doneRightBefore(t, pos) || hedgedAfter(t, end) {
			continue
		}
		if st == domain.StageLost && anyStr(t, end, min(clauseEnd(t, end, false), end+3), ownWords) {
			continue // 最后选择了我们: not a loss
		}
		if st == domain.StageLost && t[pos] == '不' && m.postponed(pos) {
			continue // 今年不做了, 暂时不采购了: put off, not lost
		}
		cs, ce := clauseStart(t, pos, false), clauseEnd(t, end, false)
		if st == domain.StageWon || st == domain.StageLost {
			if m.earlierBefore(pos) || end < len(t) && t[end] == '过' {
				continue
			}
		}
		if st == domain.StageWon && modalBefore(t, pos) {
			continue // 下个月能签, 1月份可以成交: expected, not signed
		}
		if st == domain.StageWon && m.oneSideOnly(pos, end) {
			st = domain.StageNegotiation // 我们这边已经盖章寄过去了，等院方回寄
		}
		if st == domain.StageWon && (anyStr(t, cs, pos, rivalWords) || passiveBefore(t, cs, pos)) {
			st = domain.StageLost // 已经跟竞品签了, 被华为拿下了: someone else won
		}
		if st == domain.StageWon && anyStr(t, cs, ce, noSaleWords) {
			continue
		}
		if (st == domain.StageWon || st == domain.StageNegotiation) && anyStr(t, cs, ce, trialWords) {
			st = domain.StageProposal // a trial or POC agreement signed or in process
		}
		if best == "" || st.Rank() > best.Rank() {
			best = st
		}
	}
	if best != "" && best.Rank() <= domain.StageQualification.Rank() && m.anyHit(catNoNeed, 0, len(t)) {
		return ""
	}
	return best
}

// secondAfter finds the nearest second part of sw after end, within its gap
// and clause: its position and length, or -1.
func secondAfter(t []rune, end int, sw stageWord) (int, int) {
	ce := clauseEnd(t, end, false)
	for j := end; j <= end+sw.gap && j < ce; j++ {
		for _, sec := range sw.seconds {
			if j+len(sec) <= ce && hasAt(t, j, sec) {
				return j, len(sec)
			}
		}
	}
	return -1, 0
}

// plannedBetween reports a plan or wish word, or a future day, in t[a:b]
// (报价要下周给).
func (m *msg) plannedBetween(a, b int) bool {
	found := false
	m.hitsIn(catFuture, a, b, func(h hit) bool {
		found = !m.timeAfterNow(h)
		return !found
	})
	return found || m.futureDateIn(a, b)
}

// toldDone reports the verb of a family match told as done: 了, 过, 完 or 好
// right after it, or 已/已经 (or another past word) before it in its clause.
func (m *msg) toldDone(sw stageWord, pos, firstEnd, second, n int) bool {
	vs, ve := second, second+n
	if sw.verbFirst {
		vs, ve = pos, firstEnd
	}
	t := m.t
	for j := ve; j < len(t) && j < ve+3 && !isClauseBreak(t, j); j++ {
		if strings.ContainsRune("了过完好", t[j]) {
			return true
		}
	}
	return m.anyHit(catPast, clauseStart(t, vs, false), vs)
}

// oneSideOnly reports a signing or stamping by one side while the other's
// is awaited: our side named before it (我们这边已经盖章), or 等 and a
// signing word after it in its sentence (等对方回签).
func (m *msg) oneSideOnly(pos, end int) bool {
	t := m.t
	cs := clauseStart(t, pos, false)
	if anyStr(t, max(cs, pos-8), pos, []string{"我们这边", "我方", "我司", "我们已经", "我们先", "走到", "流程"}) {
		return true // 我们这边已经盖章; 合同走到院长那签字了: still on its way
	}
	se := len(t)
	for j := end; j < len(t); j++ {
		if isSentenceBreak(t, j) {
			se = j
			break
		}
	}
	for _, w := range []string{"等", "收到后", "我们", "我方", "待"} {
		if i := indexStr(t, end, se, w); i >= 0 && anyStr(t, i, min(se, i+8), []string{"盖章", "签", "回寄", "寄回"}) {
			return true // 等对方回签, 收到后我们盖章
		}
	}
	return false
}

// modals before a signing make it expected (能签, 可以成交, 有望拿下).
var modals = []string{"能", "可以", "可", "会", "应该", "应当", "有望", "争取"}

func modalBefore(t []rune, pos int) bool {
	for _, w := range modals {
		if endsWithStr(t, pos, w) {
			return true
		}
	}
	return false
}

// passiveBefore reports 被 in t[from:pos] (被华为拿下了): the deal went to
// whoever follows it.
func passiveBefore(t []rune, from, pos int) bool {
	for j := max(from, pos-8); j < pos; j++ {
		if t[j] == '被' {
			return true
		}
	}
	return false
}

// partyAt reports a party named at i, after a decision (最后定了用友, 转投了
// 西门子): a name, not a day, a number or a word for a price or a time.
func (m *msg) partyAt(i int) bool {
	t := m.t
	if i < len(t) && t[i] == '了' {
		i++
	}
	for i < len(t) && isSpace(t[i]) {
		i++
	}
	if i >= len(t) || !isNameRune(t[i]) || isDigit(t[i]) || isCNNum(t[i]) {
		return false
	}
	for _, d := range m.dates {
		if d.start == i {
			return false
		}
	}
	return !anyAt(t, i, notParties)
}

// notParties are words after a decision that name no party (最后定了价格,
// 选了个时间).
var notParties = []string{"价", "时间", "日子", "方案", "合同", "下来", "在", "要", "先", "再", "还", "不", "没", "这", "那", "他", "她",
	"我", "你", "对方", "客户", "领导", "优惠", "折扣", "个", "一", "几", "哪", "其中", "方", "产品", "型号", "套餐", "版本"}

// askedFor reports 问/要/询 shortly before pos in its clause (来电问我们的
// 报价, 要一份报价): the price is asked for, not given.
func (m *msg) askedFor(pos int) bool {
	t := m.t
	from := max(clauseStart(t, pos, false), pos-5)
	for j := pos - 1; j >= from; j-- {
		switch t[j] {
		case '问', '询', '要', '催', '等':
			return !(j+1 < pos && t[j+1] == '了' && t[j] == '要')
		case '已', '了', '过':
			return false
		}
	}
	return false
}

func nounAfter(t []rune, end int) bool {
	for _, w := range nounAfterStage {
		if hasStrAt(t, end, w) {
			return true
		}
	}
	return false
}

func anyStr(t []rune, from, to int, words []string) bool {
	for _, w := range words {
		if containsStr(t, from, to, w) {
			return true
		}
	}
	return false
}

// negated reports a negation right before the word (没签, 还没有报价) or
// right after it (报价还没给).
func (m *msg) negated(pos, end int) bool {
	if h, ok := m.lastHitBefore(catNeg, clauseStart(m.t, pos, false), pos); ok && pos-int(h.end) <= 1 {
		return true
	}
	t := m.t
	j := end
	if j < len(t) && (t[j] == '还' || t[j] == '都' || t[j] == '也') {
		j++
	}
	return j < len(t) && (t[j] == '没' || t[j] == '未') || hasStrAt(t, j, "尚未")
}

// futureDateIn reports whether a future date lies inside [pos, end) (合同下周走流程).
func (m *msg) futureDateIn(pos, end int) bool {
	for _, d := range m.dates {
		if d.start >= pos && d.end <= end && d.date.After(m.today) {
			return true
		}
	}
	return false
}

// futureDateBefore reports whether a future date comes before pos in its clause.
func (m *msg) futureDateBefore(pos int) bool {
	from := clauseStart(m.t, pos, false)
	for _, d := range m.dates {
		if d.start >= pos {
			break
		}
		if d.start >= from && d.date.After(m.today) {
			return true
		}
	}
	return false
}

// futureDateRightAfter reports a future date and a verb right after a
// stage word that does not itself say it is done (报价下周发, 合同明天签).
func (m *msg) futureDateRightAfter(end int) bool {
	if end > 0 && strings.ContainsRune("了过完好", m.t[end-1]) {
		return false
	}
	j := end
	for j < len(m.t) && isSpace(m.t[j]) {
		j++
	}
	for _, d := range m.dates {
		if d.start == j && (d.date.After(m.today) || d.weekOnly) {
			k := d.end
			for k < len(m.t) && isSpace(m.t[k]) {
				k++
			}
			if j > end && k > d.end && !anyAt(m.t, k, stageDeliveries) {
				return false // 需求确认 下周一 送样: fields of a terse note
			}
			for _, w := range planVerbs {
				if hasStrAt(m.t, k, w) {
					return true
				}
			}
		}
	}
	return false
}

// stageDeliveries are verbs that carry a stage word out (报价 下周 发).
var stageDeliveries = []string{"发", "给", "交", "出", "报", "签", "提交", "做", "开始", "走", "演示", "谈"}

func anyAt(t []rune, i int, words []string) bool {
	for _, w := range words {
		if hasStrAt(t, i, w) {
			return true
		}
	}
	return false
}

// hedges after a stage word make it a chance, not a fact (中标的概率很大).
var hedges = []string{"的概率", "概率", "的可能", "可能性", "的希望", "希望很大", "的机会", "的把握", "有希望"}

func hedgedAfter(t []rune, end int) bool {
	for _, h := range hedges {
		if hasStrAt(t, end, h) {
			return true
		}
	}
	return false
}

// postponers before 不做了 make it a delay (今年不做了, 暂时不做了).
var postponers = []string{"暂时", "今年", "年内", "先", "短期内", "近期", "目前"}

func (m *msg) postponed(pos int) bool {
	for _, w := range postponers {
		if endsWithStr(m.t, pos, w) {
			return true
		}
	}
	return false
}

// doneRightBefore reports a done verb right before a stage word (做了方案演示,
// 发了报价): a date after it starts the next step (做了方案演示 下周二出报价).
func doneRightBefore(t []rune, pos int) bool {
	return pos > 1 && (t[pos-1] == '了' || t[pos-1] == '过') && isHan(t[pos-2])
}

package bot_test

import (
	"context"
	"testing"
	"time"

	"salesbot/domain"
)

// skepticConversations are what a doubtful manager tries in a chat before
// trusting the numbers: look-alike and mistyped names, answers by number or
// by part of a name, chit-chat instead of an answer, corrections of several
// fields in one line in different wordings, corrections after a plan,
// repeated undo, other reps' records, a plan followed by the visit itself,
// fragments with only a date or an amount, group chatter and English names.
// Each one's expected outcome follows CONTRACT.md "Reports, plans and
// conversations".
const derunJM = "德润精密机械有限公司"

// first is the member's latest visit; the test stops when there is none.
func (w *world) first(name string) domain.Visit {
	w.t.Helper()
	vs := w.visits(name)
	if len(vs) == 0 {
		w.t.Fatalf("%s has no visits", orLiNa(name))
	}
	return vs[0]
}

func orLiNa(name string) string {
	if name == "" {
		return "李娜"
	}
	return name
}

var skepticConversations = []conversation{
	// Look-alike names: a typo or an abbreviation is asked about, never
	// filed silently under a known customer nor made a near-duplicate.
	{name: "skeptic/one character off a known name is asked, then the known one", turns: []turn{
		{say: "今天拜访华晨科技马经理，聊了需求", want: []string{"华晨科技", huachen, "新客户 华晨科技"}, not: []string{"已记录"}},
		{say: "1", want: []string{"已记录拜访", huachen}},
	}, check: func(t *testing.T, w *world) {
		vs := w.visits("")
		if len(vs) != 1 || vs[0].CustomerID != w.s.Demo.Customer(huachen).ID {
			t.Fatalf("visits = %+v", vs)
		}
		// 华晨科技 is now the known customer's alias, not a customer of its own.
		if c, _ := w.customer("华晨科技"); c.ID != w.s.Demo.Customer(huachen).ID {
			t.Errorf("华晨科技 = %+v", c)
		}
	}},
	{name: "skeptic/one character off a known name is asked, then a new one", turns: []turn{
		{say: "今天拜访华晨科技马经理，聊了需求", want: []string{"新客户 华晨科技"}, not: []string{"已记录"}},
		{say: "2", want: []string{"已记录拜访", "华晨科技（新客户，已建档）"}},
	}, check: func(t *testing.T, w *world) {
		c, ok := w.customer("华晨科技")
		if !ok {
			t.Fatal("new customer 华晨科技 not created")
		}
		expect(t, "visit customer", w.first("").CustomerID, c.ID)
	}},
	{name: "skeptic/a mistyped name given as the answer is asked about too", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "华晨科技", want: []string{"新客户 华晨科技", huachen}, not: []string{"已记录"}},
		{say: "1", want: []string{"已记录拜访", huachen}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visit customer", w.first("").CustomerID, w.s.Demo.Customer(huachen).ID)
		if c, _ := w.customer("华晨科技"); c.ID != w.s.Demo.Customer(huachen).ID {
			t.Errorf("华晨科技 = %+v", c)
		}
	}},
	{name: "skeptic/an abbreviation is asked about", turns: []turn{
		{say: "今天拜访金石张总，聊了设备联网", want: []string{jinshi}, not: []string{"已记录"}},
		{say: "1", want: []string{"已记录拜访", jinshi}},
	}, check: func(t *testing.T, w *world) {
		// 金石 is now the known customer's alias, not a customer of its own.
		if c, _ := w.customer("金石"); c.ID != w.s.Demo.Customer(jinshi).ID {
			t.Errorf("金石 = %+v", c)
		}
		expect(t, "visit customer", w.first("").CustomerID, w.s.Demo.Customer(jinshi).ID)
	}},
	{name: "skeptic/the full alias of one of two prefix-sharing customers is not asked", turns: []turn{
		{as: "王强", say: "今天拜访德润医疗黄经理，聊了需求", want: []string{"已记录拜访", derunMD}, not: []string{"对应多个客户"}},
	}},

	// Answers to "which one?" by number, ordinal or part of a name.
	{name: "skeptic/part of a candidate's name picks it", turns: []turn{
		{as: "王强", say: "德润那边电话沟通了一下，李经理说下周给答复", want: []string{"对应多个客户"}},
		{as: "王强", say: "医疗", want: []string{"已记录拜访", derunMD}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visit customer", w.first("王强").CustomerID, w.s.Demo.Customer(derunMD).ID)
		w.noCustomer("医疗")
	}},
	{name: "skeptic/an ordinal word picks by position", turns: []turn{
		{as: "王强", say: "德润那边电话沟通了一下，李经理说下周给答复", want: []string{"对应多个客户", "2. " + derunJM}},
		{as: "王强", say: "第二个", want: []string{"已记录拜访", derunJM}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visit customer", w.first("王强").CustomerID, w.s.Demo.Customer(derunJM).ID)
		w.noCustomer("第二个")
	}},
	{name: "skeptic/a number out of range is asked again", turns: []turn{
		{as: "王强", say: "德润那边电话沟通了一下，李经理说下周给答复", want: []string{"对应多个客户"}},
		{as: "王强", say: "5", want: []string{"对应多个客户"}, not: []string{"已记录"}},
		{as: "王强", say: "1", want: []string{"已记录拜访"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("5")
		expect(t, "visits", len(w.visits("王强")), 1)
	}},
	{name: "skeptic/a bare number to the open question is not a name", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "12", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "金石重工", want: []string{"已记录拜访", jinshi}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("12")
	}},

	// Chit-chat is not an organisation.
	{name: "skeptic/chit-chat three times drops the report", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "恭喜恭喜", want: []string{"不是客户名称", "哪个客户"}, not: []string{"已记录"}},
		{say: "嗯嗯", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "收到", want: []string{"没有保存"}, not: []string{"已记录"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("恭喜恭喜", "嗯嗯", "收到")
		expect(t, "visits", len(w.visits("")), 0)
	}},
	{name: "skeptic/chit-chat then the name", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "哈哈", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "稍等", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "星河动力科技有限公司", want: []string{"已记录拜访", "星河动力科技有限公司（新客户，已建档）"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("哈哈", "稍等")
	}},
	{name: "skeptic/chit-chat to a look-alike question", turns: []turn{
		{say: "今天拜访蓝鲸物联的孙总，聊了需求", want: []string{"新客户 蓝鲸物联"}},
		{say: "好吧", want: []string{"新客户 蓝鲸物联"}, not: []string{"已记录"}},
		{say: "OK", want: []string{"新客户 蓝鲸物联"}, not: []string{"已记录"}},
		{say: "2", want: []string{"蓝鲸物联（新客户，已建档）"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("好吧", "OK")
	}},
	{name: "skeptic/chit-chat to merge-or-new is asked again, then an ordinal", turns: []turn{
		{say: "今天拜访金石重工张总，聊了设备联网", want: []string{"已记录拜访"}},
		{say: "金石重工那边又跟李经理电话聊了下，已发报价50万", want: []string{"合并", "新增"}},
		{say: "好的", want: []string{"合并", "新增"}, not: []string{"没有保存", "没看懂"}},
		{say: "第二个", want: []string{"已记录拜访", "50万"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visits", len(w.visits("")), 2)
		w.noCustomer("好的")
	}},
	{name: "skeptic/an amount as the answer is not a name", turns: []turn{
		{say: "今天拜访蓝鲸物联的孙总，聊了需求", want: []string{"新客户 蓝鲸物联"}},
		{say: "50万", want: []string{"新客户 蓝鲸物联"}, not: []string{"已记录"}},
		{say: "2", want: []string{"蓝鲸物联（新客户，已建档）"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("50万")
	}},
	{name: "skeptic/vague answers are asked again", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "就上次那个", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "你猜", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "是金石重工", want: []string{"已记录拜访", jinshi}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("就上次那个", "你猜")
	}},
	{name: "skeptic/a new report for another customer instead of the answer", turns: []turn{
		{say: "今天拜访蓝鲸物联的孙总，聊了需求", want: []string{"新客户 蓝鲸物联"}},
		{say: "昨天电话联系了华辰科技李经理，方案已经提交了", want: []string{"没有保存", "已补录拜访", huachen, "2026-01-04"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("蓝鲸物联")
		vs := w.visits("")
		if len(vs) != 1 || vs[0].VisitDate != "2026-01-04" || vs[0].Stage != domain.StageProposal {
			t.Fatalf("visits = %+v", vs)
		}
	}},

	// Corrections of several fields, in different wordings.
	{name: "skeptic/two fields after 修改 without 改一下", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{click: "修改", want: []string{"请直接回复要改的内容"}},
		{say: "金额80万，阶段谈判", want: []string{"阶段 报价→谈判", "金额 50万→80万"}, update: true},
	}, check: func(t *testing.T, w *world) {
		d := w.deal(jinshi)
		expect(t, "deal", all(d.Stage, d.Amount), "negotiation 800000")
	}},
	{name: "skeptic/not this stage but that, and the amount too", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，不是报价是谈判，金额也错了应该是80万", want: []string{"阶段 报价→谈判", "金额 50万→80万"}},
	}, check: func(t *testing.T, w *world) {
		v := w.first("")
		expect(t, "visit", all(v.Stage, v.Amount), "negotiation 800000")
	}},
	{name: "skeptic/an amount without its unit is never read as yuan", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，金额也错了应该是80", not: []string{"→80元", "→¥80"}},
	}, check: func(t *testing.T, w *world) {
		if a := w.first("").Amount; a != 500000 && a != 800000 {
			t.Fatalf("amount = %d", a)
		}
	}},
	{name: "skeptic/date to yesterday moves the day's figures", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，日期改成昨天", want: []string{"2026-01-05→2026-01-04"}, update: true},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visit date", w.first("").VisitDate, "2026-01-04")
		expect(t, "team visits", all(w.teamVisits("2026-01-04"), w.teamVisits("2026-01-05")), "1 0")
	}},
	{name: "skeptic/date to tomorrow is refused and named", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，日期改成明天", want: []string{"没有改", "拜访日期 2026-01-06 还没到"}, not: []string{"已修改"}},
		{say: "改一下，日期是1月7日", want: []string{"没有改", "拜访日期 2026-01-07 还没到"}, not: []string{"已修改", "看不懂"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visit date", w.first("").VisitDate, "2026-01-05")
	}},
	{name: "skeptic/a plan moved is a day only, no stage", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，计划改到后天", want: []string{"2026-01-07"}, not: []string{"谈判", "看不懂"}, update: true},
	}, check: func(t *testing.T, w *world) {
		v := w.first("")
		expect(t, "visit", all(v.Stage, v.NextDate), "quote 2026-01-07")
	}},
	{name: "skeptic/one unnamed part moves the day and the channel", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，应该是昨天电话聊的", want: []string{"2026-01-05→2026-01-04", "电话"}, update: true},
	}, check: func(t *testing.T, w *world) {
		v := w.first("")
		expect(t, "visit", all(v.Channel, v.VisitDate), "phone 2026-01-04")
	}},
	{name: "skeptic/a field's name right before its value", turns: []turn{
		{say: "今天拜访金石重工张总，聊了需求", want: []string{"已记录拜访"}},
		{say: "改一下，阶段报价", want: []string{"报价"}, not: []string{"看不懂"}, update: true},
	}, check: func(t *testing.T, w *world) {
		expect(t, "stage", w.first("").Stage, "quote")
	}},
	{name: "skeptic/an invalid amount is named, not applied", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，金额改成很多", want: []string{"没有改", "金额"}, not: []string{"已修改"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "amount", w.first("").Amount, 500000)
	}},
	{name: "skeptic/three fields in one line, one impossible", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{click: "修改"},
		{say: "金额80万，阶段谈判，日期改成后天", want: []string{"阶段 报价→谈判", "金额 50万→80万", "没有改", "拜访日期 2026-01-07 还没到"}, update: true},
	}, check: func(t *testing.T, w *world) {
		v := w.first("")
		expect(t, "visit", all(v.Stage, v.Amount, v.VisitDate), "negotiation 800000 2026-01-05")
	}},
	{name: "skeptic/not this contact but that one", turns: []turn{
		{say: "今天拜访华辰科技马经理，聊了需求", want: []string{"已记录拜访", "马经理"}},
		{say: "改一下，联系人不是马经理是孙工", want: []string{"联系人 马经理→孙工"}, update: true},
	}, check: func(t *testing.T, w *world) {
		expect(t, "contacts", w.first("").Contacts, []string{"孙工"})
	}},
	{name: "skeptic/a contact added keeps the one already there", turns: []turn{
		{say: "今天拜访华辰科技马经理，聊了需求", want: []string{"已记录拜访", "马经理"}},
		{say: "改一下，联系人加上孙工", want: []string{"联系人 马经理→马经理、孙工"}, update: true},
	}, check: func(t *testing.T, w *world) {
		expect(t, "contacts", w.first("").Contacts, []string{"马经理", "孙工"})
	}},
	{name: "skeptic/not this amount but that one", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，金额不是50万是80万", want: []string{"金额 50万→80万"}, not: []string{"没有改"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "deal", w.deal(jinshi).Amount, 800000)
	}},
	{name: "skeptic/DingTalk 修改 then not phone but on site", turns: []turn{
		{on: domain.PlatformDingTalk, say: "昨天电话联系了华辰科技李经理，方案已经提交了", want: []string{"已补录拜访"}},
		{on: domain.PlatformDingTalk, click: "修改", want: []string{"请直接回复要改的内容"}},
		{on: domain.PlatformDingTalk, say: "不是电话是上门，阶段改成报价，金额30万", want: []string{"方式 电话→拜访", "阶段 方案→报价", "金额 空→30万"}, update: true},
	}, check: func(t *testing.T, w *world) {
		v := w.first("")
		expect(t, "visit", all(v.Channel, v.Stage, v.Amount, v.VisitDate), "onsite quote 300000 2026-01-04")
	}},
	{name: "skeptic/a two-field line naming no customer is asked, then merged", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "金额80万，阶段谈判", want: []string{"哪个客户"}, not: []string{"已记录", "已修改"}},
		{say: "金石重工", want: []string{"合并", "新增"}},
		{say: "合并", want: []string{"已合并", "80万"}, update: true},
	}, check: func(t *testing.T, w *world) {
		vs := w.visits("")
		if len(vs) != 1 || vs[0].Amount != 800000 || vs[0].Stage != domain.StageNegotiation {
			t.Fatalf("visits = %+v", vs)
		}
		expect(t, "team visits", w.teamVisits("2026-01-05"), 1)
	}},
	{name: "skeptic/a customer correction to chit-chat is refused", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，客户应该是哈哈", want: []string{"不是客户名称"}, not: []string{"已修改"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("哈哈")
		expect(t, "customer", w.first("").CustomerID, w.s.Demo.Customer(jinshi).ID)
	}},

	// A correction right after a plan is about the plan.
	{name: "skeptic/a new day right after a plan moves the plan", turns: []turn{
		{say: "今天拜访华辰科技马经理，聊了需求", want: []string{"已记录拜访"}},
		{say: "明天去拜访金石重工张总", want: []string{"已记下计划", "2026-01-06"}},
		{say: "改一下，改到后天", want: []string{"已把计划改到 2026-01-07"}, not: []string{"已修改"}},
	}, check: func(t *testing.T, w *world) {
		ts := w.openTasks("")
		if len(ts) != 1 || ts[0].Due != "2026-01-07" {
			t.Fatalf("tasks = %+v", ts)
		}
		expect(t, "visit date untouched", w.first("").VisitDate, "2026-01-05")
	}},
	{name: "skeptic/an amount right after a plan does not hit an older visit unasked", turns: []turn{
		{say: "今天拜访华辰科技马经理，聊了需求", want: []string{"已记录拜访"}},
		{say: "明天去拜访金石重工张总", want: []string{"已记下计划"}},
		{say: "改一下，金额是80万", want: []string{"没有改", "计划还没有发生"}, not: []string{"金额 空→80万"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "older visit's amount", w.first("").Amount, 0)
	}},

	// Undo twice, undo after a correction.
	{name: "skeptic/undo twice takes back the two records, newest first", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "今天拜访华辰科技马经理，聊了需求", want: []string{"已记录拜访"}},
		{say: "撤销", want: []string{"已撤销", huachen}, not: []string{jinshi}, update: true},
		{say: "撤销", want: []string{"已撤销", jinshi}, update: true},
		{say: "撤销", want: []string{"没有可以撤销"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visits", len(w.visits("")), 0)
		expect(t, "team visits", w.teamVisits("2026-01-05"), 0)
	}},
	{name: "skeptic/undo after a correction takes back the whole record", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万，下周三再约演示", want: []string{"已记录拜访"}},
		{say: "改一下，金额是80万", want: []string{"金额 50万→80万"}},
		{say: "撤销", want: []string{"已撤销", jinshi}, update: true},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visits", len(w.visits("")), 0)
		expect(t, "open follow-ups", len(w.openTasks("")), 0)
		ds, _ := w.s.Store.ListDeals(context.Background(), domain.DealFilter{CustomerID: w.s.Demo.Customer(jinshi).ID})
		for _, d := range ds {
			if d.Amount == 800000 || d.Stage == domain.StageQuote {
				t.Errorf("deal still shows the undone record: %+v", d)
			}
		}
	}},

	// Other reps' records.
	{name: "skeptic/a correction naming a colleague's customer changes nothing", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{as: "王强", say: "今天拜访德润医疗黄经理，已发报价30万", want: []string{"已记录拜访"}},
		{say: "德润医疗那条金额改成80万", want: []string{"还没有「" + derunMD + "」的记录"}, not: []string{"已修改"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "my amount", w.first("").Amount, 500000)
		expect(t, "colleague's amount", w.first("王强").Amount, 300000)
	}},
	{name: "skeptic/a colleague's 修改 on my card changes nothing", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{as: "王强", click: "修改", want: []string{"只能撤销或修改自己的记录"}},
		{as: "王强", say: "金额是80万", not: []string{"已修改"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "my amount", w.first("").Amount, 500000)
		expect(t, "deal", w.deal(jinshi).Amount, 500000)
	}},

	// A plan, then the visit itself.
	{name: "skeptic/the visit the next day fulfils the plan", turns: []turn{
		{say: "明天去拜访金石重工张总", want: []string{"已记下计划", "2026-01-06"}},
		{after: 24 * time.Hour, say: "今天拜访了金石重工张总，聊了设备联网", want: []string{"已记录拜访", jinshi}, not: []string{"已记下计划"}},
		{say: "今天的跟进", not: []string{"拜访金石重工"}},
	}, check: func(t *testing.T, w *world) {
		vs := w.visits("")
		if len(vs) != 1 || vs[0].VisitDate != "2026-01-06" {
			t.Fatalf("visits = %+v", vs)
		}
		expect(t, "open tasks", len(w.openTasks("")), 0)
		expect(t, "team visits", all(w.teamVisits("2026-01-05"), w.teamVisits("2026-01-06")), "0 1")
	}},
	{name: "skeptic/a visit to another customer leaves the plan open", turns: []turn{
		{say: "明天去拜访金石重工张总", want: []string{"已记下计划"}},
		{after: 24 * time.Hour, say: "今天拜访了华辰科技马经理，聊了需求", want: []string{"已记录拜访", huachen}},
	}, check: func(t *testing.T, w *world) {
		ts := w.openTasks("")
		if len(ts) != 1 || ts[0].CustomerID != w.s.Demo.Customer(jinshi).ID {
			t.Fatalf("tasks = %+v", ts)
		}
	}},
	{name: "skeptic/undoing the visit reopens the plan it fulfilled", turns: []turn{
		{say: "明天去拜访金石重工张总", want: []string{"已记下计划"}},
		{after: 24 * time.Hour, say: "今天拜访了金石重工张总，聊了设备联网", want: []string{"已记录拜访"}},
		{say: "撤销", want: []string{"已撤销"}},
	}, check: func(t *testing.T, w *world) {
		ts := w.openTasks("")
		if len(ts) != 1 || ts[0].Due != "2026-01-06" {
			t.Fatalf("tasks = %+v", ts)
		}
	}},

	// Fragments.
	{name: "skeptic/only a date stores nothing", turns: []turn{
		{say: "明天"},
		{say: "1月3日"},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visits", len(w.visits("")), 0)
		expect(t, "tasks", len(w.openTasks("")), 0)
	}},
	{name: "skeptic/only an amount stores nothing by itself", turns: []turn{
		{say: "50万", not: []string{"已记录"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "visits", len(w.visits("")), 0)
	}},

	// Groups.
	{name: "skeptic/group chatter to a colleague is not the rep's plan", turns: []turn{
		{group: true, say: "@王强 明天你去一趟金石重工", quiet: true},
		{group: true, say: "大家辛苦了", quiet: true},
		{group: true, say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
	}, check: func(t *testing.T, w *world) {
		expect(t, "tasks", len(w.openTasks("")), 0)
		expect(t, "visits", len(w.visits("")), 1)
	}},

	// English and mixed names.
	{name: "skeptic/an English name typed as the answer is stored as written", turns: []turn{
		{say: "今天电话沟通了一下，李经理说下周给答复", want: []string{"哪个客户"}},
		{say: "ok", want: []string{"哪个客户"}, not: []string{"已记录"}},
		{say: "Acme Robotics Inc.", want: []string{"已记录拜访", "Acme Robotics Inc.（新客户，已建档）"}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("ok")
	}},
	{name: "skeptic/a known English alias in a Chinese line", turns: []turn{
		{as: "刘洋", on: domain.PlatformWeCom, say: "今天拜访Bluewhale孙总，聊了需求", want: []string{"已记录拜访", lanjing}, not: []string{"新客户"}},
	}},
	{name: "skeptic/a customer correction to a look-alike makes no near-duplicate", turns: []turn{
		{say: "今天拜访金石重工张总，已发报价50万", want: []string{"已记录拜访"}},
		{say: "改一下，客户应该是华晨科技", want: []string{"没有改", "华晨科技", huachen}, not: []string{"已修改"}},
		{say: "改一下，客户应该是华辰科技", want: []string{"客户 " + jinshi + "→" + huachen}},
	}, check: func(t *testing.T, w *world) {
		w.noCustomer("华晨科技")
		expect(t, "customer", w.first("").CustomerID, w.s.Demo.Customer(huachen).ID)
	}},
}

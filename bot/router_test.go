package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/domain"
)

func text(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(bot.PlainText(r))
		b.WriteString("\n")
	}
	return b.String()
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

func visitsOf(t *testing.T, s *bottest.Stack, m domain.Member) []domain.Visit {
	t.Helper()
	vs, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{MemberID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestReportIsStoredOnceAndShownAsCard(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	const msg = "今天拜访金石重工张总，聊了设备联网，已发报价50万，下周三再约演示"
	rs := s.Send(t, lina, "", "m1", msg)
	if len(rs) != 1 || rs[0].Card == nil {
		t.Fatalf("replies = %+v", rs)
	}
	mustContain(t, text(rs), "已记录拜访", "金石重工股份有限公司", "张总", "报价", "50万", "2026-01-14")
	if got := len(rs[0].Card.Buttons); got != 3 {
		t.Fatalf("buttons = %d", got)
	}
	if rs[0].To.UserID != lina.SimUserID || rs[0].To.Platform != domain.PlatformSim {
		t.Fatalf("reply goes to %+v", rs[0].To)
	}
	// The same delivery again: nothing new, no second reply.
	if rs := s.Send(t, lina, "", "m1", msg); len(rs) != 0 {
		t.Fatalf("redelivery replied %+v", rs)
	}
	vs := visitsOf(t, s, lina)
	if len(vs) != 1 || vs[0].Amount != 500000 || vs[0].Stage != domain.StageQuote || vs[0].NextDate != "2026-01-14" {
		t.Fatalf("visits = %+v", vs)
	}
	tasks, _ := s.Store.ListTasks(context.Background(), domain.TaskFilter{OwnerID: lina.ID, Status: domain.TaskOpen})
	if len(tasks) != 1 || tasks[0].Due != "2026-01-14" {
		t.Fatalf("tasks = %+v", tasks)
	}
}

func TestConcurrentRedeliveryStoresOnce(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	var wg sync.WaitGroup
	var mu sync.Mutex
	cards := 0
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs, err := s.Router.Handle(context.Background(), bot.Message{Platform: domain.PlatformSim, ID: "dup",
				UserID: lina.SimUserID, Text: "昨天电话联系了金石重工李经理，方案已经提交了", At: s.Clock.Now()})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			cards += len(rs)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n := len(visitsOf(t, s, lina)); n != 1 {
		t.Fatalf("%d visits stored; want 1", n)
	}
	if cards != 1 {
		t.Fatalf("%d replies sent; want 1", cards)
	}
}

func TestUnknownSender(t *testing.T) {
	s := bottest.New(t)
	rs := s.Send(t, domain.Member{SimUserID: "stranger"}, "", "x1", "今天拜访金石重工张总")
	mustContain(t, text(rs), "管理员")
}

func TestGroupChatterIsIgnored(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	if rs := s.Send(t, lina, s.Demo.East.SimChatID(), "g1", "恭喜恭喜！🎉"); len(rs) != 0 {
		t.Fatalf("group chatter got %+v", rs)
	}
	if rs := s.Send(t, lina, "", "p1", "恭喜恭喜！🎉"); len(rs) != 1 {
		t.Fatalf("private chatter got %+v; want a hint", rs)
	}
}

func TestAmbiguousCustomerIsAskedOncePerRep(t *testing.T) {
	s := bottest.New(t)
	wang := s.Demo.Member("王强")
	rs := s.Send(t, wang, "", "a1", "德润那边电话沟通了一下，李经理说下周给答复")
	mustContain(t, text(rs), "对应多个客户", "1. ", "2. ")
	if n := len(visitsOf(t, s, wang)); n != 0 {
		t.Fatalf("stored a guess: %d visits", n)
	}
	var pick string
	for _, line := range strings.Split(text(rs), "\n") {
		if strings.Contains(line, "德润医疗器械有限公司") {
			pick = strings.TrimSpace(strings.SplitN(line, ".", 2)[0])
		}
	}
	rs = s.Send(t, wang, "", "a2", pick)
	mustContain(t, text(rs), "已记录拜访", "德润医疗器械有限公司", "已记住")
	// The next report with the same word goes straight through.
	rs = s.Send(t, wang, "", "a3", "明天去德润拜访黄经理")
	if strings.Contains(text(rs), "对应多个客户") {
		t.Fatalf("asked again:\n%s", text(rs))
	}
	// Another rep is still asked.
	rs = s.Send(t, s.Demo.Member("刘洋"), "", "a4", "德润那边电话沟通了一下")
	mustContain(t, text(rs), "对应多个客户")
}

func TestSimilarUnknownNameAsksAndLearnsAlias(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	rs := s.Send(t, lina, "", "s1", "今天去金石拜访了王总，聊了需求")
	mustContain(t, text(rs), "「金石」是下面哪个客户", "金石重工股份有限公司", "新客户")
	rs = s.Send(t, lina, "", "s2", "1")
	mustContain(t, text(rs), "已记录拜访", "金石重工股份有限公司", "已记住")
	c, err := s.Svc.ResolveCustomer(context.Background(), "金石")
	if err != nil || len(c) != 1 || c[0].Name != "金石重工股份有限公司" {
		t.Fatalf("alias not learned: %+v %v", c, err)
	}
}

func TestSimilarNameCanBeANewCustomer(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	s.Send(t, lina, "", "n1", "今天去金石拜访了王总，聊了需求")
	rs := s.Send(t, lina, "", "n2", "新客户")
	mustContain(t, text(rs), "金石（新客户，已建档）")
	c, _ := s.Svc.ResolveCustomer(context.Background(), "金石")
	if len(c) != 1 || c[0].OwnerID != lina.ID {
		t.Fatalf("new customer = %+v", c)
	}
}

func TestUndoAndCorrect(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	s.Send(t, lina, "", "u1", "今天拜访金石重工张总，已发报价50万")
	rs := s.Send(t, lina, "", "u2", "改一下，金额是60万")
	mustContain(t, text(rs), "金额", "50万", "60万")
	vs := visitsOf(t, s, lina)
	if len(vs) != 1 || vs[0].Amount != 600000 {
		t.Fatalf("after correct: %+v", vs)
	}
	rs = s.Send(t, lina, "", "u3", "撤销")
	mustContain(t, text(rs), "已撤销", "金石重工股份有限公司")
	if n := len(visitsOf(t, s, lina)); n != 0 {
		t.Fatalf("%d visits after undo", n)
	}
	rs = s.Send(t, lina, "", "u4", "撤销")
	mustContain(t, text(rs), "没有可以撤销")
}

func TestCardButtons(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	card := s.Send(t, lina, "", "c1", "今天拜访金石重工张总，已发报价50万")[0].Card
	click := func(id, key string, who domain.Member) []bot.Reply {
		rs, err := s.Router.Handle(context.Background(), bot.Message{Platform: domain.PlatformSim, ID: id,
			UserID: who.SimUserID, At: s.Clock.Now(), Action: &bot.CardAction{Key: key, CardID: card.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	// Someone else cannot undo it.
	mustContain(t, text(click("c2", card.Buttons[2].Key, s.Demo.Member("王强"))), "只能撤销或修改自己的记录")
	rs := click("c3", card.Buttons[2].Key, lina)
	if len(rs) != 1 || rs[0].Update == nil || rs[0].Update.Card.Final != "已撤销" || rs[0].Update.CardID != card.ID {
		t.Fatalf("undo click = %+v", rs)
	}
	if n := len(visitsOf(t, s, lina)); n != 0 {
		t.Fatalf("%d visits after undo click", n)
	}
	rs = click("c4", card.Buttons[0].Key, lina)
	if rs[0].Update.Card.Final != "已撤销" {
		t.Fatalf("confirm after undo = %+v", rs[0].Update.Card)
	}
}

func TestSecondSameDayReportAsksMergeOrNew(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	s.Send(t, lina, "", "d1", "今天拜访金石重工张总，聊了设备联网")
	rs := s.Send(t, lina, "", "d2", "金石重工那边又跟李经理电话聊了下，已发报价50万")
	mustContain(t, text(rs), "合并", "新增")
	rs = s.Send(t, lina, "", "d3", "合并")
	mustContain(t, text(rs), "已合并")
	vs := visitsOf(t, s, lina)
	if len(vs) != 1 || vs[0].Amount != 500000 || len(vs[0].Contacts) != 2 {
		t.Fatalf("after merge: %+v", vs)
	}
	s.Send(t, lina, "", "d4", "金石重工下午又去了一趟，见了王总")
	s.Send(t, lina, "", "d5", "新增")
	if n := len(visitsOf(t, s, lina)); n != 2 {
		t.Fatalf("%d visits after 新增; want 2", n)
	}
}

func TestBackfilledReportKeepsVisitDate(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	rs := s.Send(t, lina, "", "b1", "上周三去金石重工拜访了张总，聊了需求")
	mustContain(t, text(rs), "已补录拜访", "2025-12-31")
	v := visitsOf(t, s, lina)[0]
	if v.VisitDate != "2025-12-31" || !v.ReportedAt.Equal(s.Clock.Now()) {
		t.Fatalf("visit date %s reported %s", v.VisitDate, v.ReportedAt)
	}
}

func TestCommandsRespectRoles(t *testing.T) {
	s := bottest.New(t)
	lina, yang := s.Demo.Member("李娜"), s.Demo.Member("杨帆")
	s.Send(t, yang, "", "r1", "今天拜访恒通银行吴行长，方案演示完了")
	// A rep of another team cannot read the customer's progress.
	mustContain(t, text(s.Send(t, lina, "", "r2", "恒通银行进展")), "没有权限")
	// Its owner can.
	mustContain(t, text(s.Send(t, yang, "", "r3", "恒通银行进展")), "恒通银行股份有限公司", "方案")
	// Its team's manager can; the other team's cannot.
	mustContain(t, text(s.Send(t, s.Demo.Member("陈静"), "", "r4", "恒通银行进展")), "方案")
	mustContain(t, text(s.Send(t, s.Demo.Member("张伟"), "", "r5", "恒通银行进展")), "没有权限")
	mustContain(t, text(s.Send(t, yang, "", "r6", "我的客户")), "恒通银行股份有限公司")
	mustContain(t, text(s.Send(t, yang, "", "r7", "本周排行")), "杨帆 1 /")
	mustContain(t, text(s.Send(t, s.Demo.Member("陈静"), "", "r8", "今日团队")), "杨帆 → 恒通银行股份有限公司")
	mustContain(t, text(s.Send(t, yang, "", "r9", "明天提醒我给吴行长打电话")), "2026-01-06", "给吴行长打电话")
	mustContain(t, text(s.Send(t, yang, "", "r10", "本周的跟进")), "给吴行长打电话")
	mustContain(t, text(s.Send(t, yang, "", "r11", "帮助")), "记录拜访")
}

// A customer the parser still remembers but that an undo removed is
// recorded by name (created again), not refused.
func TestStaleCustomerListFallsBackToName(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	mustContain(t, text(s.Send(t, lina, "", "f1", "今天拜访了星河动力科技有限公司的赵总，聊了需求")), "新客户")
	s.Send(t, lina, "", "f2", "我的客户") // reloads the list, with 星河动力
	mustContain(t, text(s.Send(t, lina, "", "f3", "撤销")), "已撤销")
	rs := s.Send(t, lina, "", "f4", "今天拜访了星河动力科技有限公司的钱总，已发报价30万")
	mustContain(t, text(rs), "已记录拜访", "星河动力科技有限公司", "30万")
	if n := len(visitsOf(t, s, lina)); n != 1 {
		t.Fatalf("%d visits; want 1", n)
	}
}

// Asked in a group, answers about one's own records go privately.
func TestGroupCommandsAnswerPrivately(t *testing.T) {
	s := bottest.New(t)
	lina := s.Demo.Member("李娜")
	group := s.Demo.East.SimChatID()
	s.Send(t, lina, "", "q1", "今天拜访金石重工张总，已发报价50万")
	rs := s.Send(t, lina, group, "q2", "我的客户")
	if len(rs) != 2 || rs[0].To.ChatID != "" || rs[0].To.UserID != lina.SimUserID || !strings.Contains(rs[0].Text, "金石重工") {
		t.Fatalf("private answer = %+v", rs)
	}
	if rs[1].To.ChatID != group || strings.Contains(rs[1].Text, "金石重工") {
		t.Fatalf("group note = %+v", rs[1])
	}
	// A report in the group is answered in the group.
	rs = s.Send(t, lina, group, "q3", "今天电话联系了华辰科技李经理，聊了需求")
	if len(rs) != 1 || rs[0].To.ChatID != group {
		t.Fatalf("group report reply = %+v", rs)
	}
}

// An answer to "which customer?" may be phrased loosely; a command instead
// of an answer is run, and the question is said to be dropped.
func TestCustomerAnswers(t *testing.T) {
	s := bottest.New(t)
	wang := s.Demo.Member("王强")
	s.Send(t, wang, "", "n1", "德润那边电话沟通了一下，李经理说下周给答复")
	rs := s.Send(t, wang, "", "n2", "是德润医疗")
	mustContain(t, text(rs), "已记录拜访", "德润医疗器械有限公司")
	liu := s.Demo.Member("刘洋")
	mustContain(t, text(s.Send(t, liu, "", "n3", "德润那边电话沟通了一下")), "对应多个客户")
	rs = s.Send(t, liu, "", "n4", "我的客户")
	if strings.Contains(text(rs), "新客户") {
		t.Fatalf("a command was taken for a customer name:\n%s", text(rs))
	}
	mustContain(t, text(rs), "没有保存", "的客户")
}

package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/parse"
	"salesbot/domain"
)

// vocabulary is what the fuzzed conversations are made of: reports, plans,
// answers to the bot's questions, corrections and commands, as reps write
// them.
var vocabulary = []string{
	"今天拜访金石重工张总，已发报价50万",
	"昨天电话联系了华辰科技李经理，方案已经提交了",
	"德润那边电话沟通了一下，李经理说下周给答复",
	"今天拜访蓝鲸物联的孙总，聊了需求",
	"今天电话沟通了一下，李经理说下周给答复",
	"今天拜访张总，聊了需求",
	"今天电话联系了蓝鲸李总，项目被友商抢走了，价格太高",
	"今天电话联系了金石重工李经理，客户说下个月能签",
	"上周三去金石重工拜访了张总，聊了需求",
	"金石重工那边又跟李经理电话聊了下，已发报价50万",
	"今天拜访金石重工张总，签约了，合同50万",
	"下周一拜访了华辰科技王总",
	"明天去拜访金石重工张总",
	"下周约了华辰科技李经理做方案演示",
	"明天去拜访星河动力科技有限公司的赵总",
	"1", "2", "3", "新客户", "合并", "新增", "好的", "取消",
	"医疗那个", "就那个", "上次说的那家", "人是", "联系人是周总和孙工",
	"金石重工", "德润医疗", "星河动力科技有限公司", "<b>星河</b>科技有限公司",
	"撤销", "改一下，金额是80万", "改一下，阶段是谈判，金额80万", "改一下，联系人是孙工，方式是电话",
	"金石重工那条金额改成80万", "改一下，客户应该是华辰科技", "改一下，客户应该是那个", "金额是60万",
	"今天的跟进", "我的客户", "恭喜恭喜",
	"嗯嗯", "收到", "哈哈", "在吗", "稍等", "ok", "12", "第二个", "医疗", "你猜", "就上次那个",
	"今天拜访华晨科技马经理，聊了需求", "今天拜访金石张总，聊了设备联网", "改一下，不是报价是谈判，金额也错了应该是80万",
	"改一下，改到后天", "改一下，日期改成昨天", "改一下，客户应该是哈哈", "金额80万，阶段谈判",
	"今天拜访了金石重工张总，聊了设备联网", "Acme Robotics Inc.", "50万", "明天",
}

// notOrganisations are words of the vocabulary that name no organisation:
// no customer may ever be called by one of them.
var notOrganisations = []string{
	"好的", "取消",
	"那个", "1", "2", "3", "新客户", "合并", "新增",
	"恭喜恭喜", "嗯嗯", "收到", "哈哈", "在吗", "稍等", "ok", "12", "第二个", "医疗", "你猜", "就上次那个", "50万", "明天",
}

// FuzzConversations plays random conversations of two reps, made of the
// vocabulary, card clicks, redeliveries and time passing, and checks what
// must always hold: no customer named by words that name no organisation,
// no visit dated in the future, and every report the bot acknowledged
// stored, once.
func FuzzConversations(f *testing.F) {
	f.Add([]byte{0, 3, 0, 16, 0, 0, 1, 2})
	f.Add([]byte{0, 4, 0, 23, 0, 24, 0, 25, 0, 28})
	f.Add([]byte{0, 0, 0, 34, 0, 32, 2, 1, 0, 35})
	f.Add([]byte{0, 9, 0, 0, 0, 19, 0, 32, 4, 0})
	f.Add([]byte{0, 0, 2, 1, 0, 36, 3, 0, 2, 2})
	f.Add([]byte{1, 2, 1, 16, 0, 12, 5, 0, 0, 39})
	// One company for all inputs (a fresh one per input is too slow to
	// fuzz): each input starts an hour later, so that no question of an
	// earlier input is still open, and is checked on what it created.
	s := bottest.New(f)
	org := orgChecker(f, s)
	seq := 0
	f.Fuzz(func(t *testing.T, script []byte) {
		s.Clock.Advance(time.Hour)
		before := newest(t, s)
		w := &world{t: t, s: s}
		acked := map[string]int64{} // message id → visit id its card showed
		var sent []bot.Message
		for i := 0; i+1 < len(script) && i < 40; i += 2 {
			op, arg := script[i], int(script[i+1])
			who := []string{"李娜", "王强"}[op&1]
			m := w.member(who)
			var msg bot.Message
			switch op >> 1 % 4 {
			case 0: // a message
				seq++
				msg = bot.Message{Platform: domain.PlatformSim, ID: "fz" + strconv.Itoa(seq), UserID: m.SimUserID,
					Text: vocabulary[arg%len(vocabulary)], At: s.Clock.Now()}
			case 1: // a click on a card shown earlier
				if len(w.cards) == 0 {
					continue
				}
				sc := w.cards[len(w.cards)-1-arg%len(w.cards)]
				if len(sc.card.Buttons) == 0 {
					continue
				}
				b := sc.card.Buttons[arg%len(sc.card.Buttons)]
				seq++
				msg = bot.Message{Platform: domain.PlatformSim, ID: "fz" + strconv.Itoa(seq), UserID: m.SimUserID,
					At: s.Clock.Now(), Action: &bot.CardAction{Key: b.Key, CardID: sc.platformID}}
			case 2: // a redelivery of an earlier message
				if len(sent) == 0 {
					continue
				}
				msg = sent[len(sent)-1-arg%len(sent)]
			case 3: // time passes
				s.Clock.Advance([]time.Duration{5 * time.Minute, 40 * time.Minute, 24 * time.Hour}[arg%3])
				continue
			}
			rs, err := s.Router.Handle(context.Background(), msg)
			if err != nil {
				t.Fatalf("%q: %v", msg.Text, err)
			}
			sent = append(sent, msg)
			for _, r := range rs {
				if r.Card != nil && strings.HasPrefix(r.Card.ID, "visit:") {
					w.cards = append(w.cards, shownCard{card: *r.Card, platformID: r.Card.ID})
					id, _ := strconv.ParseInt(strings.TrimPrefix(r.Card.ID, "visit:"), 10, 64)
					if prev, ok := acked[msg.ID]; ok && prev != id {
						t.Fatalf("message %s acknowledged as visits %d and %d", msg.ID, prev, id)
					}
					acked[msg.ID] = id
				}
				if r.Update != nil {
					w.cards = append(w.cards, shownCard{card: r.Update.Card, platformID: r.Update.CardID})
				}
			}
		}
		checkInvariants(t, s, org, before, acked)
	})
}

// orgChecker is the parser's test of an organisation's name.
func orgChecker(tb testing.TB, s *bottest.Stack) bot.OrganisationChecker {
	var und bot.Understander = bot.NewParser(s.Store, parse.Lexicon{})
	oc, ok := und.(bot.OrganisationChecker)
	if !ok {
		tb.Fatal("the parser cannot tell an organisation's name")
	}
	return oc
}

// marks are the newest customer and visit ids before an input.
type marks struct{ customer, visit int64 }

func newest(t *testing.T, s *bottest.Stack) marks {
	t.Helper()
	var m marks
	cs, err := s.Store.ListCustomers(context.Background(), domain.CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		m.customer = max(m.customer, c.ID)
	}
	vs, err := s.Store.ListVisits(context.Background(), domain.VisitFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		m.visit = max(m.visit, v.ID)
	}
	return m
}

func checkInvariants(t *testing.T, s *bottest.Stack, org bot.OrganisationChecker, before marks, acked map[string]int64) {
	t.Helper()
	ctx := context.Background()
	cs, err := s.Store.ListCustomers(ctx, domain.CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ID <= before.customer {
			continue
		}
		for _, bad := range notOrganisations {
			if c.Name == bad {
				t.Errorf("customer named %q", c.Name)
			}
		}
		if _, ok := org.Organisation(c.Name); !ok {
			t.Errorf("customer %q is not an organisation's name", c.Name)
		}
	}
	today := domain.DateOf(s.Clock.Now(), s.Loc)
	vs, err := s.Store.ListVisits(ctx, domain.VisitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.ID <= before.visit {
			continue
		}
		if v.VisitDate > today {
			t.Errorf("visit %d dated %s, after today %s: %q", v.ID, v.VisitDate, today, v.RawText)
		}
	}
	for id, visitID := range acked {
		v, err := s.Store.VisitByID(ctx, visitID)
		if err != nil {
			t.Errorf("message %s acknowledged as visit %d: %v", id, visitID, err)
			continue
		}
		if v.Platform != domain.PlatformSim || !strings.HasPrefix(v.SourceMsgID, "fz") {
			t.Errorf("visit %d comes from %s:%s", v.ID, v.Platform, v.SourceMsgID)
		}
	}
	perMessage := map[string]int{}
	for _, v := range vs {
		if perMessage[v.SourceMsgID]++; perMessage[v.SourceMsgID] > 1 {
			t.Errorf("message %s stored as %d visits", v.SourceMsgID, perMessage[v.SourceMsgID])
		}
	}
}

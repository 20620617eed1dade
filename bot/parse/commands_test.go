package parse_test

import (
	"reflect"
	"testing"

	"salesbot/bot/parse"
	"salesbot/domain"
)

func TestCommands(t *testing.T) {
	d := testDict()
	tests := []struct {
		text string
		want parse.Command
	}{
		{"本周排行", parse.Command{Kind: parse.CommandRankings, Period: parse.PeriodWeek}},
		{"上半年团队签单排名", parse.Command{Kind: parse.CommandRankings, Period: parse.PeriodHalf}},
		{"今年全年排行榜", parse.Command{Kind: parse.CommandRankings, Period: parse.PeriodYear}},
		{"我的客户", parse.Command{Kind: parse.CommandMyCustomers}},
		{"我的商机", parse.Command{Kind: parse.CommandMyCustomers, Subject: "deals"}},
		{"今天要跟进哪些？", parse.Command{Kind: parse.CommandFollowupsToday, Period: parse.PeriodToday, Date: "2026-03-11"}},
		{"明天有哪些客户要跟进", parse.Command{Kind: parse.CommandFollowupsToday, Date: "2026-03-12"}},
		{"我的待跟进", parse.Command{Kind: parse.CommandFollowupsToday, Date: "2026-03-11"}},
		{"这周要跟进哪些客户", parse.Command{Kind: parse.CommandFollowupsWeek, Period: parse.PeriodWeek, Date: "2026-03-11"}},
		{"查一下北辰医疗的进展", parse.Command{Kind: parse.CommandDealProgress, Customer: "北辰医疗设备有限公司", CustomerKnown: true}},
		{"查询 市人医 跟进记录", parse.Command{Kind: parse.CommandDealProgress, Customer: "临江市人民医院", CustomerKnown: true}},
		{"长风汽车怎么样了", parse.Command{Kind: parse.CommandDealProgress, Customer: "长风汽车股份有限公司", CustomerKnown: true}},
		{"北辰进展", parse.Command{Kind: parse.CommandDealProgress, Customer: "北辰软件有限公司", CustomerKnown: true}},
		{"撤销上一条", parse.Command{Kind: parse.CommandUndo}},
		{"刚才那条发错了，撤回", parse.Command{Kind: parse.CommandUndo}},
		{"删除上一条记录", parse.Command{Kind: parse.CommandUndo}},
		{"改一下，金额是60万", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldAmount, Value: "600000"}}}},
		{"刚才金额写错了，应该是38万", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldAmount, Value: "380000"}}}},
		{"客户应该是北辰医疗", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldCustomer, Value: "北辰医疗设备有限公司"}}}},
		{"不对，阶段应该是报价", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldStage, Value: "quote"}}}},
		{"阶段改成谈判", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldStage, Value: "negotiation"}}}},
		{"拜访日期改成昨天", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldVisitDate, Value: "2026-03-10"}}}},
		{"下次跟进改到周五", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldNextDate, Value: "2026-03-13"}}}},
		{"联系人改成孙经理", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldContacts, Value: "孙经理", Values: []string{"孙经理"}}}}},
		{"方式改成电话", parse.Command{Kind: parse.CommandCorrect, Changes: []parse.Change{{Field: parse.FieldChannel, Value: "phone"}}}},
		{"帮助", parse.Command{Kind: parse.CommandHelp}},
		{"@销售助手 怎么用", parse.Command{Kind: parse.CommandHelp}},
		{"导出我的客户列表", parse.Command{Kind: parse.CommandExport, Subject: "customers"}},
		{"导出本月拜访记录", parse.Command{Kind: parse.CommandExport, Period: parse.PeriodMonth, Subject: "visits"}},
		{"明天下午提醒我给刘总打电话", parse.Command{Kind: parse.CommandSetReminder, Date: "2026-03-12", Text: "给刘总打电话"}},
		{"提醒我下周一给长风汽车李总发方案", parse.Command{Kind: parse.CommandSetReminder, Date: "2026-03-16", Text: "给长风汽车李总发方案"}},
		{"本月业绩", parse.Command{Kind: parse.CommandStats, Period: parse.PeriodMonth}},
		{"本季度业绩统计", parse.Command{Kind: parse.CommandStats, Period: parse.PeriodQuarter}},
		{"我这个月拜访了多少家客户", parse.Command{Kind: parse.CommandStats, Period: parse.PeriodMonth}},
		{"看下我这个月的拜访记录", parse.Command{Kind: parse.CommandMyVisits, Period: parse.PeriodMonth}},
		{"看看我名下的客户", parse.Command{Kind: parse.CommandMyCustomers}},
		{"我们组这个月排第几？", parse.Command{Kind: parse.CommandRankings, Period: parse.PeriodMonth}},
		{"本季度我的签单金额", parse.Command{Kind: parse.CommandStats, Period: parse.PeriodQuarter}},
		{"这个月我签了几单", parse.Command{Kind: parse.CommandStats, Period: parse.PeriodMonth}},
		{"刚才那条录错了，删掉", parse.Command{Kind: parse.CommandUndo}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			if r.Intent != domain.IntentCommand || r.Command == nil {
				t.Fatalf("%q: intent %s, command %v", tc.text, r.Intent, r.Command)
			}
			c := *r.Command
			if c.Kind != tc.want.Kind || c.Period != tc.want.Period || c.Date != tc.want.Date || c.Customer != tc.want.Customer ||
				c.CustomerKnown != tc.want.CustomerKnown || !reflect.DeepEqual(c.Changes, tc.want.Changes) ||
				c.Subject != tc.want.Subject || c.Text != tc.want.Text {
				t.Errorf("%q:\n got %+v\nwant %+v", tc.text, c, tc.want)
			}
		})
	}
}

func TestPoolCommands(t *testing.T) {
	d := testDict()
	tests := []struct {
		text string
		want parse.Command
	}{
		{"漏斗", parse.Command{Kind: parse.CommandFunnel}},
		{"看下本月转化率", parse.Command{Kind: parse.CommandFunnel, Period: parse.PeriodMonth}},
		{"公海", parse.Command{Kind: parse.CommandPool}},
		{"领取 长风汽车", parse.Command{Kind: parse.CommandClaim, Customer: "长风汽车股份有限公司", CustomerKnown: true}},
		{"领取 星海科技", parse.Command{Kind: parse.CommandClaim, Customer: "星海科技"}},
		{"分配 北辰医疗 给 李娜", parse.Command{Kind: parse.CommandAssign, Customer: "北辰医疗设备有限公司", CustomerKnown: true, Text: "李娜"}},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		if r.Intent != domain.IntentCommand || r.Command == nil {
			t.Fatalf("%q: intent %s", tc.text, r.Intent)
		}
		c := *r.Command
		if c.Kind != tc.want.Kind || c.Period != tc.want.Period || c.Customer != tc.want.Customer ||
			c.CustomerKnown != tc.want.CustomerKnown || c.Text != tc.want.Text {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.text, c, tc.want)
		}
	}
}

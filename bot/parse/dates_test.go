package parse_test

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text  string
		at          time.Time // zero: wed (Wednesday 2026-03-11)
		visit, next string    // "" for null next
	}{
		{"no day is today", "北辰软件 王总 电话 聊了聊", time.Time{}, "2026-03-11", ""},
		{"today word", "今天去北辰软件拜访了王总", time.Time{}, "2026-03-11", ""},
		{"time of day alone", "下午和北辰软件王总开了视频会", time.Time{}, "2026-03-11", ""},
		{"yesterday", "昨天下午去北辰软件拜访了王总", time.Time{}, "2026-03-10", ""},
		{"day before yesterday", "前天电话跟北辰软件王总沟通了需求", time.Time{}, "2026-03-09", ""},
		{"three days ago", "大前天去了海川物流", time.Time{}, "2026-03-08", ""},
		{"tomorrow", "北辰软件王总电话，明天再去一趟", time.Time{}, "2026-03-11", "2026-03-12"},
		{"day after tomorrow", "北辰软件王总电话，后天发方案", time.Time{}, "2026-03-11", "2026-03-13"},
		{"three days on", "北辰软件王总电话，大后天去现场", time.Time{}, "2026-03-11", "2026-03-14"},
		{"tonight is today", "今晚和长风汽车的李总吃饭", time.Time{}, "2026-03-11", ""},
		{"tonight ahead of a call", "下午电话约了长风汽车李总，今晚一起吃饭", time.Date(2026, 3, 11, 6, 30, 0, 0, time.UTC), "2026-03-11", "2026-03-11"},
		{"next week, 报价", "长风汽车李总电话，POC通过，下周报价", time.Time{}, "2026-03-11", "2026-03-16"},
		{"this week day", "这周一去的海川物流，张总接待", time.Time{}, "2026-03-09", ""},
		{"this week day ahead", "长风汽车李总电话，本周五去演示", time.Time{}, "2026-03-11", "2026-03-13"},
		{"next week day", "长风汽车李总电话，下周二再跟", time.Time{}, "2026-03-11", "2026-03-17"},
		{"next week, 下个星期", "长风汽车李总电话，下个星期五提交方案", time.Time{}, "2026-03-11", "2026-03-20"},
		{"next week, 下礼拜", "长风汽车李总电话，下礼拜天去拜访", time.Time{}, "2026-03-11", "2026-03-22"},
		{"week after next", "长风汽车李总电话，下下周三开始测试", time.Time{}, "2026-03-11", "2026-03-25"},
		{"last week day", "上周四去了长风汽车，李总接待", time.Time{}, "2026-03-05", ""},
		{"last week, 上礼拜", "上礼拜天在展会上碰到长风汽车李总", time.Time{}, "2026-03-08", ""},
		{"next week alone is Monday", "长风汽车李总电话，下周再约", time.Time{}, "2026-03-11", "2026-03-16"},
		{"bare weekday ahead", "长风汽车李总电话，周五再确认", time.Time{}, "2026-03-11", "2026-03-13"},
		{"bare weekday today as next is next week", "长风汽车李总电话，周三再约", time.Time{}, "2026-03-11", "2026-03-18"},
		{"bare weekday done", "周一去了长风汽车，见了李总", time.Time{}, "2026-03-09", ""},
		{"bare weekday done, later in week", "周五去拜访的长风汽车李总", time.Time{}, "2026-03-06", ""},
		{"bare weekday opening the report", "周六 长风汽车 李总 现场 需求调研", time.Time{}, "2026-03-07", ""},
		{"bare weekday plan", "长风汽车 李总 电话 周四去汇报", time.Time{}, "2026-03-11", "2026-03-12"},
		{"N days later", "长风汽车李总电话，3天后去现场", time.Time{}, "2026-03-11", "2026-03-14"},
		{"bare weekday deadline", "长风汽车李总现场，报价三十万，周五前给答复", time.Time{}, "2026-03-11", "2026-03-13"},
		{"month end as a header", "月底冲一把：今天在长风汽车跟李总把合同签了", time.Time{}, "2026-03-11", ""},
		{"month end as a header, 了", "月底了，今天去长风汽车拜访了李总", time.Time{}, "2026-03-11", ""},
		{"N days later Chinese", "长风汽车李总电话，两天之后发资料", time.Time{}, "2026-03-11", "2026-03-13"},
		{"过N天", "长风汽车李总电话，过两天再跟进", time.Time{}, "2026-03-11", "2026-03-13"},
		{"one week later", "长风汽车李总电话，一个星期后再约", time.Time{}, "2026-03-11", "2026-03-18"},
		{"一周后", "长风汽车李总电话，一周后复盘", time.Time{}, "2026-03-11", "2026-03-18"},
		{"month end", "长风汽车李总电话，月底再跟进", time.Time{}, "2026-03-11", "2026-03-31"},
		{"this month end", "长风汽车李总电话，本月底前报价", time.Time{}, "2026-03-11", "2026-03-31"},
		{"month end on the last day is today", "月底总结：长风汽车李总电话 报价20万", time.Date(2026, 3, 31, 20, 0, 0, 0, shanghai), "2026-03-31", ""},
		{"next month start", "长风汽车李总电话，下月初去拜访", time.Time{}, "2026-03-11", "2026-04-01"},
		{"next month day", "长风汽车李总电话，下个月5号去总部汇报", time.Time{}, "2026-03-11", "2026-04-05"},
		{"month day", "3月9日去长风汽车见了李总", time.Time{}, "2026-03-09", ""},
		{"month day 号", "长风汽车李总电话，3月20号再联系", time.Time{}, "2026-03-11", "2026-03-20"},
		{"month day across the year", "12月29日去长风汽车见了李总", time.Date(2026, 1, 3, 10, 0, 0, 0, shanghai), "2025-12-29", ""},
		{"month day next year", "长风汽车李总电话，1月6号开启动会", time.Date(2026, 12, 28, 10, 0, 0, 0, shanghai), "2026-12-28", "2027-01-06"},
		{"dotted date", "3.6去长风汽车见了李总", time.Time{}, "2026-03-06", ""},
		{"slashed date", "长风汽车李总电话，3/18出方案", time.Time{}, "2026-03-11", "2026-03-18"},
		{"Chinese month day", "三月五日拜访了长风汽车李总", time.Time{}, "2026-03-05", ""},
		{"full date", "2026-03-02 电话 长风汽车 李总 报价 120万", time.Time{}, "2026-03-02", ""},
		{"full Chinese date", "2026年3月20日 长风汽车 李总 签约", time.Time{}, "2026-03-11", "2026-03-20"},
		{"day number past", "9号去了长风汽车，李总说预算批了", time.Time{}, "2026-03-09", ""},
		{"day number ahead is this month", "长风汽车李总电话，20号再去", time.Time{}, "2026-03-11", "2026-03-20"},
		{"day number passed is next month", "长风汽车李总电话，3号去工厂调研", time.Time{}, "2026-03-11", "2026-04-03"},
		{"day number done after today is last month", "15号去了长风汽车，李总说想做MES", time.Time{}, "2026-02-15", ""},
		{"deadline", "长风汽车李总电话，让我们4月1日前提交方案", time.Time{}, "2026-03-11", "2026-04-01"},
		{"earliest future step wins", "长风汽车李总电话，月底前给答复，我们明天先发资料", time.Time{}, "2026-03-11", "2026-03-12"},
		{"interaction day over a meta day", "周日补一条：周五去长风汽车跟李总确认了合同条款", time.Date(2026, 3, 15, 20, 0, 0, 0, shanghai), "2026-03-13", ""},
		{"interaction day over an event day", "长风汽车 POC上周四跑完了 李总今天电话说准备走采购", time.Time{}, "2026-03-11", ""},
		{"words that name no day", "长风汽车李总电话，年底前定，春节后启动，下个月再说，尽快给答复", time.Time{}, "2026-03-11", ""},
		{"weekend ahead", "长风汽车李总电话，周末去他们工厂", time.Time{}, "2026-03-11", "2026-03-14"},
		{"weekend past names no day", "周末去了一趟长风汽车，李总带我们看了产线", time.Time{}, "2026-03-11", ""},
		{"room number is not a day", "长风汽车李总 今天在2号会议室做了演示", time.Time{}, "2026-03-11", ""},
		{"decimal amount is not a day", "长风汽车李总电话 报价3.5万", time.Time{}, "2026-03-11", ""},
		{"time zone of at", "长风汽车李总电话，明天再跟", time.Date(2026, 3, 11, 17, 0, 0, 0, time.UTC), "2026-03-12", "2026-03-13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			switch {
			case at.IsZero():
				at = wed
			case at.Location() == time.UTC:
				at = at.In(shanghai)
			}
			r := d.Parse(tc.text, at)
			mustReport(t, r, tc.text)
			if got := str(r.VisitDate); got != tc.visit {
				t.Errorf("%q: visit_date %s, want %s", tc.text, got, tc.visit)
			}
			if got := str(r.NextDate); got != tc.next {
				t.Errorf("%q: next_date %q, want %q", tc.text, got, tc.next)
			}
		})
	}
}

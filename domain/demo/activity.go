package demo

import (
	"context"
	"fmt"
	"time"

	"salesbot/domain"
)

// visitSpec is one demo report, dated in days from today.
type visitSpec struct {
	rep, customer string
	contacts      []string
	channel       domain.Channel
	daysAgo       int
	stage         domain.Stage
	amount        int64 // yuan
	nextIn        int   // days from today; 0 for no follow-up
	next, summary string
	lostTo        string
}

// visits is a few weeks of work in both teams. It leaves 金石重工 and the two
// 德润 alone (README's first steps report on them) and gives the reminders
// job something for tomorrow, the digest and 今日团队 visits today, and the
// funnel deals at every stage.
var visits = []visitSpec{
	{"李娜", "华辰科技有限公司", []string{"李经理"}, domain.ChannelOnsite, 12, domain.StageProspecting, 0, 0, "", "初次拜访，了解产线数字化规划", ""},
	{"李娜", "华辰科技有限公司", []string{"李经理"}, domain.ChannelOnsite, 5, domain.StageQualification, 300000, 1, "带方案初稿再去一次", "确认了MES改造需求，预算约30万", ""},
	{"王强", "星河电子有限公司", []string{"赵总"}, domain.ChannelOnsite, 0, domain.StageProspecting, 200000, 7, "安排技术交流", "新客户，对设备联网感兴趣", ""},
	{"刘洋", "蓝鲸新材料科技有限公司", []string{"周工"}, domain.ChannelPhone, 3, domain.StageProposal, 800000, 1, "电话确认方案反馈", "方案已邮件发出", ""},
	{"刘洋", "云州市第一人民医院", []string{"信息科王主任"}, domain.ChannelOnsite, 0, domain.StageQuote, 1200000, 5, "跟进报价审批", "已发报价120万", ""},
	{"杨帆", "恒通银行股份有限公司", []string{"陈行长"}, domain.ChannelOnsite, 2, domain.StageNegotiation, 2000000, 1, "确认合同条款", "价格谈妥，合同在起草", ""},
	{"杨帆", "优品汇商贸连锁有限公司", []string{"孙经理"}, domain.ChannelOnsite, 9, domain.StageWon, 350000, 0, "", "合同签回来了", ""},
	{"黄磊", "远航物流有限公司", []string{"钱总"}, domain.ChannelOnline, 0, domain.StageQualification, 150000, 3, "发产品资料", "视频会议了解仓储管理需求", ""},
	{"黄磊", "鲜丰季连锁超市有限公司", []string{"吴店长"}, domain.ChannelPhone, 8, domain.StageLost, 80000, 0, "", "客户最后定了别家", "友商"},
	{"周敏", "捷运冷链物流有限公司", []string{"郑经理"}, domain.ChannelOnsite, 1, domain.StageProspecting, 0, 2, "约冷库现场参观", "冷链温控项目重新启动", ""},
}

// reminders are follow-ups without a visit, due today.
var reminders = []struct{ rep, text string }{
	{"李娜", "整理本周拜访纪要发给张伟"},
}

// Activity records the demo visits (dated back from today, as the reps who
// own the customers) and reminders, for `salesbot serve --demo`: so the
// funnel, the rankings, 今日团队, the digest and tomorrow's reminders show
// something from the first minute. Run it once, right after Fill created
// the company; the tests' seed (Fill alone) has no activity.
func Activity(ctx context.Context, svc *domain.Service, c Company) error {
	loc := svc.Location()
	today := svc.Today()
	for i, v := range visits {
		rep := c.Member(v.rep)
		if rep.ID == 0 {
			return fmt.Errorf("demo activity: no member %s", v.rep)
		}
		day := today.AddDays(-v.daysAgo)
		var at time.Time // today's: now
		if v.daysAgo > 0 {
			at = day.Time(loc).Add(17 * time.Hour)
		}
		f := domain.Facts{
			Customer: v.customer, Contacts: v.contacts, Channel: v.channel, VisitDate: day,
			Stage: v.stage, Amount: v.amount, NextAction: v.next, Summary: v.summary, LostTo: v.lostTo,
		}
		if v.nextIn > 0 {
			f.NextDate = today.AddDays(v.nextIn)
		}
		r := domain.Report{Platform: domain.PlatformSim, SourceMsgID: fmt.Sprintf("demo-%d", i+1), Text: v.summary, At: at, Facts: f}
		if _, err := svc.RecordReport(ctx, rep, r); err != nil {
			return fmt.Errorf("demo activity: %s at %s: %w", v.rep, v.customer, err)
		}
	}
	for _, r := range reminders {
		if _, err := svc.AddReminder(ctx, c.Member(r.rep), today, r.text); err != nil {
			return fmt.Errorf("demo reminder: %w", err)
		}
	}
	return nil
}

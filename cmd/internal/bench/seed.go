package bench

import (
	"context"
	"fmt"
	"time"

	"salesbot/domain"
)

const benchTeam = "压测团队"

// seed creates the bench team with its reps and customers.
func seed(ctx context.Context, svc *domain.Service, st Store, reps, customers int) ([]domain.Member, []domain.Customer, error) {
	if _, err := svc.UpsertTeam(ctx, domain.Team{Name: benchTeam}); err != nil {
		return nil, nil, err
	}
	var members []domain.Member
	for i := 0; i < reps; i++ {
		id := fmt.Sprintf("bench-rep-%03d", i)
		m := domain.Member{Name: fmt.Sprintf("压测销售%03d", i), Role: domain.RoleRep, WeComUserID: id, DingTalkUserID: id}
		if _, err := svc.UpsertMember(ctx, m, benchTeam); err != nil {
			return nil, nil, err
		}
		got, err := st.MemberByName(ctx, m.Name)
		if err != nil {
			return nil, nil, err
		}
		members = append(members, got)
	}
	var custs []domain.Customer
	for i := 0; i < customers; i++ {
		c := domain.Customer{Name: fmt.Sprintf("压测客户%03d科技有限公司", i), Tier: domain.TierB}
		if _, err := svc.UpsertCustomer(ctx, c, members[i%len(members)].Name); err != nil {
			return nil, nil, err
		}
		custs = append(custs, c)
	}
	return members, custs, nil
}

var topics = []string{"ERP升级", "设备联网", "MES选型", "数据中台", "供应链协同", "质量追溯"}

// reportText is report i: a visit to c on day (as a rep writes it), with
// a quote and the next step.
func reportText(i int, day string, c domain.Customer) string {
	return fmt.Sprintf("%s拜访%s张总，聊了%s，已发报价%d万，下周三再约演示", day, c.Name, topics[i%len(topics)], i%90+10)
}

// dayWord is how a rep names the day k days before now.
func dayWord(now domain.Date, k int) string {
	switch k {
	case 0:
		return "今天"
	case 1:
		return "昨天"
	case 2:
		return "前天"
	case 3:
		return "大前天"
	}
	t := now.AddDays(-k).Time(time.UTC)
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

package bot_test

import (
	"context"
	"testing"

	"salesbot/bot/bottest"
	"salesbot/domain"
)

// 公海 lists what a rep may claim, 领取 takes it and shows its history,
// 分配 is for managers and tells the assignee; permissions follow.
func TestPoolCommands(t *testing.T) {
	s := bottest.New(t)
	lina, wang, zhang := s.Demo.Member("李娜"), s.Demo.Member("王强"), s.Demo.Member("张伟")
	pooled := domain.Customer{Name: "星河电子有限公司", Aliases: []string{"星河电子"}, Tier: domain.TierB, Industry: "消费电子", TeamID: lina.TeamID}
	if err := s.Store.CreateCustomer(context.Background(), &pooled); err != nil {
		t.Fatal(err)
	}

	rs := s.Send(t, lina, "", "p1", "公海")
	if len(rs) != 1 || rs[0].Card == nil || len(rs[0].Card.Buttons) != 1 || rs[0].Card.Buttons[0].Key != "pool_claim:星河电子有限公司" {
		t.Fatalf("公海 = %+v", rs)
	}
	mustContain(t, rs[0].Text, "**公海客户（1）**", "1. 星河电子有限公司 B类 · 消费电子 · 没有拜访记录 · 入池", "回复「领取 客户名」即可领取")
	mustContain(t, text(s.Send(t, lina, "", "p2", "公海 电子")), "星河电子有限公司")
	mustContain(t, text(s.Send(t, lina, "", "p3", "公海 物流")), "公海里没有和「物流」相关的客户。")

	mustContain(t, text(s.Send(t, lina, "", "p4", "领取 星河电子")), "已领取「星河电子有限公司」，现在由你负责。", "**星河电子有限公司**", "还没有商机。")
	mustContain(t, text(s.Send(t, wang, "", "p5", "领取星河电子")), "「星河电子有限公司」已归属 李娜，不在公海里")
	mustContain(t, text(s.Send(t, wang, "", "p6", "分配 星河电子 给 王强")), "只有经理或管理员可以分配客户")

	rs = s.Send(t, zhang, "", "p7", "分配 星河电子 给 王强。")
	mustContain(t, text(rs), "已把「星河电子有限公司」分配给王强（原来：李娜）。", "张伟把客户「星河电子有限公司」分配给了你")
	if len(rs) != 2 || rs[1].To.UserID != wang.SimUserID {
		t.Fatalf("the assignee is not told: %+v", rs)
	}
	mustContain(t, text(s.Send(t, lina, "", "p8", "星河电子进展")), "你没有权限查看客户「星河电子有限公司」")
	mustContain(t, text(s.Send(t, wang, "", "p9", "星河电子进展")), "**星河电子有限公司**")
}

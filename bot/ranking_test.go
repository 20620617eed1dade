package bot_test

import (
	"context"
	"strings"
	"testing"

	"salesbot/bot/bottest"
	"salesbot/domain"
)

// 本周排行 under leaderboard_top=1: the group sees the top one and nothing
// else; privately a rep also sees their own rank and a manager the whole
// team; the manager's own visits never rank him with his reps.
func TestRankingPrivacy(t *testing.T) {
	s := bottest.New(t)
	lina, wang, liu, boss := s.Demo.Member("李娜"), s.Demo.Member("王强"), s.Demo.Member("刘洋"), s.Demo.Member("张伟")
	group := s.Demo.East.SimChatID()
	for i, r := range []struct {
		m    domain.Member
		text string
	}{
		{lina, "今天拜访金石重工张总，聊了需求"},
		{lina, "今天电话联系了华辰科技李经理，聊了需求"},
		{wang, "今天拜访德润精密王总，聊了需求"},
		{boss, "今天拜访蓝鲸新材料赵总，聊了合作"},
		{boss, "今天拜访金石重工钱总，聊了合作"},
		{boss, "今天电话联系了德润精密孙总，聊了合作"},
	} {
		mustContain(t, text(s.Send(t, r.m, "", "v"+string(rune('a'+i)), r.text)), "已记录拜访")
	}
	if err := s.Store.SaveSetting(context.Background(), domain.Setting{TeamID: s.Demo.East.ID, Name: domain.SettingLeaderboardTop, Value: "1"}); err != nil {
		t.Fatal(err)
	}
	lacks := func(got string, names ...string) {
		t.Helper()
		for _, n := range names {
			if strings.Contains(got, n) {
				t.Errorf("reply shows %q:\n%s", n, got)
			}
		}
	}

	for _, asker := range []domain.Member{liu, boss} {
		rs := s.Send(t, asker, group, "g"+asker.Name, "本周排行")
		if len(rs) != 1 || rs[0].To.ChatID != group {
			t.Fatalf("group answer to %s = %+v", asker.Name, rs)
		}
		mustContain(t, text(rs), "1. 李娜 2 / ", "只显示前 1 名")
		lacks(text(rs), "王强", "刘洋", "张伟", "你排第")
	}

	got := text(s.Send(t, liu, "", "p1", "本周排行"))
	mustContain(t, got, "1. 李娜 2 / ", "你排第 3 名（共 3 人）：0 / 0 / 0")
	lacks(got, "王强", "张伟")

	got = text(s.Send(t, lina, "", "p2", "本周排行"))
	mustContain(t, got, "1. 李娜 2 / ")
	lacks(got, "王强", "刘洋", "你排第")

	got = text(s.Send(t, boss, "", "p3", "本周排行"))
	mustContain(t, got, "1. 李娜 2 / ", "2. 王强 1 / ", "3. 刘洋 0 / 0 / 0")
	lacks(got, "张伟", "只显示")
}

package domain_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

func member(id int64, name string, role domain.Role) domain.Member {
	return domain.Member{ID: id, Name: name, Role: role, TeamID: 1, Active: true}
}

func ranks(ss []domain.Standing) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s:%d", s.Member.Name, s.Rank))
	}
	return out
}

// Equal figures share a rank and skip the next (1, 1, 3); visits come
// first, then the won amount, then new deals; managers, admins and
// members who left are not ranked, whatever they did.
func TestRankTies(t *testing.T) {
	t.Parallel()
	left := member(7, "周杰", domain.RoleRep)
	left.Active = false
	members := []domain.Member{
		member(1, "张伟", domain.RoleManager), member(2, "李娜", domain.RoleRep), member(3, "王强", domain.RoleRep),
		member(4, "刘洋", domain.RoleRep), member(5, "陈静", domain.RoleRep), member(6, "孙立", domain.RoleAdmin),
		left, member(8, "赵敏", domain.RoleRep), member(9, "吴昊", domain.RoleRep),
	}
	figs := map[int64]domain.Figures{
		1: {Visits: 9},
		2: {Visits: 5, WonAmount: 100},
		3: {Visits: 5, WonAmount: 100},
		4: {Visits: 5},
		6: {Visits: 8},
		7: {Visits: 7},
		8: {Visits: 2, NewDeals: 1},
		9: {Visits: 2},
		// 5 has nothing
	}
	want := []string{"李娜:1", "王强:1", "刘洋:3", "赵敏:4", "吴昊:5", "陈静:6"}
	if diff := cmp.Diff(want, ranks(domain.Rank(members, figs))); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
}

// What each viewer sees of a ranking under leaderboard_top.
func TestRankingVisible(t *testing.T) {
	t.Parallel()
	lina, wang, liu, chen := member(2, "李娜", domain.RoleRep), member(3, "王强", domain.RoleRep),
		member(4, "刘洋", domain.RoleRep), member(5, "陈静", domain.RoleRep)
	boss := member(1, "张伟", domain.RoleManager)
	standings := domain.Rank([]domain.Member{lina, wang, liu, chen}, map[int64]domain.Figures{
		2: {Visits: 3}, 3: {Visits: 3}, 4: {Visits: 1},
	}) // 李娜 1, 王强 1, 刘洋 3, 陈静 4
	all := ranks(standings)
	tests := []struct {
		name    string
		top     int
		viewer  domain.Member
		inGroup bool
		shown   []string
		own     string
	}{
		{"GroupTop1KeepsTies", 1, chen, true, []string{"李娜:1", "王强:1"}, ""},
		{"GroupTop3", 3, boss, true, []string{"李娜:1", "王强:1", "刘洋:3"}, ""},
		{"GroupNoLimit", 0, chen, true, all, ""},
		{"RepBelowTop", 1, chen, false, []string{"李娜:1", "王强:1"}, "陈静:4"},
		{"RepInTop", 2, wang, false, []string{"李娜:1", "王强:1"}, ""},
		{"ManagerPrivately", 1, boss, false, all, ""},
		{"AdminPrivately", 1, member(6, "孙立", domain.RoleAdmin), false, all, ""},
		{"TopCoversEveryone", 9, chen, false, all, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown, own := domain.Ranking{Standings: standings, Top: tt.top}.Visible(tt.viewer, tt.inGroup)
			if diff := cmp.Diff(tt.shown, ranks(shown)); diff != "" {
				t.Errorf("shown (-want +got):\n%s", diff)
			}
			got := ""
			if own != nil {
				got = ranks([]domain.Standing{*own})[0]
			}
			if got != tt.own {
				t.Errorf("own = %q, want %q", got, tt.own)
			}
		})
	}
}

func TestParseLeaderboardTop(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"0": 0, " 5 ": 5} {
		if got, err := domain.ParseLeaderboardTop(in); err != nil || got != want {
			t.Errorf("ParseLeaderboardTop(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "三", "2.5"} {
		if _, err := domain.ParseLeaderboardTop(in); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseLeaderboardTop(%q) error = %v, want EINVALID", in, err)
		}
	}
}

// The service's ranking carries the team's leaderboard_top, and only that
// team's.
func TestRankingReadsLeaderboardTop(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		week := domain.Date("2026-03-02").WeekSpan()
		rk, err := f.svc.Ranking(f.ctx, f.EastReps[0], f.East.ID, week)
		if err != nil || rk.Top != 0 || len(rk.Standings) != len(f.EastReps) {
			t.Fatalf("no setting: Ranking = %+v, %v", rk, err)
		}
		for _, s := range []domain.Setting{
			{TeamID: f.East.ID, Name: domain.SettingLeaderboardTop, Value: "2"},
			{TeamID: f.South.ID, Name: domain.SettingLeaderboardTop, Value: "5"},
		} {
			if err := f.store.SaveSetting(f.ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if rk, err = f.svc.Ranking(f.ctx, f.EastReps[0], f.East.ID, week); err != nil || rk.Top != 2 {
			t.Errorf("with leaderboard_top=2: Top = %d, %v", rk.Top, err)
		}
	})
}

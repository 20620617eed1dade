package demo_test

import (
	"context"
	"testing"

	"salesbot/domain"
	"salesbot/domain/demo"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestFill(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, err := demo.Fill(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Teams) != 2 || len(c.Members) != 9 || len(c.Customers) != 12 {
			t.Fatalf("filled %d teams, %d members, %d customers; want 2, 9, 12", len(c.Teams), len(c.Members), len(c.Customers))
		}
		for _, team := range c.Teams {
			ms, err := s.ListMembers(ctx, domain.MemberFilter{TeamID: team.ID, ActiveOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			roles := map[domain.Role]int{}
			for _, m := range ms {
				roles[m.Role]++
				for _, p := range []domain.Platform{domain.PlatformWeCom, domain.PlatformDingTalk, domain.PlatformSim} {
					if got, err := s.MemberByPlatformID(ctx, p, m.PlatformUserID(p)); err != nil || got.ID != m.ID {
						t.Errorf("%s on %s: %v", m.Name, p, err)
					}
				}
			}
			if roles[domain.RoleManager] != 1 || roles[domain.RoleRep] != 3 {
				t.Errorf("team %s roles %v, want a manager and three reps", team.Name, roles)
			}
		}
		for _, cu := range c.Customers {
			owner, err := s.MemberByID(ctx, cu.OwnerID)
			if err != nil || owner.Role != domain.RoleRep || owner.TeamID != cu.TeamID || len(cu.Aliases) == 0 {
				t.Errorf("customer %+v: owner %+v, %v", cu, owner, err)
			}
		}
		if got := c.Member("张伟"); got.Role != domain.RoleManager || got.SimUserID != "zhangwei" {
			t.Errorf("Member(张伟) = %+v", got)
		}

		again, err := demo.Fill(ctx, s)
		if err != nil || len(again.Teams) != 0 {
			t.Errorf("second Fill = %+v, %v; want nothing done", again, err)
		}
		teams, _ := s.ListTeams(ctx)
		if len(teams) != 2 {
			t.Errorf("%d teams after a second Fill, want 2", len(teams))
		}
	})
}

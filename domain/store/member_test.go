package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestMember(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina := d.EastReps[0]

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := s.MemberByID(ctx, lina.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(lina, got); diff != "" {
				t.Errorf("MemberByID (-want +got):\n%s", diff)
			}
		})

		t.Run("ByPlatformID", func(t *testing.T) {
			tests := []struct {
				name   string
				p      domain.Platform
				userID string
				want   int64 // 0: ErrNotFound
			}{
				{"WeCom", domain.PlatformWeCom, lina.WeComUserID, lina.ID},
				{"DingTalk", domain.PlatformDingTalk, lina.DingTalkUserID, lina.ID},
				{"Sim", domain.PlatformSim, lina.SimUserID, lina.ID},
				{"WrongPlatform", domain.PlatformDingTalk, lina.WeComUserID, 0},
				{"Unknown", domain.PlatformWeCom, "nobody", 0},
				{"Empty", domain.PlatformWeCom, "", 0},
				{"BadPlatform", domain.Platform("slack"), lina.SimUserID, 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.MemberByPlatformID(ctx, tt.p, tt.userID)
					if tt.want == 0 {
						if !errors.Is(err, domain.ErrNotFound) {
							t.Errorf("err = %v, want ErrNotFound", err)
						}
						return
					}
					if err != nil || got.ID != tt.want {
						t.Errorf("got %d, %v; want %d", got.ID, err, tt.want)
					}
				})
			}
		})

		t.Run("UniquePlatformIDs", func(t *testing.T) {
			tests := []struct {
				name string
				m    domain.Member
			}{
				{"WeCom", domain.Member{Name: "新人甲", Role: domain.RoleRep, TeamID: d.East.ID, WeComUserID: lina.WeComUserID}},
				{"DingTalk", domain.Member{Name: "新人乙", Role: domain.RoleRep, TeamID: d.East.ID, DingTalkUserID: lina.DingTalkUserID}},
				{"Sim", domain.Member{Name: "新人丙", Role: domain.RoleRep, TeamID: d.East.ID, SimUserID: lina.SimUserID}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if err := s.CreateMember(ctx, &tt.m); !errors.Is(err, domain.ErrConflict) {
						t.Errorf("CreateMember = %v, want ErrConflict", err)
					}
				})
			}
		})

		t.Run("UnlinkedMembersDoNotCollide", func(t *testing.T) {
			for _, name := range []string{"赵六", "钱七"} {
				m := domain.Member{Name: name, Role: domain.RoleRep, TeamID: d.South.ID, Active: true}
				if err := s.CreateMember(ctx, &m); err != nil {
					t.Fatalf("CreateMember(%s): %v", name, err)
				}
				got, err := s.MemberByID(ctx, m.ID)
				if err != nil || got.WeComUserID != "" || got.SimUserID != "" {
					t.Errorf("MemberByID = %+v, %v; want no platform ids", got, err)
				}
			}
		})

		t.Run("ByNamePrefersActive", func(t *testing.T) {
			// Two 吴刚: the one who left joined first.
			var ids []int64
			for _, active := range []bool{false, true} {
				m := domain.Member{Name: "吴刚", Role: domain.RoleRep, TeamID: d.East.ID, Active: active}
				if err := s.CreateMember(ctx, &m); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			got, err := s.MemberByName(ctx, "吴刚")
			if err != nil || got.ID != ids[1] {
				t.Errorf("MemberByName = %d, %v; want the active one %d", got.ID, err, ids[1])
			}
			if _, err := s.MemberByName(ctx, "不存在"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("MemberByName(unknown) = %v, want ErrNotFound", err)
			}
		})

		t.Run("UpdateAndList", func(t *testing.T) {
			wang := d.EastReps[1]
			wang.Active = false
			wang.DingTalkUserID = ""
			if err := s.UpdateMember(ctx, &wang); err != nil {
				t.Fatal(err)
			}
			if _, err := s.MemberByPlatformID(ctx, domain.PlatformDingTalk, d.EastReps[1].DingTalkUserID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("unlinked DingTalk id still found: %v", err)
			}
			active, err := s.ListMembers(ctx, domain.MemberFilter{TeamID: d.East.ID, ActiveOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"张伟", "李娜", "刘洋", "吴刚"}
			if diff := cmp.Diff(want, names(active)); diff != "" {
				t.Errorf("active east members (-want +got):\n%s", diff)
			}
			all, err := s.ListMembers(ctx, domain.MemberFilter{})
			if err != nil || len(all) != len(d.Members)+4 {
				t.Errorf("ListMembers = %d, %v; want %d", len(all), err, len(d.Members)+4)
			}
		})
	})
}

func names(ms []domain.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

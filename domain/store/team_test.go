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

func TestTeam(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		east := domain.Team{
			Name: "华东大客户部", WeComChatID: "wrEast", WeComRobotURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
			WeComDepartmentID: 7, DingTalkChatID: "cidEast", DingTalkRobotURL: "https://oapi.dingtalk.com/robot/send?access_token=t",
			DingTalkRobotSecret: "SECxyz",
		}
		if err := s.CreateTeam(ctx, &east); err != nil {
			t.Fatal(err)
		}
		if east.ID == 0 || east.CreatedAt.IsZero() {
			t.Fatalf("CreateTeam left ID %d, CreatedAt %v", east.ID, east.CreatedAt)
		}
		south := domain.Team{Name: "华南渠道部"}
		if err := s.CreateTeam(ctx, &south); err != nil {
			t.Fatal(err)
		}

		t.Run("ByID", func(t *testing.T) {
			got, err := s.TeamByID(ctx, east.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(east, got); diff != "" {
				t.Errorf("TeamByID (-want +got):\n%s", diff)
			}
		})

		t.Run("Lookups", func(t *testing.T) {
			tests := []struct {
				name string
				get  func() (domain.Team, error)
				want int64 // 0: ErrNotFound
			}{
				{"ByName", func() (domain.Team, error) { return s.TeamByName(ctx, "华南渠道部") }, south.ID},
				{"ByNameUnknown", func() (domain.Team, error) { return s.TeamByName(ctx, "西北部") }, 0},
				{"ByWeComChat", func() (domain.Team, error) { return s.TeamByChat(ctx, domain.PlatformWeCom, "wrEast") }, east.ID},
				{"ByDingTalkChat", func() (domain.Team, error) { return s.TeamByChat(ctx, domain.PlatformDingTalk, "cidEast") }, east.ID},
				{"ChatOfOtherPlatform", func() (domain.Team, error) { return s.TeamByChat(ctx, domain.PlatformDingTalk, "wrEast") }, 0},
				{"ChatCaseMatters", func() (domain.Team, error) { return s.TeamByChat(ctx, domain.PlatformWeCom, "WREAST") }, 0},
				{"EmptyChat", func() (domain.Team, error) { return s.TeamByChat(ctx, domain.PlatformWeCom, "") }, 0},
				{"ByIDUnknown", func() (domain.Team, error) { return s.TeamByID(ctx, 9999) }, 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := tt.get()
					if tt.want == 0 {
						if !errors.Is(err, domain.ErrNotFound) || domain.ErrorCode(err) != domain.ENOTFOUND {
							t.Errorf("err = %v, want ErrNotFound", err)
						}
						return
					}
					if err != nil || got.ID != tt.want {
						t.Errorf("got team %d, %v; want %d", got.ID, err, tt.want)
					}
				})
			}
		})

		t.Run("DuplicateName", func(t *testing.T) {
			err := s.CreateTeam(ctx, &domain.Team{Name: "华东大客户部"})
			if !errors.Is(err, domain.ErrConflict) {
				t.Errorf("CreateTeam = %v, want ErrConflict", err)
			}
		})

		t.Run("Update", func(t *testing.T) {
			south.WeComChatID, south.DingTalkRobotSecret = "wrSouth", "SECabc"
			if err := s.UpdateTeam(ctx, &south); err != nil {
				t.Fatal(err)
			}
			got, err := s.TeamByChat(ctx, domain.PlatformWeCom, "wrSouth")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(south, got); diff != "" {
				t.Errorf("after update (-want +got):\n%s", diff)
			}
			// An update that changes nothing still finds the row.
			if err := s.UpdateTeam(ctx, &south); err != nil {
				t.Errorf("no-op update: %v", err)
			}
			missing := domain.Team{ID: 9999, Name: "无"}
			if err := s.UpdateTeam(ctx, &missing); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("UpdateTeam(missing) = %v, want ErrNotFound", err)
			}
			renamed := south
			renamed.Name = east.Name
			if err := s.UpdateTeam(ctx, &renamed); !errors.Is(err, domain.ErrConflict) {
				t.Errorf("rename onto a taken name = %v, want ErrConflict", err)
			}
		})

		t.Run("List", func(t *testing.T) {
			teams, err := s.ListTeams(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]domain.Team{east, south}, teams); diff != "" {
				t.Errorf("ListTeams (-want +got):\n%s", diff)
			}
		})
	})
}

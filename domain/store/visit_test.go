package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestVisit(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina, wang := d.EastReps[0], d.EastReps[1]
		huachen, jinshi := d.Customer("华辰科技有限公司"), d.Customer("金石重工股份有限公司")

		add := func(m domain.Member, c domain.Customer, day domain.Date, msgID string) domain.Visit {
			t.Helper()
			v := domain.Visit{
				MemberID: m.ID, TeamID: m.TeamID, CustomerID: c.ID, DealID: 7, Channel: domain.ChannelOnsite,
				VisitDate: day, Contacts: []string{"王建国主任", "李工"}, Stage: domain.StageQuote, Amount: 800_000,
				Summary: "聊了接口改造", NextAction: "带技术过去做方案交流", NextDate: day.AddDays(3),
				Platform: domain.PlatformWeCom, SourceMsgID: msgID, RawText: "今天去华辰拜访了王建国主任……",
				ReportedAt: at, CreatedDeal: true, CreatedAt: at,
			}
			if err := s.CreateVisit(ctx, &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		v1 := add(lina, huachen, "2026-03-01", "msg-1")
		v2 := add(lina, jinshi, "2026-03-02", "msg-2")
		v3 := add(wang, huachen, "2026-03-02", "msg-3")
		v4 := add(lina, huachen, "2026-02-27", "msg-4") // 补录: reported later, happened earlier
		yang := d.SouthReps[0]
		v5 := add(yang, d.Customer("恒通银行股份有限公司"), "2026-03-02", "msg-5")

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := s.VisitByID(ctx, v1.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := v1
			want.ReportedAt = at.UTC().Truncate(time.Microsecond)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("VisitByID (-want +got):\n%s", diff)
			}
		})

		t.Run("DuplicateSource", func(t *testing.T) {
			dup := v1
			dup.ID = 0
			if err := s.CreateVisit(ctx, &dup); !errors.Is(err, domain.ErrConflict) {
				t.Errorf("CreateVisit(same message) = %v, want ErrConflict", err)
			}
			// The same id from another platform, or in another case, is another message.
			for _, src := range []struct {
				p  domain.Platform
				id string
			}{{domain.PlatformDingTalk, "msg-1"}, {domain.PlatformWeCom, "MSG-1"}} {
				other := v1
				other.ID, other.Platform, other.SourceMsgID, other.Contacts = 0, src.p, src.id, nil
				if err := s.CreateVisit(ctx, &other); err != nil {
					t.Errorf("CreateVisit(%s:%s) = %v", src.p, src.id, err)
				}
				got, err := s.VisitBySource(ctx, src.p, src.id)
				if err != nil || got.ID != other.ID || got.Contacts != nil {
					t.Errorf("VisitBySource(%s:%s) = %+v, %v", src.p, src.id, got, err)
				}
				if err := s.UpdateVisit(ctx, undone(other)); err != nil { // out of the way of the lists below
					t.Fatal(err)
				}
			}
			if _, err := s.VisitBySource(ctx, domain.PlatformSim, "msg-1"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("VisitBySource(unknown) = %v, want ErrNotFound", err)
			}
		})

		t.Run("List", func(t *testing.T) {
			tests := []struct {
				name string
				f    domain.VisitFilter
				want []domain.Visit
			}{
				{"All", domain.VisitFilter{}, []domain.Visit{v5, v3, v2, v1, v4}},
				{"Member", domain.VisitFilter{MemberID: lina.ID}, []domain.Visit{v2, v1, v4}},
				{"Team", domain.VisitFilter{TeamID: d.East.ID}, []domain.Visit{v3, v2, v1, v4}},
				{"Customer", domain.VisitFilter{CustomerID: huachen.ID}, []domain.Visit{v3, v1, v4}},
				{"Deal", domain.VisitFilter{DealID: 7, Limit: 2}, []domain.Visit{v5, v3}},
				{"Day", domain.VisitFilter{From: "2026-03-02", To: "2026-03-02"}, []domain.Visit{v5, v3, v2}},
				{"FromInclusive", domain.VisitFilter{MemberID: lina.ID, From: "2026-03-01"}, []domain.Visit{v2, v1}},
				{"ToInclusive", domain.VisitFilter{MemberID: lina.ID, To: "2026-03-01"}, []domain.Visit{v1, v4}},
				{"AcrossMonths", domain.VisitFilter{From: "2026-02-01", To: "2026-02-28"}, []domain.Visit{v4}},
				{"Limit", domain.VisitFilter{TeamID: d.East.ID, Limit: 1}, []domain.Visit{v3}},
				{"Nothing", domain.VisitFilter{MemberID: lina.ID, From: "2026-04-01"}, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.ListVisits(ctx, tt.f)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(ids(tt.want), ids(got)); diff != "" {
						t.Errorf("ListVisits (-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("UndoneLeaveListsAndLast", func(t *testing.T) {
			last, err := s.LastVisitOf(ctx, lina.ID)
			if err != nil || last.ID != v4.ID {
				t.Fatalf("LastVisitOf = %d, %v; want newest by id %d", last.ID, err, v4.ID)
			}
			if err := s.UpdateVisit(ctx, undone(v4)); err != nil {
				t.Fatal(err)
			}
			last, err = s.LastVisitOf(ctx, lina.ID)
			if err != nil || last.ID != v2.ID {
				t.Errorf("LastVisitOf after undo = %d, %v; want %d", last.ID, err, v2.ID)
			}
			got, _ := s.ListVisits(ctx, domain.VisitFilter{MemberID: lina.ID})
			if diff := cmp.Diff(ids([]domain.Visit{v2, v1}), ids(got)); diff != "" {
				t.Errorf("ListVisits after undo (-want +got):\n%s", diff)
			}
			// Still there for redelivery checks and by id.
			src, err := s.VisitBySource(ctx, v4.Platform, v4.SourceMsgID)
			if err != nil || !src.Undone() {
				t.Errorf("VisitBySource(undone) = %+v, %v", src, err)
			}
			if _, err := s.LastVisitOf(ctx, d.Admin.ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("LastVisitOf(no visits) = %v, want ErrNotFound", err)
			}
		})

		t.Run("UpdateMissing", func(t *testing.T) {
			v := v1
			v.ID = 99999
			if err := s.UpdateVisit(ctx, &v); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("UpdateVisit(missing) = %v, want ErrNotFound", err)
			}
		})
	})
}

func undone(v domain.Visit) *domain.Visit {
	now := at.Add(time.Hour)
	v.UndoneAt = &now
	return &v
}

func ids(vs []domain.Visit) []int64 {
	var out []int64
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestTask(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina, yang := d.EastReps[0], d.SouthReps[0]
		huachen := d.Customer("华辰科技有限公司")

		add := func(owner domain.Member, customerID, visitID int64, due domain.Date, st domain.TaskStatus) domain.Task {
			t.Helper()
			task := domain.Task{
				OwnerID: owner.ID, TeamID: owner.TeamID, CustomerID: customerID, DealID: 3, VisitID: visitID,
				Title: "发报价单", Due: due, Status: st, CreatedAt: at.Truncate(time.Microsecond),
			}
			if err := s.CreateTask(ctx, &task); err != nil {
				t.Fatal(err)
			}
			return task
		}
		t1 := add(lina, huachen.ID, 1, "2026-03-05", domain.TaskOpen)
		t2 := add(lina, huachen.ID, 2, "2026-03-03", domain.TaskOpen)
		t3 := add(lina, 99, 3, "2026-03-03", domain.TaskDone)
		t4 := add(yang, 98, 4, "2026-03-10", domain.TaskOpen)
		t5 := add(lina, huachen.ID, 1, "2026-02-28", domain.TaskCancelled)

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := s.TaskByID(ctx, t1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(t1, got); diff != "" {
				t.Errorf("TaskByID (-want +got):\n%s", diff)
			}
			if _, err := s.TaskByID(ctx, 99999); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("TaskByID(unknown) = %v, want ErrNotFound", err)
			}
		})

		t.Run("List", func(t *testing.T) {
			tests := []struct {
				name string
				f    domain.TaskFilter
				want []domain.Task
			}{
				{"All", domain.TaskFilter{}, []domain.Task{t5, t2, t3, t1, t4}},
				{"OwnerOpen", domain.TaskFilter{OwnerID: lina.ID, Status: domain.TaskOpen}, []domain.Task{t2, t1}},
				{"Team", domain.TaskFilter{TeamID: d.South.ID}, []domain.Task{t4}},
				{"Customer", domain.TaskFilter{CustomerID: huachen.ID}, []domain.Task{t5, t2, t1}},
				{"Visit", domain.TaskFilter{VisitID: 1}, []domain.Task{t5, t1}},
				{"DueTo", domain.TaskFilter{Status: domain.TaskOpen, DueTo: "2026-03-05"}, []domain.Task{t2, t1}},
				{"DueFrom", domain.TaskFilter{DueFrom: "2026-03-05"}, []domain.Task{t1, t4}},
				{"DueDay", domain.TaskFilter{DueFrom: "2026-03-03", DueTo: "2026-03-03"}, []domain.Task{t2, t3}},
				{"Nothing", domain.TaskFilter{OwnerID: yang.ID, Status: domain.TaskDone}, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.ListTasks(ctx, tt.f)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
						t.Errorf("ListTasks (-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("Update", func(t *testing.T) {
			done := at.Add(48 * time.Hour)
			t1.Status, t1.DoneAt = domain.TaskDone, &done
			if err := s.UpdateTask(ctx, &t1); err != nil {
				t.Fatal(err)
			}
			got, err := s.TaskByID(ctx, t1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != domain.TaskDone || got.DoneAt == nil || !got.DoneAt.Equal(done.Truncate(time.Microsecond)) {
				t.Errorf("after update: %+v", got)
			}
			missing := domain.Task{ID: 99999, Status: domain.TaskDone}
			if err := s.UpdateTask(ctx, &missing); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("UpdateTask(missing) = %v, want ErrNotFound", err)
			}
		})
	})
}

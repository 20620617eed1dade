package domain

import (
	"context"
	"time"
)

// TaskStatus says whether a follow-up is still to do.
type TaskStatus string

// The task statuses.
const (
	TaskOpen TaskStatus = "open"
	TaskDone TaskStatus = "done"
	// TaskCancelled: the report that opened it was undone or corrected.
	TaskCancelled TaskStatus = "cancelled"
)

// Task is a follow-up (跟进) a rep owes a customer by a day.
type Task struct {
	ID         int64
	OwnerID    int64
	TeamID     int64
	CustomerID int64
	DealID     int64
	VisitID    int64 // the report that opened it
	Title      string
	Due        Date
	Status     TaskStatus
	DoneAt     *time.Time
	// DoneBy is the report of a visit to the customer that fulfilled the
	// follow-up (0: done by hand, or not done); undoing that report
	// reopens it.
	DoneBy    int64
	CreatedAt time.Time
}

// Target is a monthly goal for a member or a whole team.
type Target struct {
	ID       int64
	MemberID int64 // 0 for a team target
	TeamID   int64
	Month    string // YYYY-MM
	Metric   Metric
	Value    int64
}

// Metric is what a target or a leaderboard counts.
type Metric string

// The metrics.
const (
	MetricVisits    Metric = "visits"
	MetricNewDeals  Metric = "new_deals"
	MetricWonAmount Metric = "won_amount"
)

// updateTasks applies fn to each task f selects and saves it; n is how
// many it saved.
func updateTasks(ctx context.Context, tx TaskStore, f TaskFilter, fn func(*Task)) (n int, err error) {
	tasks, err := tx.ListTasks(ctx, f)
	if err != nil {
		return 0, err
	}
	for i := range tasks {
		fn(&tasks[i])
		if err := tx.UpdateTask(ctx, &tasks[i]); err != nil {
			return i, err
		}
	}
	return len(tasks), nil
}

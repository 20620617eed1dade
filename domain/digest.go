package domain

import (
	"context"
	"time"
)

// ReportStore answers the aggregate questions behind digests, reminders and
// leaderboards. Each method reads one team's records in a bounded range of
// days, through indexes that start with the team and the date, so that its
// cost grows with that range's activity and not with years of history.
// domain/store implements it.
type ReportStore interface {
	// TeamActivity counts, per member, the team's visits (not undone) dated
	// from..to inclusive and the deals those visits opened.
	TeamActivity(ctx context.Context, teamID int64, from, to Date) ([]MemberActivity, error)
	// StageMoves lists the team's stage changes made in [from, to), oldest
	// first. With to set to a stage, only moves to it (e.g. won).
	StageMoves(ctx context.Context, f StageMoveFilter) ([]StageMove, error)
	// StageHistories lists the moves of the given deals, per deal in the
	// order they happened.
	StageHistories(ctx context.Context, dealIDs []int64) ([]StageChange, error)
	// Pipeline sums the team's open deals by stage.
	Pipeline(ctx context.Context, teamID int64) ([]StageTotal, error)
	// StaleDeals lists the team's open deals whose last activity is before
	// the cut-off of their customer's tier.
	StaleDeals(ctx context.Context, teamID int64, cutoff map[Tier]time.Time) ([]StaleDeal, error)
	// TeamVisits lists the team's visits (not undone) dated from..to
	// inclusive with member and customer names, in the order reported.
	TeamVisits(ctx context.Context, teamID int64, from, to Date) ([]VisitView, error)
	// OpenTasks lists the team's open follow-ups due from..to inclusive
	// (from may be zero), by due date, with the customer's name.
	OpenTasks(ctx context.Context, teamID int64, from, to Date) ([]TaskView, error)
}

// MemberActivity is one member's figures over some days.
type MemberActivity struct {
	MemberID int64
	Visits   int
	NewDeals int
}

// StageMoveFilter selects stage changes of one team.
type StageMoveFilter struct {
	TeamID   int64
	From, To time.Time // [From, To)
	ToStage  Stage     // "" any
}

// StageMove is one stage change with what a reader needs to show it.
type StageMove struct {
	ID         int64
	DealID     int64
	TeamID     int64
	MemberID   int64 // who moved it
	OwnerID    int64 // the deal's owner now
	CustomerID int64
	Customer   string // the customer's name
	From, To   Stage  // From is "" when the deal was opened
	Amount     int64
	At         time.Time
}

// StageTotal is the open deals at one stage.
type StageTotal struct {
	Stage  Stage
	Deals  int
	Amount int64
}

// StaleDeal is an open deal nobody has touched for a while.
type StaleDeal struct {
	Deal     Deal
	Customer string
	Tier     Tier
}

// TaskView is a follow-up with its customer's name.
type TaskView struct {
	Task     Task
	Customer string
}

package domain

import (
	"context"
	"time"
)

// DealStatus says whether a deal is still being worked.
type DealStatus string

// The deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// Deal is a sales opportunity (商机) with one customer.
type Deal struct {
	ID             int64
	CustomerID     int64
	OwnerID        int64
	TeamID         int64
	Title          string
	Stage          Stage
	Amount         int64  // yuan; 0 when unknown
	ExpectedClose  Month  // the month the customer is expected to sign
	LostTo         string // lost: the competitor that won, when named
	LostReason     string // lost: why, when said
	Status         DealStatus
	LastActivityAt time.Time
	CreatedAt      time.Time
}

// StatusFor is the status a deal has at stage s.
func StatusFor(s Stage) DealStatus {
	switch s {
	case StageWon:
		return DealWon
	case StageLost:
		return DealLost
	}
	return DealOpen
}

// StageChange is one move of a deal along the funnel, kept forever.
type StageChange struct {
	ID       int64
	DealID   int64
	TeamID   int64 // the deal's team when it moved (0: the store looks it up)
	VisitID  int64 // the report that moved it (0: a manual correction or import)
	MemberID int64 // who moved it
	From     Stage // "" when the deal was opened
	To       Stage
	Amount   int64
	At       time.Time
}

// updateDeals applies fn to each deal f selects and saves it; n is how
// many it saved.
func updateDeals(ctx context.Context, tx DealStore, f DealFilter, fn func(*Deal)) (n int, err error) {
	deals, err := tx.ListDeals(ctx, f)
	if err != nil {
		return 0, err
	}
	for i := range deals {
		fn(&deals[i])
		if err := tx.UpdateDeal(ctx, &deals[i]); err != nil {
			return i, err
		}
	}
	return len(deals), nil
}

package domain

import (
	"context"
	"time"
)

// The public pool (公海): customers nobody owns. A customer in the pool has
// OwnerID 0; its TeamID says whose pool it is in (the team of its last
// owner), 0 the company pool. Reps see and claim from their team's pool
// and the company pool; a rule (PoolRules) takes back customers their
// owner has gone quiet on; managers assign customers to reps. Every change
// of owner is kept as an OwnerChange (../shared/docs/pool.md §4).

// OwnerAction is why a customer changed owner.
type OwnerAction string

// The owner actions.
const (
	OwnerClaim    OwnerAction = "claim"    // 领取: a rep took it from the pool
	OwnerAssign   OwnerAction = "assign"   // 分配: a manager or admin gave it to someone
	OwnerRecycle  OwnerAction = "recycle"  // 回收: the rule took it back to the pool
	OwnerHandover OwnerAction = "handover" // 交接: a departing rep's book was handed on
	OwnerReport   OwnerAction = "report"   // a rep reported on a pool customer and took it
)

// Label is the Chinese name of the action.
func (a OwnerAction) Label() string {
	switch a {
	case OwnerClaim:
		return "领取"
	case OwnerAssign:
		return "分配"
	case OwnerRecycle:
		return "回收"
	case OwnerHandover:
		return "交接"
	case OwnerReport:
		return "记录拜访后接手"
	}
	return string(a)
}

// OwnerChange is one change of a customer's owner, kept forever: cool-down,
// daily claim counts and the digest read it.
type OwnerChange struct {
	ID                   int64
	CustomerID           int64
	Customer             string // the customer's name (filled when read)
	FromID, ToID         int64  // 0: the pool
	FromTeamID, ToTeamID int64
	Action               OwnerAction
	Reason               string
	ActorID              int64 // 0: the system
	At                   time.Time
}

// OwnedCustomer is an owned customer with what decides whether it goes
// back to the pool.
type OwnedCustomer struct {
	Customer  Customer
	LastVisit Date      // its latest visit not undone ("" none)
	LastMove  time.Time // the latest stage change of any of its deals
	OpenStage Stage     // the furthest stage of its open deals ("" none)
	LastWon   time.Time // when one of its deals was last won
}

// PoolEntry is a customer in the pool as a rep may see it before claiming.
type PoolEntry struct {
	Customer  Customer
	LastVisit Date
	Since     time.Time // in the pool since (its last owner change, else its creation)
	PrevOwner string    // who owned it last ("" nobody)
	Reason    string    // why it left its last owner
}

// OwnerChangeFilter selects owner changes; zero fields match everything.
type OwnerChangeFilter struct {
	CustomerID int64
	ToID       int64       // changes to this member
	FromID     int64       // changes from this member
	TeamID     int64       // changes from or to this team
	Action     OwnerAction // "" any
	From, To   time.Time   // [From, To); zero: unbounded
}

// PoolStore keeps the pool's records (part of Store).
type PoolStore interface {
	AppendOwnerChange(ctx context.Context, c *OwnerChange) error
	// OwnerChanges lists changes oldest first, with the customer's name.
	OwnerChanges(ctx context.Context, f OwnerChangeFilter) ([]OwnerChange, error)
	// MoveCustomer sets a customer's owner (0: the pool), team and
	// OwnedSince, but only while its owner is still from; false when it is
	// not (someone else got there first).
	MoveCustomer(ctx context.Context, id, from, to, toTeam int64, at time.Time) (bool, error)
	// PoolCustomers lists customers without an owner in the given pools
	// (team ids, 0 the company pool) whose name, alias, industry or tier
	// matches query ("" all), by name, at most limit.
	PoolCustomers(ctx context.Context, teams []int64, query string, limit int) ([]PoolEntry, error)
	// CountOwned counts a member's customers, leaving out those with a won
	// deal.
	CountOwned(ctx context.Context, memberID int64) (int, error)

	// Reads for the daily jobs, bounded by the day rather than by the book.

	// QuietCustomers lists a team's owned customers gone quiet (see
	// QuietFilter), by id. It may return a few more (a day early): the
	// callers apply the rule on the facts returned.
	QuietCustomers(ctx context.Context, f QuietFilter) ([]OwnedCustomer, error)
}

// QuietFilter selects a team's owned customers gone quiet; zero fields
// match everything.
type QuietFilter struct {
	TeamID int64
	Tier   Tier
	// ActiveBy: its last activity (visit, deal activity, getting its
	// owner) is on or before the day given for its tier ("": no tier);
	// tiers not given are left out. Nil: no condition.
	ActiveBy map[Tier]Date
	// VisitBy: its last visit (never visited: getting its owner) is on or
	// before this day.
	VisitBy Date
	// Leave out customers with an open deal at one of these stages, or
	// with a deal won at or after WonSince.
	ExceptOpenAt []Stage
	WonSince     time.Time
}

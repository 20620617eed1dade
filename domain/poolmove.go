package domain

import (
	"context"
	"fmt"
	"time"
)

// moveOwner gives customer c from member from (zero: the pool) to member to
// (zero: back to the pool, kept in from's team pool), in tx: the customer's
// owner changes only if it is still from (a concurrent claim loses with
// ECONFLICT), one OwnerChange row is written, and the records follow:
// open deals go to the new owner (to the pool: no owner), the old owner's
// open follow-ups with the customer go to the new owner or, to the pool,
// are cancelled so no reminder fires. Visits and won deals stay credited
// to whoever made them. A zero now lets the store stamp the time.
func moveOwner(ctx context.Context, tx Records, c Customer, from, to Member, action OwnerAction, reason string, actorID int64, now time.Time) (OwnerChange, error) {
	toTeam := to.TeamID
	if to.ID == 0 {
		toTeam = c.TeamID // the pool of its team
	}
	moved, err := tx.MoveCustomer(ctx, c.ID, from.ID, to.ID, toTeam, now)
	if err != nil {
		return OwnerChange{}, err
	}
	if !moved {
		return OwnerChange{}, Errorf(ECONFLICT, "「%s」刚刚被别人领走或分配了", c.Name)
	}
	ch := OwnerChange{
		CustomerID: c.ID, Customer: c.Name, FromID: from.ID, ToID: to.ID, FromTeamID: c.TeamID, ToTeamID: toTeam,
		Action: action, Reason: reason, ActorID: actorID, At: now,
	}
	if err := tx.AppendOwnerChange(ctx, &ch); err != nil {
		return OwnerChange{}, err
	}
	if _, err := updateDeals(ctx, tx, DealFilter{CustomerID: c.ID, Status: DealOpen}, func(d *Deal) {
		d.OwnerID = to.ID
		if to.ID != 0 {
			d.TeamID = to.TeamID
		}
	}); err != nil {
		return OwnerChange{}, err
	}
	if from.ID == 0 {
		return ch, nil
	}
	if _, err := updateTasks(ctx, tx, TaskFilter{OwnerID: from.ID, CustomerID: c.ID, Status: TaskOpen}, func(t *Task) {
		if to.ID == 0 {
			t.Status = TaskCancelled
		} else {
			t.OwnerID, t.TeamID = to.ID, to.TeamID
		}
	}); err != nil {
		return OwnerChange{}, err
	}
	return ch, nil
}

// PoolDue is an owned customer with the day it goes back to the pool.
type PoolDue struct {
	Customer Customer
	Due      Date
}

// PoolDueList lists a team's owned customers that come due for the pool on
// or before until under the team's rules, soonest first; a system read,
// with no actor. It reads only the customers quiet long enough.
func (s *Service) PoolDueList(ctx context.Context, teamID int64, today, until Date) ([]PoolDue, PoolRules, error) {
	rules, err := s.poolRules(ctx, teamID)
	if err != nil {
		return nil, rules, err
	}
	filter, ok := rules.DueFilter(teamID, today, until, s.loc)
	if !ok {
		return nil, rules, nil
	}
	owned, err := s.store.QuietCustomers(ctx, filter)
	if err != nil {
		return nil, rules, err
	}
	var out []PoolDue
	for _, d := range rules.DueList(owned, today, s.loc) {
		if d.Due <= until {
			out = append(out, d)
		}
	}
	return out, rules, nil
}

// Recycle moves the team's customers due on or before day back to the pool
// (回收), recycleBatch customers a transaction, and returns what moved. A
// customer whose owner changed meanwhile is left alone. Running it again
// moves nothing more.
func (s *Service) Recycle(ctx context.Context, teamID int64, day Date) ([]OwnerChange, error) {
	due, rules, err := s.PoolDueList(ctx, teamID, day, day)
	if err != nil {
		return nil, err
	}
	var out []OwnerChange
	for start := 0; start < len(due); start += recycleBatch {
		batch := due[start:min(start+recycleBatch, len(due))]
		var moved []OwnerChange
		err := s.inTx(ctx, false, func(tx Store) error {
			moved = moved[:0]
			owners := map[int64]Member{}
			for _, d := range batch {
				c := d.Customer
				from, ok := owners[c.OwnerID]
				if !ok {
					m, err := memberOrError(ctx, tx, c.OwnerID)
					if err != nil {
						return err
					}
					from, owners[c.OwnerID] = m, m
				}
				reason := fmt.Sprintf("%d 天没有拜访或阶段推进", rules.days(c.Tier))
				ch, err := moveOwner(ctx, tx, c, from, Member{}, OwnerRecycle, reason, 0, s.now())
				if ErrorCode(err) == ECONFLICT {
					continue // its owner changed meanwhile: nothing was written for it
				}
				if err != nil {
					return err
				}
				moved = append(moved, ch)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		out = append(out, moved...)
	}
	return out, nil
}

// recycleBatch customers go back to the pool in one transaction: one
// commit for a day's worth of a team instead of one each, short enough not
// to hold up the reps' own writes.
const recycleBatch = 50

// OwnerChanges lists a team's owner changes in [from, to) for the jobs
// (digest, morning message); a system read.
func (s *Service) OwnerChanges(ctx context.Context, teamID int64, from, to time.Time) ([]OwnerChange, error) {
	return s.store.OwnerChanges(ctx, OwnerChangeFilter{TeamID: teamID, From: from, To: to})
}

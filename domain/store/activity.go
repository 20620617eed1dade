package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"salesbot/domain"
)

// A customer's activity columns, kept so that the daily jobs (pool, risks)
// read the few customers gone quiet through an index instead of scanning
// every visit of the team's book:
//
//	last_visit_on  its latest visit not undone ("" none)
//	active_on      the latest of last_visit_on and the UTC days of its
//	               deals' activity (created when never active) and of
//	               owned_since; NULL: not computed yet
//
// Every store write that changes a customer's visits, deals or owner
// recomputes them from the rows (refreshActivity), so that record, undo,
// a corrected date or customer, merge, claim, assign, recycle and handover
// all keep them right without the callers' help. Bulk loads and upgrades
// leave them NULL; the migration and the readers compute those rows.
//
// active_on mixes local visit days with UTC days of timestamps, so it may be
// a day off the deployment's calendar: readers ask with a day of slack and
// the rule in domain decides on the exact facts.
var activityColumns = []string{"last_visit_on", "active_on"}

// activitySet is the SET clause computing both columns from the rows.
func (s *Store) activitySet() string {
	lastVisit := "COALESCE((SELECT MAX(v.visit_date) FROM visits v WHERE v.customer_id = customers.id AND v.undone_at IS NULL), '')"
	lastDeal := "COALESCE((SELECT SUBSTR(MAX(COALESCE(d.last_activity_at, d.created_at)), 1, 10) FROM deals d WHERE d.customer_id = customers.id), '')"
	owned := "COALESCE(SUBSTR(customers.owned_since, 1, 10), '')"
	greatest := "MAX" // SQLite's scalar max
	if s.Dialect() == "mysql" {
		greatest = "GREATEST"
	}
	return fmt.Sprintf("last_visit_on = %s, active_on = %s(%s, %s, %s)", lastVisit, greatest, lastVisit, lastDeal, owned)
}

// refreshActivity recomputes the activity columns of the given customers.
func (s *Store) refreshActivity(ctx context.Context, ids ...int64) error {
	var keep []int64
	for _, id := range ids {
		if id != 0 {
			keep = append(keep, id)
		}
	}
	for start := 0; start < len(keep); start += bulkBatch {
		part := keep[start:min(start+bulkBatch, len(keep))]
		if err := s.q(ctx).Exec("UPDATE customers SET "+s.activitySet()+" WHERE id IN ?", part).Error; err != nil {
			return wrap(err, "refresh activity of %d customers", len(part))
		}
	}
	return nil
}

// raiseActivity moves a customer's activity columns up, for a write that
// can only make them more recent: a new visit on visitDay (last_visit_on and
// active_on), or deal activity at dealAt (active_on; visitDay zero). Unlike
// refreshActivity it reads no other table, so concurrent reports on
// neighbouring customers take no locks on each other's visits and deals
// and do not deadlock. Columns not computed yet (NULL) stay NULL for the
// readers to compute.
func (s *Store) raiseActivity(ctx context.Context, customerID int64, visitDay domain.Date, dealAt time.Time) error {
	if customerID == 0 {
		return nil
	}
	greatest := "MAX" // SQLite's scalar max, NULL when either is
	if s.Dialect() == "mysql" {
		greatest = "GREATEST"
	}
	var set string
	var args []any
	switch {
	case !visitDay.IsZero():
		set = fmt.Sprintf("last_visit_on = %[1]s(last_visit_on, ?), active_on = %[1]s(active_on, ?)", greatest)
		args = []any{string(visitDay), string(visitDay)}
	case !dealAt.IsZero():
		set = fmt.Sprintf("active_on = %s(active_on, ?)", greatest)
		args = []any{utc(dealAt).Format(time.DateOnly)} // the UTC day, as refreshActivity reads it
	default:
		return nil
	}
	return wrap(s.q(ctx).Exec("UPDATE customers SET "+set+" WHERE id = ?", append(args, customerID)...).Error,
		"raise activity of customer %d", customerID)
}

// refreshStaleActivity computes the activity columns still NULL (rows
// written in bulk, or from before the columns existed); where narrows the
// rows further ("" all).
func (s *Store) refreshStaleActivity(ctx context.Context, where string, args ...any) error {
	cond := "active_on IS NULL"
	if where != "" {
		cond += " AND " + where
	}
	return wrap(s.q(ctx).Exec("UPDATE customers SET "+s.activitySet()+" WHERE "+cond, args...).Error, "compute customers' activity")
}

// computeStaleActivity computes the team's activity columns still NULL.
// Once a look finds none left anywhere, readers stop looking until a bulk
// load brings new ones.
func (s *Store) computeStaleActivity(ctx context.Context, teamID int64) error {
	if !s.uncomputed.Load() {
		return nil
	}
	var ids []int64
	if err := s.q(ctx).Model(&customerRow{}).Where("active_on IS NULL").Limit(1).Pluck("id", &ids).Error; err != nil {
		return wrap(err, "customers to compute")
	}
	if len(ids) == 0 {
		s.uncomputed.Store(false)
		return nil
	}
	return s.refreshStaleActivity(ctx, "team_id = ?", teamID)
}

// markActivityStale makes the activity columns of the given customers
// NULL, to be computed by the next reader (bulk loads).
func (s *Store) markActivityStale(ctx context.Context, ids map[int64]bool) error {
	s.uncomputed.Store(true)
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	for start := 0; start < len(list); start += bulkBatch {
		part := list[start:min(start+bulkBatch, len(list))]
		if err := s.q(ctx).Model(&customerRow{}).Where("id IN ? AND active_on IS NOT NULL", part).Update("active_on", nil).Error; err != nil {
			return wrap(err, "mark %d customers' activity", len(part))
		}
	}
	return nil
}

// customerOf reads the customer a visit or deal row belongs to (0 when it
// does not exist).
func (s *Store) customerOf(ctx context.Context, table string, id int64) (int64, error) {
	var ids []int64
	if err := s.q(ctx).Table(table).Where("id = ?", id).Pluck("customer_id", &ids).Error; err != nil {
		return 0, wrap(err, "customer of %s %d", table, id)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// QuietCustomers lists a team's owned customers whose last activity (or,
// with VisitBy, last visit) is on or before the filter's day, with what
// the pool rule needs to know about them. It reads the activity columns
// through idx_customers_team_tier_active / _visit (a range per tier), so its cost
// follows how many customers have gone quiet, not the size of the book.
// It may return a customer a day early (see above): callers apply the rule.
func (s *Store) QuietCustomers(ctx context.Context, f domain.QuietFilter) ([]domain.OwnedCustomer, error) {
	if err := s.computeStaleActivity(ctx, f.TeamID); err != nil {
		return nil, err
	}
	q := s.q(ctx).Where("team_id = ? AND owner_id <> 0", f.TeamID)
	if f.Tier != "" {
		q = q.Where("tier = ?", string(f.Tier))
	}
	if f.ActiveBy != nil {
		var conds []string
		var args []any
		for _, t := range slices.Sorted(maps.Keys(f.ActiveBy)) {
			conds = append(conds, "(tier = ? AND active_on <= ?)")
			args = append(args, string(t), string(f.ActiveBy[t].AddDays(1)))
		}
		if len(conds) == 0 {
			return nil, nil
		}
		q = q.Where("("+strings.Join(conds, " OR ")+")", args...)
	}
	if len(f.ExceptOpenAt) > 0 {
		stages := make([]string, len(f.ExceptOpenAt))
		for i, st := range f.ExceptOpenAt {
			stages[i] = string(st)
		}
		q = q.Where("NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = customers.id AND d.status = ? AND d.stage IN ?)", string(domain.DealOpen), stages)
	}
	if !f.WonSince.IsZero() {
		q = q.Where("NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = customers.id AND d.status = ? AND COALESCE(d.last_activity_at, d.created_at) >= ?)",
			string(domain.DealWon), utc(f.WonSince))
	}
	if !f.VisitBy.IsZero() {
		// Never visited: owned since then (a UTC day, hence the slack).
		// One range of the index ("" sorts first), then the never visited
		// by when they were got.
		q = q.Where("last_visit_on <= ? AND (last_visit_on <> '' OR SUBSTR(owned_since, 1, 10) <= ?)",
			string(f.VisitBy), string(f.VisitBy.AddDays(1)))
	}
	var cs []customerRow
	if err := q.Order("id").Find(&cs).Error; err != nil {
		return nil, wrap(err, "quiet customers of team %d", f.TeamID)
	}
	return s.ownedFacts(ctx, cs)
}

// ownedFacts adds the deals' state to customers, reading their deals a
// batch at a time.
func (s *Store) ownedFacts(ctx context.Context, cs []customerRow) ([]domain.OwnedCustomer, error) {
	out := make([]domain.OwnedCustomer, len(cs))
	index := make(map[int64]int, len(cs))
	for i, c := range cs {
		out[i] = domain.OwnedCustomer{Customer: c.toDomain(nil), LastVisit: domain.Date(c.LastVisitOn)}
		index[c.ID] = i
	}
	for start := 0; start < len(cs); start += bulkBatch {
		ids := make([]int64, 0, bulkBatch)
		for _, c := range cs[start:min(start+bulkBatch, len(cs))] {
			ids = append(ids, c.ID)
		}
		var deals []dealRow
		if err := s.q(ctx).Where("customer_id IN ?", ids).Find(&deals).Error; err != nil {
			return nil, wrap(err, "deals of %d customers", len(ids))
		}
		for _, d := range deals {
			addDeal(&out[index[d.CustomerID]], d.toDomain())
		}
	}
	return out, nil
}

// addDeal folds one of its deals into an owned customer's facts.
func addDeal(o *domain.OwnedCustomer, d domain.Deal) {
	active := d.LastActivityAt
	if active.IsZero() {
		active = d.CreatedAt
	}
	if active.After(o.LastMove) {
		o.LastMove = active
	}
	switch d.Status {
	case domain.DealOpen:
		if d.Stage.Rank() > o.OpenStage.Rank() {
			o.OpenStage = d.Stage
		}
	case domain.DealWon:
		if active.After(o.LastWon) {
			o.LastWon = active
		}
	}
}

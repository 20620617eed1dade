package store

import (
	"context"

	"salesbot/domain"
)

// Bulk is a batch of records to write as they are, IDs included: history
// loaded from elsewhere, or the job bench's synthetic years. Nothing is
// validated and no aliases or contacts are written.
type Bulk struct {
	Teams        []domain.Team
	Members      []domain.Member
	Customers    []domain.Customer
	Deals        []domain.Deal
	StageChanges []domain.StageChange // their team is the deal's (in Deals, or already stored)
	Visits       []domain.Visit
	Tasks        []domain.Task
}

// bulkBatch rows go in one INSERT (well under MySQL's 65535 placeholders).
const bulkBatch = 1000

// BulkLoad inserts the batch, many rows per statement, in one transaction
// per table.
func (s *Store) BulkLoad(ctx context.Context, b Bulk) error {
	teamOf := make(map[int64]int64, len(b.Deals))
	for _, d := range b.Deals {
		teamOf[d.ID] = d.TeamID
	}
	changes := mapRows(b.StageChanges, fromStageChange)
	missing := false
	for i := range changes {
		changes[i].TeamID = teamOf[changes[i].DealID]
		missing = missing || changes[i].TeamID == 0
	}
	steps := []struct {
		what string
		rows any
		n    int
	}{
		{"teams", mapRows(b.Teams, fromTeam), len(b.Teams)},
		{"members", mapRows(b.Members, fromMember), len(b.Members)},
		{"customers", mapRows(b.Customers, fromCustomer), len(b.Customers)},
		{"deals", mapRows(b.Deals, fromDeal), len(b.Deals)},
		{"stage changes", changes, len(changes)},
		{"visits", mapRows(b.Visits, fromVisit), len(b.Visits)},
		{"tasks", mapRows(b.Tasks, fromTask), len(b.Tasks)},
	}
	for _, st := range steps {
		if st.n == 0 {
			continue
		}
		if err := s.q(ctx).CreateInBatches(st.rows, bulkBatch).Error; err != nil {
			return wrap(err, "bulk load %d %s", st.n, st.what)
		}
	}
	// The customers whose visits, deals or owner came in: their activity
	// columns are computed by the next reader (or migration), once, rather
	// than after every batch.
	touched := map[int64]bool{}
	for _, c := range b.Customers {
		touched[c.ID] = true
	}
	for _, d := range b.Deals {
		touched[d.CustomerID] = true
	}
	for _, v := range b.Visits {
		touched[v.CustomerID] = true
	}
	if err := s.markActivityStale(ctx, touched); err != nil {
		return err
	}
	if missing {
		return s.backfillStageChangeTeams(ctx)
	}
	return nil
}

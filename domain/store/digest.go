package store

import (
	"context"
	"slices"
	"time"

	"salesbot/domain"
)

var _ domain.ReportStore = (*Store)(nil)

// The queries behind digests, reminders and leaderboards. Each one reads a
// single team over a bounded range through an index that starts with the
// team: visits (team_id, visit_date), stage_changes (team_id, changed_at),
// deals (team_id, status), tasks (team_id, status, due). Their cost follows
// the range's activity, not the years of history in the tables.

// TeamActivity counts visits and the deals they opened per member of a team,
// dated from..to inclusive.
func (s *Store) TeamActivity(ctx context.Context, teamID int64, from, to domain.Date) ([]domain.MemberActivity, error) {
	var rs []struct {
		MemberID int64
		Visits   int
		NewDeals int
	}
	err := s.q(ctx).Model(&visitRow{}).
		Select("member_id, COUNT(*) AS visits, SUM(CASE WHEN created_deal THEN 1 ELSE 0 END) AS new_deals").
		Where("team_id = ? AND visit_date >= ? AND visit_date <= ? AND undone_at IS NULL", teamID, string(from), string(to)).
		Group("member_id").Order("member_id").Scan(&rs).Error
	if err != nil {
		return nil, wrap(err, "activity of team %d %s..%s", teamID, from, to)
	}
	out := make([]domain.MemberActivity, len(rs))
	for i, r := range rs {
		out[i] = domain.MemberActivity{MemberID: r.MemberID, Visits: r.Visits, NewDeals: r.NewDeals}
	}
	return out, nil
}

// StageMoves lists a team's stage changes in [f.From, f.To), oldest first.
func (s *Store) StageMoves(ctx context.Context, f domain.StageMoveFilter) ([]domain.StageMove, error) {
	var rs []struct {
		ID, DealID, TeamID, MemberID, OwnerID, CustomerID int64
		Customer                                          string
		FromStage, ToStage                                string
		Amount                                            int64
		ChangedAt                                         time.Time
	}
	q := s.q(ctx).Table("stage_changes AS sc").
		Select("sc.id, sc.deal_id, sc.team_id, sc.member_id, d.owner_id, d.customer_id, c.name AS customer, "+
			"sc.from_stage, sc.to_stage, sc.amount, sc.changed_at").
		Joins("JOIN deals d ON d.id = sc.deal_id").
		Joins("LEFT JOIN customers c ON c.id = d.customer_id").
		Where("sc.team_id = ? AND sc.changed_at >= ? AND sc.changed_at < ?", f.TeamID, utc(f.From), utc(f.To))
	if f.ToStage != "" {
		q = q.Where("sc.to_stage = ?", string(f.ToStage))
	}
	if err := q.Order("sc.changed_at, sc.id").Scan(&rs).Error; err != nil {
		return nil, wrap(err, "stage moves of team %d", f.TeamID)
	}
	out := make([]domain.StageMove, len(rs))
	for i, r := range rs {
		out[i] = domain.StageMove{
			ID: r.ID, DealID: r.DealID, TeamID: r.TeamID, MemberID: r.MemberID, OwnerID: r.OwnerID,
			CustomerID: r.CustomerID, Customer: r.Customer, From: domain.Stage(r.FromStage), To: domain.Stage(r.ToStage),
			Amount: r.Amount, At: r.ChangedAt.UTC(),
		}
	}
	return out, nil
}

// Pipeline sums a team's open deals by stage, in funnel order.
func (s *Store) Pipeline(ctx context.Context, teamID int64) ([]domain.StageTotal, error) {
	var rs []struct {
		Stage  string
		Deals  int
		Amount int64
	}
	err := s.q(ctx).Model(&dealRow{}).Select("stage, COUNT(*) AS deals, COALESCE(SUM(amount), 0) AS amount").
		Where("team_id = ? AND status = ?", teamID, string(domain.DealOpen)).Group("stage").Scan(&rs).Error
	if err != nil {
		return nil, wrap(err, "pipeline of team %d", teamID)
	}
	by := map[domain.Stage]domain.StageTotal{}
	for _, r := range rs {
		by[domain.Stage(r.Stage)] = domain.StageTotal{Stage: domain.Stage(r.Stage), Deals: r.Deals, Amount: r.Amount}
	}
	var out []domain.StageTotal
	for _, st := range domain.Stages {
		if t, ok := by[st]; ok {
			out = append(out, t)
			delete(by, st)
		}
	}
	for _, t := range by { // a stage code this build does not know
		out = append(out, t)
	}
	return out, nil
}

// StaleDeals lists a team's open deals last active before their tier's
// cut-off (a deal never active counts from its creation), oldest first.
func (s *Store) StaleDeals(ctx context.Context, teamID int64, cutoff map[domain.Tier]time.Time) ([]domain.StaleDeal, error) {
	var rs []struct {
		Deal         dealRow `gorm:"embedded"`
		CustomerName string
		Tier         string
	}
	q := s.q(ctx).Table("deals AS d").Select("d.*, c.name AS customer_name, c.tier AS tier").
		Joins("JOIN customers c ON c.id = d.customer_id").
		Where("d.team_id = ? AND d.status = ?", teamID, string(domain.DealOpen))
	cond, args := "", []any{}
	for _, tier := range []domain.Tier{domain.TierA, domain.TierB, domain.TierC} {
		t, ok := cutoff[tier]
		if !ok {
			continue
		}
		if cond != "" {
			cond += " OR "
		}
		if tier == domain.TierC {
			cond += "((c.tier = ? OR c.tier = '') AND COALESCE(d.last_activity_at, d.created_at) < ?)"
		} else {
			cond += "(c.tier = ? AND COALESCE(d.last_activity_at, d.created_at) < ?)"
		}
		args = append(args, string(tier), utc(t))
	}
	if cond == "" {
		return nil, nil
	}
	if err := q.Where("("+cond+")", args...).Order("COALESCE(d.last_activity_at, d.created_at), d.id").Scan(&rs).Error; err != nil {
		return nil, wrap(err, "stale deals of team %d", teamID)
	}
	out := make([]domain.StaleDeal, len(rs))
	for i, r := range rs {
		tier, err := domain.ParseTier(r.Tier)
		if err != nil {
			tier = domain.TierC
		}
		out[i] = domain.StaleDeal{Deal: r.Deal.toDomain(), Customer: r.CustomerName, Tier: tier}
	}
	return out, nil
}

// TeamVisits lists a team's visits dated from..to inclusive, not undone,
// with member and customer names, in the order reported.
func (s *Store) TeamVisits(ctx context.Context, teamID int64, from, to domain.Date) ([]domain.VisitView, error) {
	var rs []struct {
		Visit        visitRow `gorm:"embedded"`
		MemberName   string
		CustomerName string
	}
	err := s.q(ctx).Table("visits AS v").Select("v.*, m.name AS member_name, c.name AS customer_name").
		Joins("LEFT JOIN members m ON m.id = v.member_id").
		Joins("LEFT JOIN customers c ON c.id = v.customer_id").
		Where("v.team_id = ? AND v.visit_date >= ? AND v.visit_date <= ? AND v.undone_at IS NULL", teamID, string(from), string(to)).
		Order("v.id").Scan(&rs).Error
	if err != nil {
		return nil, wrap(err, "visits of team %d %s..%s", teamID, from, to)
	}
	out := make([]domain.VisitView, len(rs))
	for i, r := range rs {
		out[i] = domain.VisitView{Visit: r.Visit.toDomain(), Member: r.MemberName, Customer: r.CustomerName}
	}
	return out, nil
}

// OpenTasks lists a team's open follow-ups due from..to inclusive (from may
// be zero), by due date, with the customer's name.
func (s *Store) OpenTasks(ctx context.Context, teamID int64, from, to domain.Date) ([]domain.TaskView, error) {
	var rs []struct {
		Task         taskRow `gorm:"embedded"`
		CustomerName string
	}
	q := s.q(ctx).Table("tasks AS t").Select("t.*, c.name AS customer_name").
		Joins("LEFT JOIN customers c ON c.id = t.customer_id").
		Where("t.team_id = ? AND t.status = ? AND t.due <= ?", teamID, string(domain.TaskOpen), string(to))
	if !from.IsZero() {
		q = q.Where("t.due >= ?", string(from))
	}
	if err := q.Order("t.due, t.id").Scan(&rs).Error; err != nil {
		return nil, wrap(err, "open tasks of team %d", teamID)
	}
	out := make([]domain.TaskView, len(rs))
	for i, r := range rs {
		out[i] = domain.TaskView{Task: r.Task.toDomain(), Customer: r.CustomerName}
	}
	return out, nil
}

// backfillStageChangeTeams fills stage_changes.team_id, added after the
// table, from the deals; it does nothing once every row has one.
func (s *Store) backfillStageChangeTeams(ctx context.Context) error {
	err := s.q(ctx).Exec("UPDATE stage_changes SET team_id = (SELECT d.team_id FROM deals d WHERE d.id = stage_changes.deal_id) " +
		"WHERE team_id = 0 AND EXISTS (SELECT 1 FROM deals d WHERE d.id = stage_changes.deal_id AND d.team_id <> 0)").Error
	return wrap(err, "migrate: fill stage_changes.team_id")
}

// StageHistories lists the moves of the given deals, per deal in the order
// they happened (by deal, then id). The ids are read in batches, so a long
// list stays within the databases' limits on bound parameters.
func (s *Store) StageHistories(ctx context.Context, dealIDs []int64) ([]domain.StageChange, error) {
	const batch = 500
	dealIDs = slices.Sorted(slices.Values(dealIDs))
	var out []domain.StageChange
	for start := 0; start < len(dealIDs); start += batch {
		ids := dealIDs[start:min(start+batch, len(dealIDs))]
		var rs []stageChangeRow
		if err := s.q(ctx).Where("deal_id IN ?", ids).Order("deal_id, id").Find(&rs).Error; err != nil {
			return nil, wrap(err, "stage histories of %d deals", len(ids))
		}
		out = append(out, mapRows(rs, stageChangeRow.toDomain)...)
	}
	return out, nil
}

package store

import (
	"context"
	"strings"
	"time"

	"salesbot/domain"
)

var _ domain.PoolStore = (*Store)(nil)

// ownerChangeRow is one change of a customer's owner (0: the pool), kept
// forever. The indexes serve the daily claim count (to, action, time), the
// digest (either team, time) and a customer's history.
type ownerChangeRow struct {
	ID         int64     `gorm:"primaryKey"`
	CustomerID int64     `gorm:"not null;index"`
	FromID     int64     `gorm:"not null"`
	ToID       int64     `gorm:"not null;index:idx_owner_changes_to,priority:1"`
	FromTeamID int64     `gorm:"not null;index:idx_owner_changes_from_team,priority:1"`
	ToTeamID   int64     `gorm:"not null;index:idx_owner_changes_to_team,priority:1"`
	Action     string    `gorm:"size:16;not null;index:idx_owner_changes_to,priority:2"`
	Reason     string    `gorm:"size:255"`
	ActorID    int64     `gorm:"not null"`
	ChangedAt  time.Time `gorm:"not null;index:idx_owner_changes_to,priority:3;index:idx_owner_changes_from_team,priority:2;index:idx_owner_changes_to_team,priority:2"`
}

func (ownerChangeRow) TableName() string { return "owner_changes" }

// AppendOwnerChange stores a change and sets its ID (and At when zero).
func (s *Store) AppendOwnerChange(ctx context.Context, c *domain.OwnerChange) error {
	if c.At.IsZero() {
		c.At = s.db.NowFunc()
	}
	r := ownerChangeRow{
		CustomerID: c.CustomerID, FromID: c.FromID, ToID: c.ToID, FromTeamID: c.FromTeamID, ToTeamID: c.ToTeamID,
		Action: string(c.Action), Reason: c.Reason, ActorID: c.ActorID, ChangedAt: utc(c.At),
	}
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "owner change of customer %d", c.CustomerID)
	}
	c.ID = r.ID
	return nil
}

// OwnerChanges lists changes oldest first, with the customer's name.
func (s *Store) OwnerChanges(ctx context.Context, f domain.OwnerChangeFilter) ([]domain.OwnerChange, error) {
	var rs []struct {
		Row      ownerChangeRow `gorm:"embedded"`
		Customer string
	}
	q := s.q(ctx).Table("owner_changes AS oc").Select("oc.*, c.name AS customer").
		Joins("LEFT JOIN customers c ON c.id = oc.customer_id")
	if f.CustomerID != 0 {
		q = q.Where("oc.customer_id = ?", f.CustomerID)
	}
	if f.ToID != 0 {
		q = q.Where("oc.to_id = ?", f.ToID)
	}
	if f.FromID != 0 {
		q = q.Where("oc.from_id = ?", f.FromID)
	}
	if f.TeamID != 0 {
		q = q.Where("(oc.from_team_id = ? OR oc.to_team_id = ?)", f.TeamID, f.TeamID)
	}
	if f.Action != "" {
		q = q.Where("oc.action = ?", string(f.Action))
	}
	if !f.From.IsZero() {
		q = q.Where("oc.changed_at >= ?", utc(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("oc.changed_at < ?", utc(f.To))
	}
	if err := q.Order("oc.changed_at, oc.id").Scan(&rs).Error; err != nil {
		return nil, wrap(err, "owner changes")
	}
	out := make([]domain.OwnerChange, len(rs))
	for i, x := range rs {
		r := x.Row
		out[i] = domain.OwnerChange{
			ID: r.ID, CustomerID: r.CustomerID, Customer: x.Customer, FromID: r.FromID, ToID: r.ToID,
			FromTeamID: r.FromTeamID, ToTeamID: r.ToTeamID, Action: domain.OwnerAction(r.Action), Reason: r.Reason,
			ActorID: r.ActorID, At: r.ChangedAt.UTC(),
		}
	}
	return out, nil
}

// MoveCustomer sets a customer's owner, team and owned_since (NULL in the
// pool) only while its owner is still from: the conditional update that
// makes the loser of two simultaneous claims see false.
func (s *Store) MoveCustomer(ctx context.Context, id, from, to, toTeam int64, at time.Time) (bool, error) {
	if at.IsZero() {
		at = s.db.NowFunc()
	}
	var since *time.Time
	if to != 0 {
		since = nullTime(at)
	}
	moved := false
	err := s.tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&customerRow{}).Where("id = ? AND owner_id = ?", id, from).
			Updates(map[string]any{"owner_id": to, "team_id": toTeam, "owned_since": since})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		moved = true
		return tx.refreshActivity(ctx, id)
	})
	if err != nil {
		return false, wrap(err, "move customer %d", id)
	}
	return moved, nil
}

// PoolCustomers lists customers without an owner in the given pools (nil:
// every pool) matching query, by name, at most limit, with when and why
// they left their last owner.
func (s *Store) PoolCustomers(ctx context.Context, teams []int64, query string, limit int) ([]domain.PoolEntry, error) {
	q := s.q(ctx).Where("owner_id = 0")
	if teams != nil {
		q = q.Where("team_id IN ?", teams)
	}
	if query = strings.TrimSpace(query); query != "" {
		like := "%" + likeEscaper.Replace(nameKey(query)) + "%"
		aliased := s.q(ctx).Model(&aliasRow{}).Select("customer_id").Where("alias_key LIKE ? ESCAPE '!'", like)
		q = q.Where("(name_key LIKE ? ESCAPE '!' OR industry LIKE ? ESCAPE '!' OR tier = ? OR id IN (?))", like, like, strings.ToUpper(query), aliased)
	}
	if limit > 0 {
		q = q.Limit(limit)
	}
	var cs []customerRow
	if err := q.Order("name, id").Find(&cs).Error; err != nil {
		return nil, wrap(err, "pool customers")
	}
	if len(cs) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	var visits []struct {
		CustomerID int64
		Last       string
	}
	err := s.q(ctx).Model(&visitRow{}).Select("customer_id, MAX(visit_date) AS last").
		Where("customer_id IN ? AND undone_at IS NULL", ids).Group("customer_id").Scan(&visits).Error
	if err != nil {
		return nil, wrap(err, "pool customers' visits")
	}
	var left []struct {
		Row       ownerChangeRow `gorm:"embedded"`
		PrevOwner string
	}
	err = s.q(ctx).Table("owner_changes AS oc").Select("oc.*, m.name AS prev_owner").
		Joins("LEFT JOIN members m ON m.id = oc.from_id").
		Where("oc.customer_id IN ? AND oc.to_id = 0", ids).Order("oc.changed_at, oc.id").Scan(&left).Error
	if err != nil {
		return nil, wrap(err, "pool customers' history")
	}
	customers, err := s.withAliases(ctx, cs)
	if err != nil {
		return nil, wrap(err, "pool customers' aliases")
	}
	out := make([]domain.PoolEntry, len(cs))
	index := make(map[int64]int, len(cs))
	for i, c := range cs {
		out[i] = domain.PoolEntry{Customer: customers[i], Since: c.CreatedAt.UTC()}
		index[c.ID] = i
	}
	for _, v := range visits {
		out[index[v.CustomerID]].LastVisit = domain.Date(v.Last)
	}
	for _, l := range left { // oldest first: the last one wins
		e := &out[index[l.Row.CustomerID]]
		e.Since, e.PrevOwner, e.Reason = l.Row.ChangedAt.UTC(), l.PrevOwner, l.Row.Reason
	}
	return out, nil
}

// likeEscaper makes a search word match itself in LIKE ... ESCAPE '!'
// on both MySQL and SQLite.
var likeEscaper = strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")

// CountOwned counts a member's customers without a won deal.
func (s *Store) CountOwned(ctx context.Context, memberID int64) (int, error) {
	var n int64
	err := s.q(ctx).Model(&customerRow{}).Where("owner_id = ? AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = customers.id AND d.status = ?)",
		memberID, string(domain.DealWon)).Count(&n).Error
	return int(n), wrap(err, "count customers of member %d", memberID)
}

// backfillOwnedSince starts the recycle clock of customers owned before the
// column existed at the upgrade, so that switching the pool on sweeps
// nothing at once; it does nothing once every owned customer has one.
func (s *Store) backfillOwnedSince(ctx context.Context) error {
	err := s.q(ctx).Model(&customerRow{}).Where("owned_since IS NULL AND owner_id <> 0").
		Update("owned_since", s.db.NowFunc()).Error
	return wrap(err, "migrate: fill customers.owned_since")
}

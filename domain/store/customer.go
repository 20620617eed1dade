package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"salesbot/domain"
)

// customerRow: the canonical name is unique ignoring Latin case (name_key
// holds it lower-cased), so that two reps naming a new customer at once
// end up with one customer.
type customerRow struct {
	ID       int64  `gorm:"primaryKey"`
	Name     key    `gorm:"size:191;not null;index"`
	NameKey  key    `gorm:"size:191;not null;uniqueIndex"`
	Tier     string `gorm:"size:1;not null;index:idx_customers_team_tier_active,priority:2;index:idx_customers_team_tier_visit,priority:2"`
	Industry string `gorm:"size:128"`
	OwnerID  int64  `gorm:"index"`
	TeamID   int64  `gorm:"index;index:idx_customers_team_tier_active,priority:1;index:idx_customers_team_tier_visit,priority:1"`
	// OwnedSince: when its owner got it; NULL in the pool.
	OwnedSince *time.Time
	CreatedAt  time.Time
	// LastVisitOn and ActiveOn are kept by the store from the customer's
	// visits, deals and owned_since (activity.go); the jobs read them
	// through the indexes instead of scanning visits.
	LastVisitOn string  `gorm:"size:10;not null;default:'';index:idx_customers_team_tier_visit,priority:3"`
	ActiveOn    *string `gorm:"size:10;index:idx_customers_team_tier_active,priority:3"`
}

func (customerRow) TableName() string { return "customers" }

// aliasRow is another name reps use for a customer; several customers may
// share an alias (德润 → 德润精密, 德润医疗).
type aliasRow struct {
	ID         int64  `gorm:"primaryKey"`
	CustomerID int64  `gorm:"not null;uniqueIndex:idx_customer_aliases_customer_key,priority:1"`
	Alias      string `gorm:"size:191;not null"`
	AliasKey   key    `gorm:"size:191;not null;index;uniqueIndex:idx_customer_aliases_customer_key,priority:2"`
}

func (aliasRow) TableName() string { return "customer_aliases" }

type contactRow struct {
	ID         int64 `gorm:"primaryKey"`
	CustomerID int64 `gorm:"not null;uniqueIndex:idx_contacts_customer_name,priority:1"`
	Name       key   `gorm:"size:128;not null;uniqueIndex:idx_contacts_customer_name,priority:2"`
	CreatedAt  time.Time
}

func (contactRow) TableName() string { return "contacts" }

// nameKey is how names are compared: trimmed, Latin letters lower-cased.
func nameKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func fromCustomer(c domain.Customer) customerRow {
	return customerRow{
		ID: c.ID, Name: key(c.Name), NameKey: key(nameKey(c.Name)), Tier: string(c.Tier), Industry: c.Industry,
		OwnerID: c.OwnerID, TeamID: c.TeamID, OwnedSince: nullTime(c.OwnedSince), CreatedAt: utc(c.CreatedAt),
	}
}

func (r customerRow) toDomain(aliases []string) domain.Customer {
	return domain.Customer{
		ID: r.ID, Name: string(r.Name), Aliases: aliases, Tier: domain.Tier(r.Tier), Industry: r.Industry,
		OwnerID: r.OwnerID, TeamID: r.TeamID, OwnedSince: timeOf(r.OwnedSince), CreatedAt: r.CreatedAt.UTC(),
	}
}

// fromAliases makes the alias rows of a customer, once per key.
func fromAliases(customerID int64, aliases []string) []aliasRow {
	var out []aliasRow
	seen := map[string]bool{}
	for _, a := range aliases {
		a = strings.TrimSpace(a)
		k := nameKey(a)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, aliasRow{CustomerID: customerID, Alias: a, AliasKey: key(k)})
	}
	return out
}

func (r contactRow) toDomain() domain.Contact {
	return domain.Contact{ID: r.ID, CustomerID: r.CustomerID, Name: string(r.Name), CreatedAt: r.CreatedAt.UTC()}
}

// CreateCustomer stores a new customer with its aliases and sets its ID. A
// name already taken (ignoring Latin case) is ErrConflict.
func (s *Store) CreateCustomer(ctx context.Context, c *domain.Customer) error {
	r := fromCustomer(*c)
	r.ID = 0
	if r.OwnerID != 0 && r.OwnedSince == nil { // owned from its creation
		at := utc(c.CreatedAt)
		if at.IsZero() {
			at = s.db.NowFunc()
		}
		r.OwnedSince = &at
	}
	err := s.tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(&r).Error; err != nil {
			return err
		}
		if err := tx.saveAliases(ctx, r.ID, c.Aliases); err != nil {
			return err
		}
		return tx.refreshActivity(ctx, r.ID)
	})
	if err != nil {
		return wrap(err, "create customer %q", c.Name)
	}
	c.ID, c.CreatedAt, c.OwnedSince = r.ID, r.CreatedAt.UTC(), timeOf(r.OwnedSince)
	return nil
}

// UpdateCustomer saves every field of an existing customer and replaces its
// aliases.
func (s *Store) UpdateCustomer(ctx context.Context, c *domain.Customer) error {
	r := fromCustomer(*c)
	return s.tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&r).Select("*").Omit(append([]string{"id", "created_at"}, activityColumns...)...).Updates(&r)
		if err := mustAffect(res, "update customer %d", c.ID); err != nil {
			return err
		}
		if err := tx.refreshActivity(ctx, c.ID); err != nil {
			return err
		}
		if err := tx.q(ctx).Where("customer_id = ?", c.ID).Delete(&aliasRow{}).Error; err != nil {
			return wrap(err, "update customer %d aliases", c.ID)
		}
		return wrap(tx.saveAliases(ctx, c.ID, c.Aliases), "update customer %d aliases", c.ID)
	})
}

func (s *Store) saveAliases(ctx context.Context, customerID int64, aliases []string) error {
	rs := fromAliases(customerID, aliases)
	if len(rs) == 0 {
		return nil
	}
	return s.q(ctx).Create(&rs).Error
}

// CustomerByID reads one customer with its aliases.
func (s *Store) CustomerByID(ctx context.Context, id int64) (domain.Customer, error) {
	var r customerRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Customer{}, wrap(err, "customer %d", id)
	}
	cs, err := s.withAliases(ctx, []customerRow{r})
	if err != nil {
		return domain.Customer{}, wrap(err, "customer %d", id)
	}
	return cs[0], nil
}

// FindCustomersByName returns the customers whose name or an alias equals
// name, Latin letters compared case-insensitively, by name.
func (s *Store) FindCustomersByName(ctx context.Context, name string) ([]domain.Customer, error) {
	k := nameKey(name)
	if k == "" {
		return nil, nil
	}
	aliased := s.q(ctx).Model(&aliasRow{}).Select("customer_id").Where("alias_key = ?", k)
	var rs []customerRow
	err := s.q(ctx).Where("name_key = ?", k).Or("id IN (?)", aliased).Order("name, id").Find(&rs).Error
	if err != nil {
		return nil, wrap(err, "find customer %q", name)
	}
	cs, err := s.withAliases(ctx, rs)
	return cs, wrap(err, "find customer %q", name)
}

// ListCustomers lists customers by name.
func (s *Store) ListCustomers(ctx context.Context, f domain.CustomerFilter) ([]domain.Customer, error) {
	q := s.q(ctx).Order("name, id")
	if f.OwnerID != 0 {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rs []customerRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list customers")
	}
	cs, err := s.withAliases(ctx, rs)
	return cs, wrap(err, "list customers")
}

// withAliases converts rows, loading their aliases a batch at a time.
func (s *Store) withAliases(ctx context.Context, rs []customerRow) ([]domain.Customer, error) {
	const batch = 500
	aliases := map[int64][]string{}
	for start := 0; start < len(rs); start += batch {
		ids := make([]int64, 0, batch)
		for _, r := range rs[start:min(start+batch, len(rs))] {
			ids = append(ids, r.ID)
		}
		var as []aliasRow
		if err := s.q(ctx).Where("customer_id IN ?", ids).Order("id").Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			aliases[a.CustomerID] = append(aliases[a.CustomerID], a.Alias)
		}
	}
	out := make([]domain.Customer, len(rs))
	for i, r := range rs {
		out[i] = r.toDomain(aliases[r.ID])
	}
	return out, nil
}

// DeleteCustomer removes a customer with its aliases and contacts.
func (s *Store) DeleteCustomer(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *Store) error {
		for _, row := range []any{&aliasRow{}, &contactRow{}} {
			if err := tx.q(ctx).Where("customer_id = ?", id).Delete(row).Error; err != nil {
				return wrap(err, "delete customer %d", id)
			}
		}
		return mustAffect(tx.q(ctx).Delete(&customerRow{}, "id = ?", id), "delete customer %d", id)
	})
}

// AddContacts records the people met at a customer; names already known are
// kept once, also when two reports add them at the same time.
func (s *Store) AddContacts(ctx context.Context, customerID int64, names []string) error {
	var rs []contactRow
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		rs = append(rs, contactRow{CustomerID: customerID, Name: key(n)})
	}
	if len(rs) == 0 {
		return nil
	}
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rs).Error
	return wrap(err, "add contacts of customer %d", customerID)
}

// ListContacts lists a customer's contacts in the order they were met.
func (s *Store) ListContacts(ctx context.Context, customerID int64) ([]domain.Contact, error) {
	var rs []contactRow
	if err := s.q(ctx).Where("customer_id = ?", customerID).Order("id").Find(&rs).Error; err != nil {
		return nil, wrap(err, "list contacts of customer %d", customerID)
	}
	return mapRows(rs, contactRow.toDomain), nil
}

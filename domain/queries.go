package domain

import (
	"context"
	"errors"
	"sort"
)

// CustomerView is a customer with where its business stands.
type CustomerView struct {
	Customer  Customer
	Deal      *Deal // the open deal, if any
	LastVisit Date
}

// MyCustomers lists the customers actor is responsible for: their own for a
// rep, their team's for a manager, everyone's for an admin.
func (s *Service) MyCustomers(ctx context.Context, actor Member) ([]CustomerView, error) {
	f := CustomerFilter{OwnerID: actor.ID}
	switch actor.Role {
	case RoleManager:
		f = CustomerFilter{TeamID: actor.TeamID}
	case RoleAdmin:
		f = CustomerFilter{}
	}
	customers, err := s.store.ListCustomers(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerView, 0, len(customers))
	for _, c := range customers {
		v, err := s.customerView(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastVisit > out[j].LastVisit })
	return out, nil
}

// CustomersOf lists another member's customers, if actor may read them.
func (s *Service) CustomersOf(ctx context.Context, actor Member, memberID int64) ([]Customer, error) {
	m, err := memberOrError(ctx, s.store, memberID)
	if err != nil {
		return nil, err
	}
	if err := checkReadMember(actor, m); err != nil {
		return nil, err
	}
	return s.store.ListCustomers(ctx, CustomerFilter{OwnerID: memberID})
}

// Customer reads one customer, if actor may.
func (s *Service) Customer(ctx context.Context, actor Member, id int64) (Customer, error) {
	c, err := s.store.CustomerByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Customer{}, Errorf(ENOTFOUND, "找不到这个客户")
	}
	if err != nil {
		return Customer{}, err
	}
	return c, checkReadCustomer(actor, c)
}

func (s *Service) customerView(ctx context.Context, c Customer) (CustomerView, error) {
	v := CustomerView{Customer: c}
	d, err := s.store.OpenDealOf(ctx, c.ID)
	if err == nil {
		v.Deal = &d
	} else if !errors.Is(err, ErrNotFound) {
		return v, err
	}
	last, err := s.store.ListVisits(ctx, VisitFilter{CustomerID: c.ID, Limit: 1})
	if err != nil {
		return v, err
	}
	if len(last) > 0 {
		v.LastVisit = last[0].VisitDate
	}
	return v, nil
}

// Progress is a customer's deal with its history.
type Progress struct {
	Customer Customer
	Deal     *Deal
	History  []StageChange
	Visits   []Visit // newest first
	Tasks    []Task  // open follow-ups
}

// DealProgress tells where business with a customer (by name or alias)
// stands, if actor may read that customer.
func (s *Service) DealProgress(ctx context.Context, actor Member, customerName string) (Progress, error) {
	found, err := s.ResolveCustomer(ctx, customerName)
	if err != nil {
		return Progress{}, err
	}
	switch len(found) {
	case 0:
		return Progress{}, Errorf(ENOTFOUND, "找不到客户「%s」", customerName)
	case 1:
	default:
		return Progress{}, Errorf(EINVALID, "「%s」对应多个客户，请写全称", customerName)
	}
	c := found[0]
	if err := checkReadCustomer(actor, c); err != nil {
		return Progress{}, err
	}
	p := Progress{Customer: c}
	deals, err := s.store.ListDeals(ctx, DealFilter{CustomerID: c.ID})
	if err != nil {
		return p, err
	}
	if len(deals) > 0 {
		d := deals[0] // newest first
		p.Deal = &d
		if p.History, err = s.store.StageHistory(ctx, d.ID); err != nil {
			return p, err
		}
	}
	if p.Visits, err = s.store.ListVisits(ctx, VisitFilter{CustomerID: c.ID, Limit: 5}); err != nil {
		return p, err
	}
	p.Tasks, err = s.store.ListTasks(ctx, TaskFilter{CustomerID: c.ID, Status: TaskOpen})
	return p, err
}

// OpenFollowUps lists actor's open follow-ups due on or before the day.
func (s *Service) OpenFollowUps(ctx context.Context, actor Member, until Date) ([]TaskView, error) {
	tasks, err := s.store.ListTasks(ctx, TaskFilter{OwnerID: actor.ID, Status: TaskOpen, DueTo: until})
	if err != nil {
		return nil, err
	}
	return s.names().tasks(ctx, tasks)
}

// TeamDay lists a team's visits on a day, if actor may read the team.
func (s *Service) TeamDay(ctx context.Context, actor Member, teamID int64, day Date) ([]VisitView, error) {
	if err := checkReadTeam(actor, teamID); err != nil {
		return nil, err
	}
	visits, err := s.store.ListVisits(ctx, VisitFilter{TeamID: teamID, From: day, To: day})
	if err != nil {
		return nil, err
	}
	return s.names().visits(ctx, visits)
}

// RankRow is one member's figures over a period.
type RankRow struct {
	Member    Member
	Visits    int
	NewDeals  int
	WonAmount int64
}

// Ranking counts visits, new deals and won amounts per active member of a
// team between from and to (inclusive), best first: the same figures as the
// weekly leaderboard (a win counts for who moved the deal to won, on that
// day). Anyone in the team may see their team's ranking; an admin any
// team's.
func (s *Service) Ranking(ctx context.Context, actor Member, teamID int64, from, to Date) ([]RankRow, error) {
	if actor.Role != RoleAdmin && actor.TeamID != teamID {
		return nil, Errorf(EFORBIDDEN, "你没有权限查看这个团队的排行")
	}
	members, err := s.store.ListMembers(ctx, MemberFilter{TeamID: teamID, ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	rows := make(map[int64]*RankRow, len(members))
	out := make([]*RankRow, 0, len(members))
	for _, m := range members {
		if m.Role == RoleAdmin {
			continue
		}
		r := &RankRow{Member: m}
		rows[m.ID] = r
		out = append(out, r)
	}
	act, err := s.store.TeamActivity(ctx, teamID, from, to)
	if err != nil {
		return nil, err
	}
	for _, a := range act {
		if r := rows[a.MemberID]; r != nil {
			r.Visits, r.NewDeals = a.Visits, a.NewDeals
		}
	}
	won, err := s.store.StageMoves(ctx, StageMoveFilter{TeamID: teamID, From: from.Time(s.loc), To: to.AddDays(1).Time(s.loc), ToStage: StageWon})
	if err != nil {
		return nil, err
	}
	for _, m := range won {
		if r := rows[m.MemberID]; r != nil && m.Amount > 0 {
			r.WonAmount += m.Amount
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Visits != b.Visits {
			return a.Visits > b.Visits
		}
		if a.WonAmount != b.WonAmount {
			return a.WonAmount > b.WonAmount
		}
		return a.Member.Name < b.Member.Name
	})
	res := make([]RankRow, len(out))
	for i, r := range out {
		res[i] = *r
	}
	return res, nil
}

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

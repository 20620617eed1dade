package domain

import "context"

// VisitView is a visit with the names people read next to it.
type VisitView struct {
	Visit    Visit
	Member   string
	Customer string
}

// names looks up member and customer names, each once.
type names struct {
	s         *Service
	members   map[int64]string
	customers map[int64]string
}

func (s *Service) names() *names {
	return &names{s: s, members: map[int64]string{}, customers: map[int64]string{}}
}

func (n *names) member(ctx context.Context, id int64) (string, error) {
	if v, ok := n.members[id]; ok || id == 0 {
		return v, nil
	}
	m, err := n.s.store.MemberByID(ctx, id)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	n.members[id] = m.Name
	return m.Name, nil
}

func (n *names) customer(ctx context.Context, id int64) (string, error) {
	if v, ok := n.customers[id]; ok || id == 0 {
		return v, nil
	}
	c, err := n.s.store.CustomerByID(ctx, id)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	n.customers[id] = c.Name
	return c.Name, nil
}

func (n *names) visits(ctx context.Context, vs []Visit) ([]VisitView, error) {
	out := make([]VisitView, len(vs))
	for i, v := range vs {
		out[i].Visit = v
		var err error
		if out[i].Member, err = n.member(ctx, v.MemberID); err != nil {
			return nil, err
		}
		if out[i].Customer, err = n.customer(ctx, v.CustomerID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (n *names) tasks(ctx context.Context, ts []Task) ([]TaskView, error) {
	out := make([]TaskView, len(ts))
	for i, t := range ts {
		out[i].Task = t
		var err error
		if out[i].Customer, err = n.customer(ctx, t.CustomerID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LastVisitTo finds actor's latest live record with the customer a name
// refers to (德润医疗那条金额改成80万 corrects that record, not the latest).
func (s *Service) LastVisitTo(ctx context.Context, actor Member, name string) (Visit, error) {
	found, err := s.ResolveCustomer(ctx, name)
	if err != nil {
		return Visit{}, err
	}
	var best Visit
	for _, c := range found {
		vs, err := s.store.ListVisits(ctx, VisitFilter{MemberID: actor.ID, CustomerID: c.ID, Limit: 1})
		if err != nil {
			return Visit{}, err
		}
		if len(vs) > 0 && (best.ID == 0 || vs[0].CreatedAt.After(best.CreatedAt)) {
			best = vs[0]
		}
	}
	if best.ID == 0 {
		return Visit{}, Errorf(ENOTFOUND, "你还没有「%s」的记录可以修改", name)
	}
	return best, nil
}

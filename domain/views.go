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

// OwnVisit reads one of actor's own visits (card buttons act on it).
func (s *Service) OwnVisit(ctx context.Context, actor Member, id int64) (VisitView, error) {
	v, err := ownVisit(ctx, s.store, actor, id)
	if err != nil {
		return VisitView{}, err
	}
	vs, err := s.names().visits(ctx, []Visit{v})
	if err != nil {
		return VisitView{}, err
	}
	return vs[0], nil
}

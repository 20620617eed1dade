package domain

import (
	"context"
	"strings"
	"time"
)

// VisitRow is one visit as exported: names instead of ids.
type VisitRow struct {
	VisitDate  Date
	Member     string
	Team       string
	Customer   string
	Contacts   []string
	Channel    Channel
	Stage      Stage
	Amount     int64
	NextDate   Date
	NextAction string
	Summary    string
	Source     string    // platform:message id
	ReportedAt time.Time // when the rep sent it: later than VisitDate for a 补录
}

// ExportVisits lists the live visits between from and to (inclusive; zero
// means open-ended) that actor may read, oldest first.
func (s *Service) ExportVisits(ctx context.Context, actor Member, from, to Date) ([]VisitRow, error) {
	f := VisitFilter{From: from, To: to}
	switch actor.Role {
	case RoleRep:
		f.MemberID = actor.ID
	case RoleManager:
		f.TeamID = actor.TeamID
	}
	visits, err := s.store.ListVisits(ctx, f)
	if err != nil {
		return nil, err
	}
	members, teams, customers := map[int64]string{}, map[int64]string{}, map[int64]string{}
	name := func(cache map[int64]string, id int64, load func() (string, error)) (string, error) {
		if n, ok := cache[id]; ok || id == 0 {
			return n, nil
		}
		n, err := load()
		cache[id] = n
		return n, err
	}
	out := make([]VisitRow, 0, len(visits))
	for i := len(visits) - 1; i >= 0; i-- {
		v := visits[i]
		row := VisitRow{VisitDate: v.VisitDate, Contacts: v.Contacts, Channel: v.Channel, Stage: v.Stage,
			Amount: v.Amount, NextDate: v.NextDate, NextAction: v.NextAction, Summary: v.Summary,
			Source: string(v.Platform) + ":" + v.SourceMsgID, ReportedAt: v.ReportedAt}
		if row.Member, err = name(members, v.MemberID, func() (string, error) {
			m, err := s.store.MemberByID(ctx, v.MemberID)
			return m.Name, err
		}); err != nil {
			return nil, err
		}
		if row.Team, err = name(teams, v.TeamID, func() (string, error) {
			t, err := s.store.TeamByID(ctx, v.TeamID)
			return t.Name, err
		}); err != nil {
			return nil, err
		}
		if row.Customer, err = name(customers, v.CustomerID, func() (string, error) {
			c, err := s.store.CustomerByID(ctx, v.CustomerID)
			return c.Name, err
		}); err != nil {
			return nil, err
		}
		if row.Summary == "" {
			row.Summary = strings.TrimSpace(v.RawText)
		}
		out = append(out, row)
	}
	return out, nil
}

// System is the acting member for operator commands run on the server
// (import, export, migrate): an admin.
func System() Member {
	return Member{Name: "system", Role: RoleAdmin, Active: true}
}

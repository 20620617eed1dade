package domain

import (
	"context"
	"errors"
	"strings"
)

// Upsert results.
const (
	Created   = "created"
	Updated   = "updated"
	Unchanged = "unchanged"
)

// The Upsert methods below import rows matched on name. On an update, an
// empty field keeps what is stored (a file with fewer columns changes only
// the columns it has) and aliases are added to the known ones, never
// dropped: aliases the bot learned from reps survive a re-import.

// keep returns cur when it is set, else old.
func keep[T comparable](cur, old T) T {
	var zero T
	if cur == zero {
		return old
	}
	return cur
}

// UpsertTeam creates the team or updates the one with the same name.
func (s *Service) UpsertTeam(ctx context.Context, t Team) (string, error) {
	t.Name = strings.TrimSpace(t.Name)
	if err := t.Validate(); err != nil {
		return "", err
	}
	result := ""
	err := s.inTx(ctx, false, func(tx Store) error {
		old, err := tx.TeamByName(ctx, t.Name)
		if errors.Is(err, ErrNotFound) {
			t.CreatedAt, result = s.now(), Created
			return tx.CreateTeam(ctx, &t)
		}
		if err != nil {
			return err
		}
		t.ID, t.CreatedAt = old.ID, old.CreatedAt
		t.WeComChatID = keep(t.WeComChatID, old.WeComChatID)
		t.WeComRobotURL = keep(t.WeComRobotURL, old.WeComRobotURL)
		t.WeComDepartmentID = keep(t.WeComDepartmentID, old.WeComDepartmentID)
		t.DingTalkChatID = keep(t.DingTalkChatID, old.DingTalkChatID)
		t.DingTalkRobotURL = keep(t.DingTalkRobotURL, old.DingTalkRobotURL)
		t.DingTalkRobotSecret = keep(t.DingTalkRobotSecret, old.DingTalkRobotSecret)
		if t == old {
			result = Unchanged
			return nil
		}
		result = Updated
		return tx.UpdateTeam(ctx, &t)
	})
	return result, err
}

// UpsertMember creates the member or updates the one with the same name;
// teamName names their team ("" keeps it; an admin may have none). An
// empty role means rep for a new member.
func (s *Service) UpsertMember(ctx context.Context, m Member, teamName string) (string, error) {
	m.Name = strings.TrimSpace(m.Name)
	result := ""
	err := s.inTx(ctx, false, func(tx Store) error {
		if teamName = strings.TrimSpace(teamName); teamName != "" {
			t, err := tx.TeamByName(ctx, teamName)
			if errors.Is(err, ErrNotFound) {
				return Errorf(EINVALID, "团队「%s」不存在，请先导入团队", teamName)
			}
			if err != nil {
				return err
			}
			m.TeamID = t.ID
		}
		old, err := tx.MemberByName(ctx, m.Name)
		if errors.Is(err, ErrNotFound) {
			m.Role = keep(m.Role, RoleRep)
			if err := m.Validate(); err != nil {
				return err
			}
			if m.SimUserID == "" {
				// In the chat simulator a member is known by a platform id.
				m.SimUserID = firstNonEmpty(m.WeComUserID, m.DingTalkUserID)
			}
			m.Active, m.CreatedAt, result = true, s.now(), Created
			return tx.CreateMember(ctx, &m)
		}
		if err != nil {
			return err
		}
		m.ID, m.CreatedAt, m.Active = old.ID, old.CreatedAt, old.Active
		m.Role = keep(m.Role, old.Role)
		m.TeamID = keep(m.TeamID, old.TeamID)
		m.WeComUserID = keep(m.WeComUserID, old.WeComUserID)
		m.DingTalkUserID = keep(m.DingTalkUserID, old.DingTalkUserID)
		m.SimUserID = keep(m.SimUserID, old.SimUserID)
		if err := m.Validate(); err != nil {
			return err
		}
		if m == old {
			result = Unchanged
			return nil
		}
		result = Updated
		return tx.UpdateMember(ctx, &m)
	})
	s.members.forget()
	return result, err
}

// UpsertCustomer creates the customer or updates the one with the same
// name; ownerName names the responsible member ("" keeps the current one).
// An empty tier means C for a new customer.
func (s *Service) UpsertCustomer(ctx context.Context, c Customer, ownerName string) (string, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Tier != "" {
		tier, err := ParseTier(string(c.Tier))
		if err != nil {
			return "", err
		}
		c.Tier = tier
	}
	if strings.TrimSpace(c.Name) == "" {
		return "", Errorf(EINVALID, "客户名称不能为空")
	}
	result := ""
	err := s.inTx(ctx, false, func(tx Store) error {
		if ownerName = strings.TrimSpace(ownerName); ownerName != "" {
			o, err := tx.MemberByName(ctx, ownerName)
			if errors.Is(err, ErrNotFound) {
				return Errorf(EINVALID, "负责人「%s」不存在，请先导入成员", ownerName)
			}
			if err != nil {
				return err
			}
			c.OwnerID, c.TeamID = o.ID, o.TeamID
		}
		for _, a := range c.Aliases {
			others, err := tx.FindCustomersByName(ctx, a)
			if err != nil {
				return err
			}
			for _, o := range others {
				if o.Name != c.Name {
					return Errorf(EINVALID, "别名「%s」已经属于客户「%s」", a, o.Name)
				}
			}
		}
		old, err := tx.FindCustomersByName(ctx, c.Name)
		if err != nil {
			return err
		}
		var prev *Customer
		for i := range old {
			if old[i].Name == c.Name {
				prev = &old[i]
			}
		}
		if prev == nil {
			c.Tier = keep(c.Tier, TierC)
			if err := c.Validate(); err != nil {
				return err
			}
			c.CreatedAt, result = s.now(), Created
			return tx.CreateCustomer(ctx, &c)
		}
		c.ID, c.CreatedAt = prev.ID, prev.CreatedAt
		c.Tier = keep(c.Tier, prev.Tier)
		c.Industry = keep(c.Industry, prev.Industry)
		c.Aliases = union(prev.Aliases, c.Aliases)
		if c.OwnerID == 0 {
			c.OwnerID, c.TeamID = prev.OwnerID, prev.TeamID
		}
		if sameCustomer(c, *prev) {
			result = Unchanged
			return nil
		}
		result = Updated
		return tx.UpdateCustomer(ctx, &c)
	})
	return result, err
}

func sameCustomer(a, b Customer) bool {
	if a.Name != b.Name || a.Tier != b.Tier || a.Industry != b.Industry || a.OwnerID != b.OwnerID || len(a.Aliases) != len(b.Aliases) {
		return false
	}
	for i := range a.Aliases {
		if a.Aliases[i] != b.Aliases[i] {
			return false
		}
	}
	return true
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package domain

import (
	"context"
	"errors"
	"strings"
)

// RegisterFromDirectory makes a platform user who is not yet a member an
// active rep, from what the platform's address book says about them: name
// and departments (the main one first). They join the first team mapped to
// one of their departments (Team.WeComDepartmentID; only WeCom has such a
// mapping). Without a mapped team the answer is an ENOTFOUND error telling
// them to ask an admin.
//
// It is idempotent: a user already linked is returned as they are (also when
// concurrent deliveries race to register them). An unlinked active member of
// the same name in the same team — imported by an admin without a platform
// id — is linked rather than duplicated.
func (s *Service) RegisterFromDirectory(ctx context.Context, p Platform, userID, name string, departmentIDs []int64) (Member, error) {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return Member{}, Errorf(EINVALID, "缺少用户ID")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = userID
	}
	var out Member
	err := s.inTx(ctx, true, func(tx Store) error {
		m, err := tx.MemberByPlatformID(ctx, p, userID)
		if err == nil {
			out = m
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		team, err := teamForDepartments(ctx, tx, p, departmentIDs)
		if err != nil {
			return err
		}
		if old, err := tx.MemberByName(ctx, name); err == nil {
			if old.Active && old.TeamID == team.ID && old.PlatformUserID(p) == "" {
				setPlatformUserID(&old, p, userID)
				if err := tx.UpdateMember(ctx, &old); err != nil {
					return err
				}
				out = old
				return nil
			}
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		m = Member{Name: name, Role: RoleRep, TeamID: team.ID, Active: true, CreatedAt: s.now()}
		setPlatformUserID(&m, p, userID)
		if err := m.Validate(); err != nil {
			return err
		}
		if err := tx.CreateMember(ctx, &m); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// teamForDepartments finds the team mapped to the first of the departments
// that has one.
func teamForDepartments(ctx context.Context, tx TeamReader, p Platform, departmentIDs []int64) (Team, error) {
	noTeam := Errorf(ENOTFOUND, "你所在的部门还没有对应的销售团队，请联系管理员把你加入团队")
	if p != PlatformWeCom || len(departmentIDs) == 0 {
		return Team{}, noTeam
	}
	teams, err := tx.ListTeams(ctx)
	if err != nil {
		return Team{}, err
	}
	for _, d := range departmentIDs {
		if d == 0 {
			continue
		}
		for _, t := range teams {
			if t.WeComDepartmentID == d {
				return t, nil
			}
		}
	}
	return Team{}, noTeam
}

func setPlatformUserID(m *Member, p Platform, userID string) {
	switch p {
	case PlatformWeCom:
		m.WeComUserID = userID
	case PlatformDingTalk:
		m.DingTalkUserID = userID
	case PlatformSim:
		m.SimUserID = userID
	}
}

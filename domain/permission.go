package domain

import (
	"context"
	"time"
)

// Who may read or change what: the one place for these rules.
//
//   - a rep reads their own customers, deals, visits and tasks;
//   - a manager reads everything of their team;
//   - an admin reads everything.
//
// A refused read says so (EFORBIDDEN) rather than pretending the record is
// missing.

// canRead reports whether actor may read records owned by a member of team
// ownerTeam with id ownerID.
func canRead(actor Member, ownerID, ownerTeam int64) bool {
	switch actor.Role {
	case RoleAdmin:
		return true
	case RoleManager:
		return ownerTeam != 0 && ownerTeam == actor.TeamID || ownerID == actor.ID
	default:
		return ownerID == actor.ID
	}
}

func checkActive(actor Member) error {
	if !actor.Active {
		return Errorf(EFORBIDDEN, "账号「%s」已停用，请联系管理员", actor.Name)
	}
	return nil
}

func checkReadCustomer(actor Member, c Customer) error {
	if canRead(actor, c.OwnerID, c.TeamID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "你没有权限查看客户「%s」：它不属于你%s", c.Name, scopeWord(actor))
}

func checkReadMember(actor Member, m Member) error {
	if canRead(actor, m.ID, m.TeamID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "你没有权限查看「%s」的数据", m.Name)
}

func checkReadTeam(actor Member, teamID int64) error {
	if actor.Role == RoleAdmin || actor.Role == RoleManager && actor.TeamID == teamID {
		return nil
	}
	return Errorf(EFORBIDDEN, "你没有权限查看这个团队的数据")
}

func checkManage(actor Member) error {
	if actor.Role == RoleAdmin || actor.Role == RoleManager {
		return nil
	}
	return Errorf(EFORBIDDEN, "只有经理或管理员可以这样操作")
}

func scopeWord(actor Member) string {
	if actor.Role == RoleManager {
		return "的团队"
	}
	return ""
}

// checkWriteCustomer: a report or correction may touch a customer (its deal,
// stage and amount) when it belongs to the actor's team (teammates visit
// each other's customers together) or the actor is an admin; never another
// team's. A customer nobody owns may be reported on by anyone; the reporter
// then takes it over, which the owner history records.
func checkWriteCustomer(ctx context.Context, tx Records, actor Member, c *Customer) error {
	if c.OwnerID == 0 {
		if _, err := moveOwner(ctx, tx, *c, Member{}, actor, OwnerReport, "", actor.ID, time.Time{}); err != nil {
			return err
		}
		c.OwnerID, c.TeamID = actor.ID, actor.TeamID
		return nil
	}
	if actor.Role == RoleAdmin || c.OwnerID == actor.ID || c.TeamID != 0 && c.TeamID == actor.TeamID {
		return nil
	}
	owner := "其他团队的同事"
	if m, err := tx.MemberByID(ctx, c.OwnerID); err == nil {
		owner = m.Name
	}
	return Errorf(EFORBIDDEN, "客户「%s」由%s负责，不在你的团队，你不能记录或修改它的商机；如需协同跟进，请联系经理", c.Name, owner)
}

// The pool (公海, pool.md §4): every active member sees the company pool
// (TeamID 0) and their own team's pool, and may claim from them; an admin
// sees every pool. Limits on claiming (per day, customers owned, cool-down)
// bind reps only; managers and admins are exempt.
func canSeePool(actor Member, c Customer) bool {
	return c.OwnerID == 0 && (actor.Role == RoleAdmin || c.TeamID == 0 || c.TeamID == actor.TeamID)
}

// poolScope lists the pools actor sees (team ids, 0 the company pool); nil
// means every pool.
func poolScope(actor Member) []int64 {
	if actor.Role == RoleAdmin {
		return nil
	}
	return []int64{0, actor.TeamID}
}

// claimLimited reports whether the claim limits apply to m.
func claimLimited(m Member) bool { return m.Role == RoleRep }

// checkAssign: a manager assigns customers of their team (owned by it or in
// its pool) or of the company pool to members of their team; an admin
// assigns anything to anyone active. Reps cannot assign.
func checkAssign(actor Member, c Customer, to Member) error {
	if err := checkManage(actor); err != nil {
		return Errorf(EFORBIDDEN, "只有经理或管理员可以分配客户")
	}
	if !to.Active {
		return Errorf(EINVALID, "「%s」已离职，不能接手客户", to.Name)
	}
	if to.Role == RoleAdmin {
		return Errorf(EINVALID, "不能把客户分配给管理员「%s」", to.Name)
	}
	if actor.Role == RoleAdmin {
		return nil
	}
	if to.TeamID != actor.TeamID {
		return Errorf(EFORBIDDEN, "「%s」不在你的团队，只能分配给本团队的成员", to.Name)
	}
	if c.TeamID != 0 && c.TeamID != actor.TeamID {
		return Errorf(EFORBIDDEN, "客户「%s」不属于你的团队，不能分配", c.Name)
	}
	return nil
}

package domain

import "context"

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
// then takes it over.
func checkWriteCustomer(ctx context.Context, tx Store, actor Member, c *Customer) error {
	if c.OwnerID == 0 {
		c.OwnerID, c.TeamID = actor.ID, actor.TeamID
		return tx.UpdateCustomer(ctx, c)
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

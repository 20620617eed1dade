package domain

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// poolListLimit is how many pool customers one listing shows.
const poolListLimit = 10

// Pool lists the pool customers actor may claim whose name, industry or
// tier matches query ("" all), at most ten.
func (s *Service) Pool(ctx context.Context, actor Member, query string) ([]PoolEntry, error) {
	if err := checkActive(actor); err != nil {
		return nil, err
	}
	return s.store.PoolCustomers(ctx, poolScope(actor), strings.TrimSpace(query), poolListLimit)
}

// Claim gives actor a customer from the pool (领取). A refusal names the
// rule and, where it lifts, when: 今日已领 5/5, 保有量 60/60, 冷却期至
// 2026-02-01, 已归属 张三.
func (s *Service) Claim(ctx context.Context, actor Member, name string) (OwnerChange, error) {
	if err := checkActive(actor); err != nil {
		return OwnerChange{}, err
	}
	c, err := s.poolCustomerNamed(ctx, actor, name)
	if err != nil {
		return OwnerChange{}, err
	}
	rules, err := s.poolRules(ctx, actor.TeamID)
	if err != nil {
		return OwnerChange{}, err
	}
	var out OwnerChange
	err = s.inTx(ctx, false, func(tx Store) error {
		now := s.now()
		if claimLimited(actor) {
			if err := s.checkClaimLimits(ctx, tx, actor, c, rules, now); err != nil {
				return err
			}
		}
		if out, err = moveOwner(ctx, tx, c, Member{}, actor, OwnerClaim, "", actor.ID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditEntry{TeamID: actor.TeamID, Action: AuditClaim,
			Subject: fmt.Sprintf("customer:%d", c.ID), Before: c.Name + " 在公海", After: c.Name + " 负责人 " + actor.Name})
	})
	return out, err
}

// checkClaimLimits applies the daily claim limit, the ownership cap and the
// previous owner's cool-down.
func (s *Service) checkClaimLimits(ctx context.Context, ps PoolStore, actor Member, c Customer, rules PoolRules, now time.Time) error {
	if rules.DailyClaims > 0 {
		today := DateOf(now, s.loc)
		claims, err := ps.OwnerChanges(ctx, OwnerChangeFilter{ToID: actor.ID, Action: OwnerClaim, From: today.Time(s.loc), To: today.AddDays(1).Time(s.loc)})
		if err != nil {
			return err
		}
		if len(claims) >= rules.DailyClaims {
			return Errorf(EFORBIDDEN, "今日已领 %d/%d，明天 00:00 后可以再领", len(claims), rules.DailyClaims)
		}
	}
	if err := s.checkCap(ctx, ps, actor, rules); err != nil {
		return err
	}
	if rules.CoolDownDays > 0 {
		left, err := ps.OwnerChanges(ctx, OwnerChangeFilter{CustomerID: c.ID, FromID: actor.ID})
		if err != nil {
			return err
		}
		for _, ch := range left {
			if ch.ToID != 0 {
				continue
			}
			until := DateOf(ch.At, s.loc).AddDays(rules.CoolDownDays)
			if DateOf(now, s.loc) < until {
				return Errorf(EFORBIDDEN, "「%s」是你之前负责的客户，%s 移入公海，冷却期至 %s；需要的话请经理分配给你", c.Name, DateOf(ch.At, s.loc), until)
			}
		}
	}
	return nil
}

// checkCap: a rep owns at most rules.Cap customers, won ones not counted.
func (s *Service) checkCap(ctx context.Context, ps PoolStore, m Member, rules PoolRules) error {
	if rules.Cap <= 0 || !claimLimited(m) {
		return nil
	}
	n, err := ps.CountOwned(ctx, m.ID)
	if err != nil {
		return err
	}
	if n >= rules.Cap {
		return Errorf(EFORBIDDEN, "「%s」的保有量 %d/%d 已满，先放掉一些客户或签下来再领", m.Name, n, rules.Cap)
	}
	return nil
}

// poolCustomerNamed finds the customer a claim names: by its name or an
// alias, else the one pool customer actor sees whose name contains it.
func (s *Service) poolCustomerNamed(ctx context.Context, actor Member, name string) (Customer, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Customer{}, Errorf(EINVALID, "要领取哪个客户？例如：领取 华辰科技")
	}
	found, err := s.store.FindCustomersByName(ctx, name)
	if err != nil {
		return Customer{}, err
	}
	if len(found) == 0 {
		entries, err := s.store.PoolCustomers(ctx, poolScope(actor), name, 6)
		if err != nil {
			return Customer{}, err
		}
		for _, e := range entries {
			found = append(found, e.Customer)
		}
	}
	switch len(found) {
	case 0:
		return Customer{}, Errorf(ENOTFOUND, "公海里没有「%s」。发送「公海」查看可以领取的客户", name)
	case 1:
	default:
		names := make([]string, len(found))
		for i, c := range found {
			names[i] = c.Name
		}
		return Customer{}, Errorf(EINVALID, "「%s」对应多个客户：%s，请说全名", name, strings.Join(names, "、"))
	}
	c := found[0]
	switch {
	case c.OwnerID == actor.ID:
		return Customer{}, Errorf(EINVALID, "「%s」已经是你的客户", c.Name)
	case c.OwnerID != 0:
		owner := "同事"
		if m, err := s.store.MemberByID(ctx, c.OwnerID); err == nil {
			owner = m.Name
		}
		return Customer{}, Errorf(EFORBIDDEN, "「%s」已归属 %s，不在公海里", c.Name, owner)
	case !canSeePool(actor, c):
		return Customer{}, Errorf(EFORBIDDEN, "「%s」在其他团队的公海里，你不能领取", c.Name)
	}
	return c, nil
}

// Assigned is what an assignment did.
type Assigned struct {
	Change   OwnerChange
	From, To Member // From is zero when it came from the pool
}

// Assign gives a customer to a member (分配): managers within their team,
// admins anyone. The daily claim limit and the cool-down do not apply; the
// assignee's ownership cap does.
func (s *Service) Assign(ctx context.Context, actor Member, customer, member string) (Assigned, error) {
	if err := checkActive(actor); err != nil {
		return Assigned{}, err
	}
	if err := checkManage(actor); err != nil {
		return Assigned{}, Errorf(EFORBIDDEN, "只有经理或管理员可以分配客户")
	}
	to, err := s.store.MemberByName(ctx, strings.TrimSpace(member))
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Assigned{}, Errorf(ENOTFOUND, "找不到成员「%s」", strings.TrimSpace(member))
		}
		return Assigned{}, err
	}
	found, err := s.store.FindCustomersByName(ctx, strings.TrimSpace(customer))
	if err != nil {
		return Assigned{}, err
	}
	switch len(found) {
	case 0:
		return Assigned{}, Errorf(ENOTFOUND, "找不到客户「%s」", strings.TrimSpace(customer))
	case 1:
	default:
		return Assigned{}, Errorf(EINVALID, "「%s」对应多个客户，请说全名", strings.TrimSpace(customer))
	}
	c := found[0]
	if err := checkAssign(actor, c, to); err != nil {
		return Assigned{}, err
	}
	if c.OwnerID == to.ID {
		return Assigned{}, Errorf(EINVALID, "「%s」已经是%s的客户", c.Name, to.Name)
	}
	rules, err := s.poolRules(ctx, to.TeamID)
	if err != nil {
		return Assigned{}, err
	}
	out := Assigned{To: to}
	err = s.inTx(ctx, false, func(tx Store) error {
		if err := s.checkCap(ctx, tx, to, rules); err != nil {
			return err
		}
		out.From = Member{}
		if c.OwnerID != 0 {
			if out.From, err = memberOrError(ctx, tx, c.OwnerID); err != nil {
				return err
			}
		}
		if out.Change, err = moveOwner(ctx, tx, c, out.From, to, OwnerAssign, "", actor.ID, s.now()); err != nil {
			return err
		}
		before := c.Name + " 在公海"
		if out.From.ID != 0 {
			before = c.Name + " 负责人 " + out.From.Name
		}
		return s.audit(ctx, tx, actor, AuditEntry{TeamID: to.TeamID, Action: AuditAssign,
			Subject: fmt.Sprintf("customer:%d", c.ID), Before: before, After: c.Name + " 负责人 " + to.Name})
	})
	return out, err
}

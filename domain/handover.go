package domain

import (
	"context"
	"errors"
	"fmt"
)

// Handover is what moved from a departed rep to a colleague.
type Handover struct {
	From, To  Member
	Customers int
	Deals     int
	Tasks     int
}

// HandOver gives every customer, open deal and open follow-up of member from
// to member to, and marks from as departed. Only a manager (within their
// team) or an admin may do it. Visits stay with who made them: history is
// not rewritten.
func (s *Service) HandOver(ctx context.Context, actor Member, fromID, toID int64) (Handover, error) {
	if err := checkManage(actor); err != nil {
		return Handover{}, err
	}
	var out Handover
	err := s.inTx(ctx, false, func(tx Store) error {
		from, err := memberOrError(ctx, tx, fromID)
		if err != nil {
			return err
		}
		to, err := memberOrError(ctx, tx, toID)
		if err != nil {
			return err
		}
		if err := checkReadMember(actor, from); err != nil {
			return err
		}
		if err := checkReadMember(actor, to); err != nil {
			return err
		}
		if from.ID == to.ID {
			return Errorf(EINVALID, "交接的双方不能是同一个人")
		}
		if !to.Active {
			return Errorf(EINVALID, "「%s」已离职，不能接手客户", to.Name)
		}
		out = Handover{From: from, To: to}
		customers, err := tx.ListCustomers(ctx, CustomerFilter{OwnerID: from.ID})
		if err != nil {
			return err
		}
		now := s.now()
		for i := range customers {
			c := &customers[i]
			ch := OwnerChange{
				CustomerID: c.ID, Customer: c.Name, FromID: from.ID, ToID: to.ID, FromTeamID: c.TeamID, ToTeamID: to.TeamID,
				Action: OwnerHandover, Reason: "离职交接", ActorID: actor.ID, At: now,
			}
			c.OwnerID, c.TeamID, c.OwnedSince = to.ID, to.TeamID, now
			if err := tx.UpdateCustomer(ctx, c); err != nil {
				return err
			}
			if err := tx.AppendOwnerChange(ctx, &ch); err != nil {
				return err
			}
		}
		if out.Deals, err = updateDeals(ctx, tx, DealFilter{OwnerID: from.ID, Status: DealOpen}, func(d *Deal) {
			d.OwnerID, d.TeamID = to.ID, to.TeamID
		}); err != nil {
			return err
		}
		if out.Tasks, err = updateTasks(ctx, tx, TaskFilter{OwnerID: from.ID, Status: TaskOpen}, func(t *Task) {
			t.OwnerID, t.TeamID = to.ID, to.TeamID
		}); err != nil {
			return err
		}
		from.Active = false
		if err := tx.UpdateMember(ctx, &from); err != nil {
			return err
		}
		out.From = from
		out.Customers = len(customers)
		return s.audit(ctx, tx, actor, AuditEntry{
			TeamID: from.TeamID, Action: AuditHandover, Subject: fmt.Sprintf("member:%d", from.ID),
			Before: fmt.Sprintf("负责人 %s（%d 个客户、%d 个商机、%d 个待办）", from.Name, out.Customers, out.Deals, out.Tasks),
			After:  "负责人 " + to.Name + "；" + from.Name + " 已离职",
		})
	})
	s.members.forget() // the departed member must not be let in from the cache
	return out, err
}

func memberOrError(ctx context.Context, tx MemberReader, id int64) (Member, error) {
	m, err := tx.MemberByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Member{}, Errorf(ENOTFOUND, "找不到这个成员")
	}
	return m, err
}

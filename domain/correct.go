package domain

import (
	"context"
	"strconv"
	"strings"
)

// Field names a rep may correct on their last record.
const (
	FieldCustomer   = "customer"
	FieldAmount     = "amount"
	FieldStage      = "stage"
	FieldChannel    = "channel"
	FieldVisitDate  = "visit_date"
	FieldNextDate   = "next_date"
	FieldNextAction = "next_action"
	FieldContacts   = "contacts"
	FieldSummary    = "summary"
)

var fieldLabels = map[string]string{
	FieldCustomer: "客户", FieldAmount: "金额", FieldStage: "阶段", FieldChannel: "沟通方式",
	FieldVisitDate: "拜访日期", FieldNextDate: "下次跟进日期", FieldNextAction: "下一步",
	FieldContacts: "联系人", FieldSummary: "摘要",
}

// FieldLabel is the Chinese name of a correctable field.
func FieldLabel(f string) string { return fieldLabels[f] }

// Correction changes one field of the member's last record. Value is the new
// value in its canonical form: a customer name, an integer amount in yuan, a
// stage or channel code, a YYYY-MM-DD date, contacts separated by "|".
type Correction struct {
	Field string
	Value string
}

// Corrected is the record after a correction.
type Corrected struct {
	Visit    Visit
	Customer Customer
	Deal     Deal
	Field    string
	Old, New string
}

// CorrectLast applies c to the member's most recent record and keeps the deal,
// the stage history and the follow-up task in step.
func (s *Service) CorrectLast(ctx context.Context, actor Member, c Correction) (Corrected, error) {
	if err := checkActive(actor); err != nil {
		return Corrected{}, err
	}
	if _, ok := fieldLabels[c.Field]; !ok {
		return Corrected{}, Errorf(EINVALID, "不能修改「%s」，可以改：客户、金额、阶段、沟通方式、拜访日期、下次跟进日期、联系人", c.Field)
	}
	var out Corrected
	err := s.inTx(ctx, true, func(tx Store) error {
		v, err := ownVisit(ctx, tx, actor, 0)
		if err != nil {
			return err
		}
		out = Corrected{Field: c.Field}
		if err := s.applyCorrection(ctx, tx, actor, &v, c, &out); err != nil {
			return err
		}
		if err := v.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		out.Visit = v
		if out.Customer, err = tx.CustomerByID(ctx, v.CustomerID); err != nil {
			return err
		}
		out.Deal, err = tx.DealByID(ctx, v.DealID)
		return err
	})
	return out, err
}

func (s *Service) applyCorrection(ctx context.Context, tx Store, actor Member, v *Visit, c Correction, out *Corrected) error {
	val := strings.TrimSpace(c.Value)
	switch c.Field {
	case FieldAmount:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n < 0 {
			return Errorf(EINVALID, "金额「%s」看不懂", val)
		}
		out.Old, out.New = Yuan(v.Amount), Yuan(n)
		v.Amount = n
		return s.updateDeal(ctx, tx, v.DealID, func(d *Deal) { d.Amount = n })
	case FieldStage:
		st, err := ParseStage(val)
		if err != nil {
			return err
		}
		out.Old, out.New = v.Stage.Label(), st.Label()
		v.Stage = st
		d, err := tx.DealByID(ctx, v.DealID)
		if err != nil {
			return err
		}
		if d.Stage == st {
			return nil
		}
		ch := StageChange{DealID: d.ID, TeamID: d.TeamID, VisitID: v.ID, MemberID: actor.ID, From: d.Stage, To: st, Amount: d.Amount, At: s.now()}
		if err := tx.AppendStageChange(ctx, &ch); err != nil {
			return err
		}
		d.Stage, d.Status = st, StatusFor(st)
		return tx.UpdateDeal(ctx, &d)
	case FieldChannel:
		ch, err := ParseChannel(val)
		if err != nil {
			return err
		}
		out.Old, out.New = v.Channel.Label(), ch.Label()
		v.Channel = ch
	case FieldVisitDate:
		d, err := ParseDate(val)
		if err != nil || d.IsZero() {
			return Errorf(EINVALID, "日期「%s」格式不对，应为 YYYY-MM-DD", val)
		}
		out.Old, out.New = string(v.VisitDate), string(d)
		v.VisitDate = d
	case FieldNextDate:
		d, err := ParseDate(val)
		if err != nil {
			return err
		}
		out.Old, out.New = string(v.NextDate), string(d)
		v.NextDate = d
		return s.resetFollowUp(ctx, tx, actor, *v)
	case FieldNextAction:
		out.Old, out.New = v.NextAction, val
		v.NextAction = val
	case FieldSummary:
		out.Old, out.New = v.Summary, val
		v.Summary = val
	case FieldContacts:
		names := splitList(val)
		out.Old, out.New = strings.Join(v.Contacts, "、"), strings.Join(names, "、")
		v.Contacts = names
		return tx.AddContacts(ctx, v.CustomerID, names)
	case FieldCustomer:
		return s.moveToCustomer(ctx, tx, actor, v, val, out)
	}
	return nil
}

func (s *Service) updateDeal(ctx context.Context, tx Store, id int64, fn func(*Deal)) error {
	d, err := tx.DealByID(ctx, id)
	if err != nil {
		return err
	}
	fn(&d)
	return tx.UpdateDeal(ctx, &d)
}

// resetFollowUp replaces the follow-up a visit opened with one on its new
// next date (none when the date was cleared).
func (s *Service) resetFollowUp(ctx context.Context, tx Store, actor Member, v Visit) error {
	if err := cancelTasksOf(ctx, tx, v.ID); err != nil {
		return err
	}
	if v.NextDate.IsZero() {
		return nil
	}
	title := v.NextAction
	if title == "" {
		title = "跟进客户"
	}
	t := Task{OwnerID: actor.ID, TeamID: actor.TeamID, CustomerID: v.CustomerID, DealID: v.DealID,
		VisitID: v.ID, Title: title, Due: v.NextDate, Status: TaskOpen, CreatedAt: s.now()}
	return tx.CreateTask(ctx, &t)
}

// moveToCustomer files the visit (with its deal when the visit opened it,
// and its follow-ups) under another customer.
func (s *Service) moveToCustomer(ctx context.Context, tx Store, actor Member, v *Visit, name string, out *Corrected) error {
	old, err := tx.CustomerByID(ctx, v.CustomerID)
	if err != nil {
		return err
	}
	cust, created, err := s.resolveCustomer(ctx, tx, actor, Report{Facts: Facts{Customer: name}})
	if err != nil {
		return err
	}
	out.Old, out.New = old.Name, cust.Name
	if cust.ID == old.ID {
		return nil
	}
	oldVisit := *v
	v.CustomerID, v.CreatedCustomer = cust.ID, created
	if err := tx.AddContacts(ctx, cust.ID, v.Contacts); err != nil {
		return err
	}
	if v.CreatedDeal {
		if err := s.updateDeal(ctx, tx, v.DealID, func(d *Deal) { d.CustomerID, d.Title = cust.ID, cust.Name }); err != nil {
			return err
		}
	} else {
		// The old deal no longer carries this visit: take back its stage move.
		if err := revertStage(ctx, tx, oldVisit); err != nil {
			return err
		}
		d, opened, err := s.findOrOpenDeal(ctx, tx, actor, cust, Report{}, s.now())
		if err != nil {
			return err
		}
		v.DealID, v.CreatedDeal = d.ID, opened
		if _, err := s.advanceDeal(ctx, tx, actor, &d, v.ID, v.Stage, v.Amount, s.now(), opened); err != nil {
			return err
		}
	}
	tasks, err := tx.ListTasks(ctx, TaskFilter{VisitID: v.ID, Status: TaskOpen})
	if err != nil {
		return err
	}
	for i := range tasks {
		tasks[i].CustomerID, tasks[i].DealID = v.CustomerID, v.DealID
		if err := tx.UpdateTask(ctx, &tasks[i]); err != nil {
			return err
		}
	}
	// The visit no longer points at the old customer: save that first so
	// the unused check below does not count it.
	if err := tx.UpdateVisit(ctx, v); err != nil {
		return err
	}
	oldVisit.CreatedDeal = false
	return dropIfUnused(ctx, tx, oldVisit)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '、' || r == ',' || r == '，' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

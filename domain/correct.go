package domain

import (
	"context"
	"fmt"
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
	FieldCustomer: "客户", FieldAmount: "金额", FieldStage: "阶段", FieldChannel: "方式",
	FieldVisitDate: "拜访日期", FieldNextDate: "下次跟进日期", FieldNextAction: "下一步",
	FieldContacts: "联系人", FieldSummary: "摘要",
}

// FieldLabel is the Chinese name of a correctable field.
func FieldLabel(f string) string { return fieldLabels[f] }

// Correction changes one field of a record. Value is the new value in its
// canonical form: a customer name, an integer amount in yuan, a stage or
// channel code, a YYYY-MM-DD date, contacts separated by "|" (with a
// leading "+": added to those already on the record).
type Correction struct {
	Field string
	Value string
}

// Change is one field a correction changed, as shown to the rep.
type Change struct {
	Field    string
	Old, New string
}

// Unapplied is a part of a correction that was not applied, and why.
type Unapplied struct {
	Field  string
	Value  string
	Reason string
}

// Corrected is the record after a correction: what changed, what could not
// be applied, and the record as it now stands (for its card).
type Corrected struct {
	Recorded
	Changes   []Change
	Unapplied []Unapplied
	// OldDate is the visit date before the correction: that day's figures
	// changed too when the date moved.
	OldDate Date
}

// Correct applies every correction in cs to one of actor's records
// (visitID 0: the last one) in one transaction, keeping the deal, its stage
// history and the follow-up in step. A correction without a value, or with
// one that cannot be read, is not applied and is listed in Unapplied: a
// correction never empties a field.
func (s *Service) Correct(ctx context.Context, actor Member, visitID int64, cs []Correction) (Corrected, error) {
	if err := checkActive(actor); err != nil {
		return Corrected{}, err
	}
	for _, c := range cs {
		if _, ok := fieldLabels[c.Field]; !ok {
			return Corrected{}, Errorf(EINVALID, "不能修改「%s」，可以改：客户、金额、阶段、沟通方式、拜访日期、下次跟进日期、联系人", c.Field)
		}
	}
	var out Corrected
	err := s.inTx(ctx, true, func(tx Store) error {
		v, err := ownVisit(ctx, tx, actor, visitID)
		if err != nil {
			return err
		}
		if v.Undone() {
			return Errorf(ECONFLICT, "这条记录已经撤销了，不能再修改")
		}
		out = Corrected{OldDate: v.VisitDate}
		before := v
		var move *Correction
		for _, c := range cs {
			if c.Field == FieldCustomer && strings.TrimSpace(c.Value) != "" {
				move = &c // last: the deal must already carry the corrected stage and amount
				continue
			}
			if err := s.applyCorrection(ctx, tx, actor, &v, c, &out); err != nil {
				return err
			}
		}
		if v.Stage != before.Stage || v.Amount != before.Amount {
			if err := s.restage(ctx, tx, actor, before, v); err != nil {
				return err
			}
		}
		if move != nil {
			if err := s.applyCorrection(ctx, tx, actor, &v, *move, &out); err != nil {
				return err
			}
		}
		if len(out.Changes) > 0 {
			if err := v.Validate(); err != nil {
				return err
			}
			v.Rev++
			if err := tx.UpdateVisit(ctx, &v); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, correctionEntry(v, out.Changes)); err != nil {
				return err
			}
		}
		return s.loadRecord(ctx, tx, actor, v, &out.Recorded)
	})
	return out, err
}

// applyCorrection applies one correction to v. A value that is missing or
// cannot be read is noted in out.Unapplied; other errors abort.
func (s *Service) applyCorrection(ctx context.Context, tx Records, actor Member, v *Visit, c Correction, out *Corrected) error {
	val := strings.TrimSpace(c.Value)
	if val == "" {
		out.Unapplied = append(out.Unapplied, Unapplied{Field: c.Field, Reason: "没有看出新的值"})
		return nil
	}
	old, nw, err := s.setField(ctx, tx, actor, v, c.Field, val)
	if ErrorCode(err) == EINVALID {
		out.Unapplied = append(out.Unapplied, Unapplied{Field: c.Field, Value: val, Reason: ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	if old != nw {
		out.Changes = append(out.Changes, Change{Field: c.Field, Old: old, New: nw})
	}
	return nil
}

// setField sets one field of v from a non-empty value and returns the old
// and new values as shown. It checks the value before changing anything.
func (s *Service) setField(ctx context.Context, tx Records, actor Member, v *Visit, field, val string) (old, nw string, err error) {
	switch field {
	case FieldAmount:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n <= 0 {
			return "", "", Errorf(EINVALID, "金额「%s」看不懂", val)
		}
		old, v.Amount = amountLabel(v.Amount), n
		return old, Yuan(n), nil
	case FieldStage:
		st, err := ParseStage(val)
		if err != nil {
			return "", "", err
		}
		old, v.Stage = v.Stage.Label(), st
		return old, st.Label(), nil
	case FieldChannel:
		ch, err := ParseChannel(val)
		if err != nil {
			return "", "", err
		}
		old, v.Channel = v.Channel.Label(), ch
		return old, ch.Label(), nil
	case FieldVisitDate:
		d, err := ParseDate(val)
		if err != nil {
			return "", "", err
		}
		if d > s.Today() {
			return "", "", Errorf(EINVALID, "拜访日期 %s 还没到；计划要做的事请说「下次跟进改到…」", d)
		}
		old, v.VisitDate = string(v.VisitDate), d
		return old, string(d), nil
	case FieldNextDate:
		d, err := ParseDate(val)
		if err != nil {
			return "", "", err
		}
		old, v.NextDate = string(v.NextDate), d
		return old, string(d), s.resetFollowUp(ctx, tx, actor, *v)
	case FieldNextAction:
		old, v.NextAction = v.NextAction, val
		return old, val, nil
	case FieldSummary:
		old, v.Summary = v.Summary, val
		return old, val, nil
	case FieldContacts:
		// "+" before the list adds to the contacts already there (联系人加上孙工).
		add := strings.HasPrefix(val, "+")
		names := splitList(strings.TrimPrefix(val, "+"))
		if add {
			names = unionNames(v.Contacts, names)
		}
		if len(names) == 0 {
			return "", "", Errorf(EINVALID, "没有看出联系人")
		}
		old, v.Contacts = strings.Join(v.Contacts, "、"), names
		return old, strings.Join(names, "、"), tx.AddContacts(ctx, v.CustomerID, names)
	case FieldCustomer:
		return s.moveToCustomer(ctx, tx, actor, v, val)
	}
	return "", "", nil
}

func amountLabel(v int64) string {
	if v <= 0 {
		return ""
	}
	return Yuan(v)
}

// restage re-applies a corrected visit's stage and amount to its deal: the
// moves the visit made are taken back and the corrected values applied as
// one move, so the history reads as if the report had said them. A
// correction may move a stage backwards (the report was misread).
func (s *Service) restage(ctx context.Context, tx Records, actor Member, before, v Visit) error {
	if err := revertStage(ctx, tx, before); err != nil {
		return err
	}
	d, err := tx.DealByID(ctx, v.DealID)
	if err != nil {
		return err
	}
	hist, err := tx.StageHistory(ctx, d.ID)
	if err != nil {
		return err
	}
	if v.Amount > 0 {
		d.Amount = v.Amount
	}
	to := d.Stage
	if v.Stage != "" {
		to = v.Stage
	}
	if len(hist) == 0 || to != d.Stage {
		from := d.Stage
		if len(hist) == 0 {
			from = ""
		}
		ch := StageChange{DealID: d.ID, TeamID: d.TeamID, VisitID: v.ID, MemberID: actor.ID, From: from, To: to, Amount: d.Amount, At: s.now()}
		if err := tx.AppendStageChange(ctx, &ch); err != nil {
			return err
		}
		d.Stage, d.Status = to, StatusFor(to)
	}
	return tx.UpdateDeal(ctx, &d)
}

func (s *Service) updateDeal(ctx context.Context, tx Records, id int64, fn func(*Deal)) error {
	d, err := tx.DealByID(ctx, id)
	if err != nil {
		return err
	}
	fn(&d)
	return tx.UpdateDeal(ctx, &d)
}

// resetFollowUp replaces the follow-up a visit opened with one on its new
// next date (none when the date was cleared).
func (s *Service) resetFollowUp(ctx context.Context, tx Records, actor Member, v Visit) error {
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
func (s *Service) moveToCustomer(ctx context.Context, tx Records, actor Member, v *Visit, name string) (string, string, error) {
	old, err := tx.CustomerByID(ctx, v.CustomerID)
	if err != nil {
		return "", "", err
	}
	cust, created, err := s.resolveCustomer(ctx, tx, actor, Report{Facts: Facts{Customer: name}})
	if err != nil {
		return "", "", err
	}
	if cust.ID == old.ID {
		return old.Name, cust.Name, nil
	}
	return old.Name, cust.Name, s.refile(ctx, tx, actor, v, cust, created)
}

// refile moves v to cust.
func (s *Service) refile(ctx context.Context, tx Records, actor Member, v *Visit, cust Customer, created bool) error {
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
		if _, err := s.advanceDeal(ctx, tx, actor, &d, v.ID, Facts{Stage: v.Stage, Amount: v.Amount}, s.now(), opened); err != nil {
			return err
		}
	}
	if _, err := updateTasks(ctx, tx, TaskFilter{VisitID: v.ID, Status: TaskOpen}, func(t *Task) {
		t.CustomerID, t.DealID = v.CustomerID, v.DealID
	}); err != nil {
		return err
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

// correctionEntry is the audit entry of the changes made to v.
func correctionEntry(v Visit, changes []Change) AuditEntry {
	var before, after []string
	for _, c := range changes {
		before = append(before, fieldLabels[c.Field]+" "+c.Old)
		after = append(after, fieldLabels[c.Field]+" "+c.New)
	}
	return AuditEntry{TeamID: v.TeamID, Action: AuditCorrect, Subject: fmt.Sprintf("visit:%d", v.ID),
		Before: strings.Join(before, "；"), After: strings.Join(after, "；")}
}

// unionNames is a followed by the names of b it does not have.
func unionNames(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, n := range b {
		found := false
		for _, m := range out {
			if m == n {
				found = true
				break
			}
		}
		if !found {
			out = append(out, n)
		}
	}
	return out
}

package domain

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Report is what a rep told the bot about one interaction, already understood
// (by the parser or a card) and ready to store.
type Report struct {
	Platform    Platform
	SourceMsgID string
	Text        string    // the raw message
	At          time.Time // when it was sent

	CustomerID int64 // a known customer chosen by the rep; wins over Facts.Customer
	// Facts.Customer, when CustomerID is zero, is resolved by name or alias
	// and created when unknown; a zero Facts.VisitDate is the day of At.
	Facts
}

// Recorded is what storing a report did.
type Recorded struct {
	Visit       Visit
	Customer    Customer
	Deal        Deal
	Task        *Task        // the follow-up opened, if any
	StageChange *StageChange // the stage move, if any
	NewCustomer bool
	Duplicate   bool // the message had been stored before; nothing changed
	// DealHidden: the customer is a teammate's, whose deal the reporter may
	// not read; show only what the report itself said.
	DealHidden bool
}

// RecordReport stores a report in one transaction: resolve or create the
// customer, find or open the deal, append the visit, move the stage with
// history and open the follow-up task. It is idempotent on (platform, source
// message id): a redelivered message returns the first record.
func (s *Service) RecordReport(ctx context.Context, actor Member, r Report) (Recorded, error) {
	if err := checkActive(actor); err != nil {
		return Recorded{}, err
	}
	if r.Platform == "" || strings.TrimSpace(r.SourceMsgID) == "" {
		return Recorded{}, Errorf(EINVALID, "消息缺少来源编号")
	}
	if r.CustomerID == 0 && strings.TrimSpace(r.Customer) == "" {
		return Recorded{}, Errorf(EINVALID, "没有看出是哪个客户，请写上客户名称")
	}
	if r.Stage != "" && !r.Stage.Valid() {
		return Recorded{}, Errorf(EINVALID, "不认识的阶段「%s」", r.Stage)
	}
	if r.Amount < 0 {
		return Recorded{}, Errorf(EINVALID, "金额不能为负数")
	}
	if r.At.IsZero() {
		r.At = s.now()
	}
	if r.VisitDate.IsZero() {
		r.VisitDate = DateOf(r.At, s.loc)
	}
	var out Recorded
	err := s.inTx(ctx, true, func(tx Store) error {
		out = Recorded{}
		return s.recordTx(ctx, tx, actor, r, &out)
	})
	if err != nil {
		return Recorded{}, err
	}
	return out, nil
}

func (s *Service) recordTx(ctx context.Context, tx Records, actor Member, r Report, out *Recorded) error {
	if v, err := tx.VisitBySource(ctx, r.Platform, r.SourceMsgID); err == nil {
		return s.loadRecorded(ctx, tx, actor, v, out)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	now := s.now()

	cust, created, err := s.resolveCustomer(ctx, tx, actor, r)
	if err != nil {
		return err
	}
	out.Customer, out.NewCustomer = cust, created
	out.DealHidden = !canRead(actor, cust.OwnerID, cust.TeamID)
	if err := tx.AddContacts(ctx, cust.ID, r.Contacts); err != nil {
		return err
	}

	deal, dealCreated, err := s.findOrOpenDeal(ctx, tx, actor, cust, r, now)
	if err != nil {
		return err
	}

	v := Visit{
		MemberID: actor.ID, TeamID: actor.TeamID, CustomerID: cust.ID, DealID: deal.ID,
		Channel: r.Channel, VisitDate: r.VisitDate, Contacts: r.Contacts,
		Stage: r.Stage, Amount: r.Amount, Summary: r.Summary,
		NextAction: r.NextAction, NextDate: r.NextDate,
		Platform: r.Platform, SourceMsgID: r.SourceMsgID, RawText: r.Text, ReportedAt: r.At,
		CreatedCustomer: created, CreatedDeal: dealCreated, CreatedAt: now,
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if err := tx.CreateVisit(ctx, &v); err != nil {
		return err
	}
	out.Visit = v

	change, err := s.advanceDeal(ctx, tx, actor, &deal, v.ID, r.Facts, now, dealCreated)
	if err != nil {
		return err
	}
	out.Deal, out.StageChange = deal, change

	if err := fulfilFollowUps(ctx, tx, v, now); err != nil {
		return err
	}
	if !r.NextDate.IsZero() {
		t := Task{
			OwnerID: actor.ID, TeamID: actor.TeamID, CustomerID: cust.ID, DealID: deal.ID,
			VisitID: v.ID, Title: taskTitle(r, cust), Due: r.NextDate, Status: TaskOpen, CreatedAt: now,
		}
		if err := tx.CreateTask(ctx, &t); err != nil {
			return err
		}
		out.Task = &t
	}
	return nil
}

// fulfilFollowUps marks done the rep's open follow-ups with the visit's
// customer that were due by the visit's day: a plan (明天去拜访…) or an
// earlier report's next step is fulfilled by the visit itself, so it is not
// left open nor counted twice. The visit is kept on each, so that undoing
// it reopens them. Follow-ups due later stay open.
func fulfilFollowUps(ctx context.Context, tx Records, v Visit, now time.Time) error {
	_, err := updateTasks(ctx, tx, TaskFilter{OwnerID: v.MemberID, CustomerID: v.CustomerID, Status: TaskOpen, DueTo: v.VisitDate},
		func(t *Task) { t.Status, t.DoneAt, t.DoneBy = TaskDone, &now, v.ID })
	return err
}

// reopenFollowUps reopens the follow-ups a visit fulfilled (it was undone).
func reopenFollowUps(ctx context.Context, tx Records, visitID int64) error {
	_, err := updateTasks(ctx, tx, TaskFilter{DoneBy: visitID, Status: TaskDone},
		func(t *Task) { t.Status, t.DoneAt, t.DoneBy = TaskOpen, nil, 0 })
	return err
}

// ResolveCustomer finds the known customers a name refers to: none (a new
// customer), one, or several (the rep must choose).
func (s *Service) ResolveCustomer(ctx context.Context, name string) ([]Customer, error) {
	return s.store.FindCustomersByName(ctx, strings.TrimSpace(name))
}

func (s *Service) resolveCustomer(ctx context.Context, tx Records, actor Member, r Report) (Customer, bool, error) {
	if r.CustomerID != 0 {
		c, err := tx.CustomerByID(ctx, r.CustomerID)
		if errors.Is(err, ErrNotFound) {
			return Customer{}, false, Errorf(ENOTFOUND, "找不到这个客户")
		}
		if err != nil {
			return Customer{}, false, err
		}
		return c, false, checkWriteCustomer(ctx, tx, actor, &c)
	}
	name := strings.TrimSpace(r.Customer)
	found, err := tx.FindCustomersByName(ctx, name)
	if err != nil {
		return Customer{}, false, err
	}
	switch len(found) {
	case 1:
		c := found[0]
		return c, false, checkWriteCustomer(ctx, tx, actor, &c)
	case 0:
		c := Customer{Name: name, Tier: TierC, OwnerID: actor.ID, TeamID: actor.TeamID, CreatedAt: s.now()}
		if err := c.Validate(); err != nil {
			return Customer{}, false, err
		}
		if err := tx.CreateCustomer(ctx, &c); err != nil {
			return Customer{}, false, err
		}
		return c, true, nil
	}
	return Customer{}, false, Errorf(EINVALID, "「%s」对应多个客户，请说明是哪一个", name)
}

func (s *Service) findOrOpenDeal(ctx context.Context, tx Records, actor Member, cust Customer, r Report, now time.Time) (Deal, bool, error) {
	d, err := tx.OpenDealOf(ctx, cust.ID)
	if err == nil {
		return d, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Deal{}, false, err
	}
	owner, team := cust.OwnerID, cust.TeamID
	if owner == 0 {
		owner, team = actor.ID, actor.TeamID
	}
	d = Deal{
		CustomerID: cust.ID, OwnerID: owner, TeamID: team, Title: cust.Name,
		Stage: StageProspecting, Status: DealOpen, LastActivityAt: now, CreatedAt: now,
	}
	if err := tx.CreateDeal(ctx, &d); err != nil {
		return Deal{}, false, err
	}
	return d, true, nil
}

// advanceDeal moves the deal to the report's stage (only forward along the
// funnel, or to lost), records the move, and keeps what the report said of
// the deal: amount, expected signing month, competitor and reason of a loss.
func (s *Service) advanceDeal(ctx context.Context, tx Records, actor Member, d *Deal, visitID int64, f Facts, now time.Time, opened bool) (*StageChange, error) {
	stage := f.Stage
	if f.Amount > 0 {
		d.Amount = f.Amount
	}
	if f.ExpectedClose != "" {
		d.ExpectedClose = f.ExpectedClose
	}
	d.LastActivityAt = now
	var change *StageChange
	from := d.Stage
	if opened {
		from = ""
	}
	to := d.Stage
	if stage != "" && (stage == StageLost || stage.Rank() > d.Stage.Rank()) {
		to = stage
	}
	if opened || to != d.Stage {
		change = &StageChange{DealID: d.ID, TeamID: d.TeamID, VisitID: visitID, MemberID: actor.ID, From: from, To: to, Amount: d.Amount, At: now}
		if err := tx.AppendStageChange(ctx, change); err != nil {
			return nil, err
		}
		d.Stage, d.Status = to, StatusFor(to)
	}
	if d.Stage == StageLost && stage == StageLost {
		if f.LostTo != "" {
			d.LostTo = f.LostTo
		}
		if f.LostReason != "" {
			d.LostReason = f.LostReason
		}
	}
	if err := tx.UpdateDeal(ctx, d); err != nil {
		return nil, err
	}
	return change, nil
}

// loadRecorded reads back what a redelivered message stored.
func (s *Service) loadRecorded(ctx context.Context, tx Records, actor Member, v Visit, out *Recorded) error {
	if err := s.loadRecord(ctx, tx, actor, v, out); err != nil {
		return err
	}
	out.Duplicate = true
	return nil
}

// loadRecord reads a stored visit with its customer, deal and follow-up as
// the reporter sees them (a card shows it).
func (s *Service) loadRecord(ctx context.Context, tx Records, actor Member, v Visit, out *Recorded) error {
	// Undo may have removed the customer and deal an undone visit created.
	gone := func(err error) bool { return v.Undone() && errors.Is(err, ErrNotFound) }
	c, err := tx.CustomerByID(ctx, v.CustomerID)
	if err != nil && !gone(err) {
		return err
	}
	d, err := tx.DealByID(ctx, v.DealID)
	if err != nil && !gone(err) {
		return err
	}
	*out = Recorded{Visit: v, Customer: c, Deal: d, NewCustomer: v.CreatedCustomer,
		DealHidden: c.ID != 0 && !canRead(actor, c.OwnerID, c.TeamID)}
	tasks, err := tx.ListTasks(ctx, TaskFilter{VisitID: v.ID})
	if err != nil {
		return err
	}
	for i := range tasks {
		if out.Task == nil || tasks[i].Status == TaskOpen {
			out.Task = &tasks[i]
		}
	}
	return nil
}

// OwnRecord reads one of actor's own records as its card shows it.
func (s *Service) OwnRecord(ctx context.Context, actor Member, visitID int64) (Recorded, error) {
	v, err := ownVisit(ctx, s.store, actor, visitID)
	if err != nil {
		return Recorded{}, err
	}
	var out Recorded
	return out, s.loadRecord(ctx, s.store, actor, v, &out)
}

func taskTitle(r Report, c Customer) string {
	if a := strings.TrimSpace(r.NextAction); a != "" {
		return a
	}
	return "跟进" + c.Name
}

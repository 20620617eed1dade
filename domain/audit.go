package domain

import (
	"context"
	"time"
)

// AuditEntry records one change a person made to someone else's data or to
// ownership: who, when, what, and the values before and after.
type AuditEntry struct {
	ID      int64
	At      time.Time
	ActorID int64
	Actor   string // the actor's name at the time
	TeamID  int64  // the team whose data changed (who may read the entry)
	Action  string // one of the Audit* actions
	Subject string // what changed: "visit:12", "customer:5", "member:3", "team:2", "calendar:2026-10-01"
	Before  string
	After   string
}

// The audited actions.
const (
	AuditCorrect  = "correct"  // a stored report's field changed
	AuditUndo     = "undo"     // a stored report withdrawn
	AuditMerge    = "merge"    // a report merged into an earlier one
	AuditHandover = "handover" // a departed rep's customers, deals and tasks moved
	AuditClaim    = "claim"    // a customer claimed from the public pool
	AuditAssign   = "assign"   // a customer given to a member by a manager
	AuditSettings = "settings" // a team setting or the holiday calendar changed
)

// AuditLabel is the Chinese name of an action, for files and chat.
func AuditLabel(action string) string {
	switch action {
	case AuditCorrect:
		return "修改记录"
	case AuditUndo:
		return "撤销记录"
	case AuditMerge:
		return "合并记录"
	case AuditHandover:
		return "离职交接"
	case AuditClaim:
		return "领取客户"
	case AuditAssign:
		return "分配客户"
	case AuditSettings:
		return "修改设置"
	}
	return action
}

// AuditFilter selects entries: At within [From, To) (zero: open) and, when
// TeamID is set, one team's.
type AuditFilter struct {
	From, To time.Time
	TeamID   int64
}

// AuditStore keeps the audit trail (part of Records), also inside a
// transaction, so that an entry is written with the change it records or
// not at all.
type AuditStore interface {
	AppendAudit(ctx context.Context, e *AuditEntry) error
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// audit records e, made by actor, in st (the transaction making the change).
func (s *Service) audit(ctx context.Context, as AuditStore, actor Member, e AuditEntry) error {
	e.At, e.ActorID, e.Actor = s.now(), actor.ID, actor.Name
	if e.ActorID == 0 {
		e.Actor = "系统" // the command line, an import, a job
	}
	return as.AppendAudit(ctx, &e)
}

// AuditLog lists the audit trail between from and to (inclusive days in the
// service's time zone; zero: open-ended), oldest first: all of it for an
// admin, their team's for a manager; reps may not read it.
func (s *Service) AuditLog(ctx context.Context, actor Member, from, to Date) ([]AuditEntry, error) {
	if err := checkManage(actor); err != nil {
		return nil, err
	}
	f := AuditFilter{}
	if actor.Role != RoleAdmin {
		f.TeamID = actor.TeamID
	}
	if !from.IsZero() {
		f.From = from.Time(s.loc)
	}
	if !to.IsZero() {
		f.To = to.AddDays(1).Time(s.loc)
	}
	return s.store.ListAudit(ctx, f)
}

package domain

import (
	"strings"
	"time"
)

// Visit is one logged interaction with a customer: the record a rep's report
// becomes.
type Visit struct {
	ID         int64
	MemberID   int64
	TeamID     int64
	CustomerID int64
	DealID     int64
	Channel    Channel
	VisitDate  Date
	Contacts   []string
	Stage      Stage // the stage this report said the deal reached ("" none)
	Amount     int64 // the amount this report named (0 none)
	Summary    string
	NextAction string
	NextDate   Date

	Platform    Platform
	SourceMsgID string // the platform's message id: redelivery is stored once
	RawText     string
	ReportedAt  time.Time // when the rep sent it (may be after VisitDate: 补录)

	// What this visit created, so that undo can take it back.
	CreatedCustomer bool
	CreatedDeal     bool
	UndoneAt        *time.Time
	CreatedAt       time.Time
	// Rev counts the changes made to the record since it was stored
	// (correct, merge, undo). A card shows one revision; its buttons carry
	// it, so that a click on a card older than the record does not act.
	Rev int
}

// Validate checks a visit before it is stored.
func (v Visit) Validate() error {
	if v.MemberID == 0 || v.CustomerID == 0 {
		return Errorf(EINVALID, "拜访记录缺少成员或客户")
	}
	if _, err := ParseDate(string(v.VisitDate)); err != nil || v.VisitDate.IsZero() {
		return Errorf(EINVALID, "拜访日期不对")
	}
	if v.Stage != "" && !v.Stage.Valid() {
		return Errorf(EINVALID, "不认识的阶段「%s」", v.Stage)
	}
	if v.Amount < 0 {
		return Errorf(EINVALID, "金额不能为负数")
	}
	if strings.TrimSpace(v.SourceMsgID) == "" || v.Platform == "" {
		return Errorf(EINVALID, "拜访记录缺少来源消息")
	}
	return nil
}

// Undone reports whether the rep took the record back.
func (v Visit) Undone() bool { return v.UndoneAt != nil }

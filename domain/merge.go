package domain

import (
	"context"
	"fmt"
	"strings"
)

// SameDayVisit finds the member's live visit to the customer on day, unless
// the message (platform, msgID) is itself already stored (a redelivery is
// not a second report).
func (s *Service) SameDayVisit(ctx context.Context, actor Member, customerID int64, day Date, p Platform, msgID string) (Visit, bool, error) {
	vs, err := s.store.ListVisits(ctx, VisitFilter{MemberID: actor.ID, CustomerID: customerID, From: day, To: day})
	if err != nil || len(vs) == 0 {
		return Visit{}, false, err
	}
	for _, v := range vs {
		if v.Platform == p && v.SourceMsgID == msgID {
			return Visit{}, false, nil
		}
	}
	return vs[0], true, nil
}

// MergeReport adds a second report about the same interaction to an earlier
// visit of the member's instead of storing a near-duplicate: new contacts
// join, a named channel, amount, stage or next step replaces the old one.
func (s *Service) MergeReport(ctx context.Context, actor Member, visitID int64, r Report) (Recorded, error) {
	if err := checkActive(actor); err != nil {
		return Recorded{}, err
	}
	var out Recorded
	err := s.inTx(ctx, false, func(tx Store) error {
		v, err := ownVisit(ctx, tx, actor, visitID)
		if err != nil {
			return err
		}
		if v.Undone() {
			return Errorf(ECONFLICT, "要合并的记录已经撤销了")
		}
		now := s.now()
		before := v.RawText
		v.Contacts = union(v.Contacts, r.Contacts)
		if err := tx.AddContacts(ctx, v.CustomerID, r.Contacts); err != nil {
			return err
		}
		if r.Channel != "" {
			v.Channel = r.Channel
		}
		if r.Amount > 0 {
			v.Amount = r.Amount
		}
		if r.Stage != "" {
			v.Stage = r.Stage
		}
		if r.Summary != "" && !strings.Contains(v.Summary, r.Summary) {
			v.Summary = strings.TrimSpace(v.Summary + "；" + r.Summary)
		}
		v.RawText = strings.TrimSpace(v.RawText + "\n" + r.Text)
		nextChanged := !r.NextDate.IsZero() && r.NextDate != v.NextDate
		if nextChanged {
			v.NextDate = r.NextDate
			if r.NextAction != "" {
				v.NextAction = r.NextAction
			}
		}
		d, err := tx.DealByID(ctx, v.DealID)
		if err != nil {
			return err
		}
		change, err := s.advanceDeal(ctx, tx, actor, &d, v.ID, r.Facts, now, false)
		if err != nil {
			return err
		}
		v.Rev++
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		if nextChanged {
			if err := s.resetFollowUp(ctx, tx, actor, v); err != nil {
				return err
			}
		}
		if err := s.loadRecord(ctx, tx, actor, v, &out); err != nil {
			return err
		}
		out.StageChange = change
		return s.audit(ctx, tx, actor, AuditEntry{TeamID: v.TeamID, Action: AuditMerge, Subject: fmt.Sprintf("visit:%d", v.ID),
			Before: before, After: "并入：" + r.Text})
	})
	return out, err
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		dup := false
		for _, y := range out {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// LearnAlias remembers that the member calls customerID by word, so the
// bot asks "which customer?" once, not every time. A word that already names
// another customer is not taken.
func (s *Service) LearnAlias(ctx context.Context, actor Member, customerID int64, word string) (bool, error) {
	word = strings.TrimSpace(word)
	if err := checkActive(actor); err != nil || word == "" {
		return false, err
	}
	learned := false
	err := s.inTx(ctx, false, func(tx Store) error {
		c, err := tx.CustomerByID(ctx, customerID)
		if err != nil {
			return err
		}
		if c.HasName(word) {
			return nil
		}
		others, err := tx.FindCustomersByName(ctx, word)
		if err != nil || len(others) > 0 {
			return err
		}
		c.Aliases = append(c.Aliases, word)
		learned = true
		return tx.UpdateCustomer(ctx, &c)
	})
	return learned, err
}

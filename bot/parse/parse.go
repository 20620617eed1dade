package parse

import (
	"strings"
	"time"
	"unicode/utf8"

	"salesbot/domain"
)

// Parse reads one message sent at at. Calendar dates are computed in
// at.Location(), so at should carry the tenant's time zone (SALESBOT_TZ).
// Parse is a pure function of its inputs; the Record's ID is left empty.
func (d *Dictionary) Parse(text string, at time.Time) Record {
	rec := newRecord()
	m := prepare(truncate(text), at, d.tab)
	for _, h := range m.hits {
		if h.cat == catProduct {
			m.masked = append(m.masked, span{int(h.pos), int(h.end)})
		}
	}
	m.known = d.idx.match(m.t)
	if len(m.masked) > 0 {
		kept := m.known[:0]
		for _, k := range m.known {
			if !m.isMasked(k.start) {
				kept = append(kept, k)
			}
		}
		m.known = kept
	}
	m.findDenials()
	m.scanDates()
	m.findContacts()
	m.findLatinPeople()
	m.dropCollisions(&d.idx)
	m.keepCustomerPeople()
	if len(m.known) == 0 {
		m.indexPositions()
		if m.org.end <= m.org.start {
			m.org = m.findOrg()
		}
		m.contactAfterOrg()
		m.keepOrgPeople()
	}
	s := string(m.t)
	body, addressed := d.mentions(s)

	ch := m.channel()
	st := m.stage(d.tab)
	amt, hasAmt := m.amount()
	if st == domain.StageQuote && m.apartOnPrice() {
		st = domain.StageNegotiation // 预算只有20万，我们报的35万
	}
	contacts := m.contactNames()
	f := features{
		customer: len(m.known) > 0 || m.org.end > m.org.start,
		contacts: len(contacts) > 0,
		channel:  ch != "",
		stage:    st != "",
		amount:   hasAmt,
	}
	f.plan = f.customer && m.isPlan(ch, st, contacts)
	reportLike := f.contacts || f.customer && (f.stage || f.channel || f.amount || f.plan)
	if endsAsQuestion(body) && !f.contacts && !f.channel {
		reportLike = false // 华辰集团的合同签了吗: a question about a deal
	}
	if !forwarded(s) {
		if cmd := d.command(m, body, reportLike); cmd != nil {
			if addressed || groupAddress(body) {
				return rec
			}
			rec.Intent, rec.Command = domain.IntentCommand, cmd
			return rec
		}
	}
	rec.Intent = decideIntent(body, f, addressed)
	if rec.Intent != domain.IntentReport {
		return rec
	}

	cust := m.org
	if k, ok := m.pickKnown(); ok {
		name, known, cands := d.customerName(k, m)
		rec.Customer, rec.CustomerKnown = name, known
		rec.CustomerAmbiguous, rec.Candidates = len(cands) > 0, cands
		cust = span{k.start, k.end}
	} else if m.org.end > m.org.start {
		rec.Customer = string(m.src[m.org.start:m.org.end])
		rec.Resembles = m.resembles
	}
	rec.Plan = f.plan
	switch st {
	case domain.StageLost:
		rec.LostTo, rec.LostReason = m.lostTo(cust), m.lostReason(d.tab)
	case domain.StageWon:
	default:
		rec.ExpectedClose = m.expectedClose()
	}
	rec.Contacts = contacts
	rec.Channel, rec.Stage = ch, st
	rec.VisitDate = domain.Date(formatDay(m.visitDate()))
	if hasAmt {
		rec.Amount = amt
	}
	if nd, k, ok := m.nextDate(); ok {
		rec.NextDate = domain.Date(formatDay(nd))
		rec.NextAction = m.clauseText(m.dates[k].start)
	} else if h, ok := m.firstPlan(); ok {
		rec.NextAction = m.clauseText(int(h.pos))
	}
	rec.Summary = summary(m.src)
	return rec
}

// firstPlan returns the first plan word (再, 准备, 下一步…), if any.
func (m *msg) firstPlan() (hit, bool) {
	for _, h := range m.hits {
		if h.cat == catFuture && h.val == futureStrong {
			return h, true
		}
	}
	return hit{}, false
}

// clauseText returns the clause (up to a sentence break or comma) holding
// position i, as written.
func (m *msg) clauseText(i int) string {
	a, b := clauseStart(m.t, i, false), clauseEnd(m.t, i, false)
	a, b = trimSpan(m.t, a, b)
	return string(m.src[a:b])
}

// summary is the message on one line, at most 80 runes.
func summary(src []rune) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range src {
		if isSpace(r) {
			space = n > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= 80 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	s := b.String()
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

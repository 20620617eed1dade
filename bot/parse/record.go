package parse

import (
	"bytes"
	"encoding/json"

	"salesbot/domain"
)

// Record is what Parse makes of one message: the intent and, for reports,
// the domain's one report shape (domain.Facts). Its JSON form is the output
// object of `salesbot parse` (CONTRACT.md): absent fields are null and
// contacts is never null.
//
// Only reports carry facts; other intents leave them zero.
type Record struct {
	ID     string
	Intent domain.Intent
	domain.Facts

	// CustomerKnown is true when Customer is the canonical name of a
	// dictionary customer, false when it was taken as written.
	CustomerKnown bool
	// CustomerAmbiguous is true when the words naming the customer fit
	// several known customers equally; Candidates lists their canonical
	// names and Customer holds the words as written. The router should ask.
	CustomerAmbiguous bool
	Candidates        []string
	// Resembles lists known customers whose short name the organisation as
	// written begins with but goes on past (known 华辰, written 华辰物联):
	// not that customer until the rep says so. The router should ask.
	Resembles []string

	// Command describes the request when Intent is IntentCommand.
	Command *Command
}

// recordJSON is the CONTRACT.md output object.
type recordJSON struct {
	ID         string          `json:"id"`
	Intent     domain.Intent   `json:"intent"`
	Customer   *string         `json:"customer"`
	Contacts   []string        `json:"contacts"`
	Channel    *domain.Channel `json:"channel"`
	VisitDate  *domain.Date    `json:"visit_date"`
	Stage      *domain.Stage   `json:"stage"`
	Amount     *int64          `json:"amount"`
	NextDate   *domain.Date    `json:"next_date"`
	NextAction *string         `json:"next_action"`
	Summary    *string         `json:"summary"`
}

// MarshalJSON writes the CONTRACT.md object: zero facts become null.
func (r Record) MarshalJSON() ([]byte, error) {
	out := recordJSON{
		ID: r.ID, Intent: r.Intent, Contacts: r.Contacts,
		Customer: nonZero(r.Customer), Channel: nonZero(r.Channel), VisitDate: nonZero(r.VisitDate),
		Stage: nonZero(r.Stage), Amount: nonZero(r.Amount), NextDate: nonZero(r.NextDate),
		NextAction: nonZero(r.NextAction), Summary: nonZero(r.Summary),
	}
	if out.Contacts == nil {
		out.Contacts = []string{}
	}
	// Text stays as written: the caller's encoder decides on HTML escaping.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads the CONTRACT.md object back (tests and tools).
func (r *Record) UnmarshalJSON(b []byte) error {
	var in recordJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*r = Record{ID: in.ID, Intent: in.Intent}
	r.Contacts = in.Contacts
	r.Customer, r.Channel, r.VisitDate = deref(in.Customer), deref(in.Channel), deref(in.VisitDate)
	r.Stage, r.Amount, r.NextDate = deref(in.Stage), deref(in.Amount), deref(in.NextDate)
	r.NextAction, r.Summary = deref(in.NextAction), deref(in.Summary)
	return nil
}

func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func deref[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

// newRecord returns an empty record: intent other, no facts, no contacts.
func newRecord() Record {
	return Record{Intent: domain.IntentOther, Facts: domain.Facts{Contacts: []string{}}}
}

package parse

import "salesbot/domain"

// Intent says what a message is.
type Intent string

// The intents of CONTRACT.md.
const (
	IntentReport  Intent = "report"  // tells of an interaction or a change in a deal
	IntentCommand Intent = "command" // asks the bot for something
	IntentOther   Intent = "other"   // anything else
)

// Channel is how an interaction happened.
type Channel string

// The channels of CONTRACT.md.
const (
	ChannelOnsite Channel = "onsite"
	ChannelPhone  Channel = "phone"
	ChannelOnline Channel = "online"
)

// Record is what Parse makes of one message. Its JSON form is the output
// object of `salesbot parse` (CONTRACT.md): absent fields are null and
// Contacts is never null. Fields tagged "-" are for the bot router only.
//
// Only reports carry customer, contacts, channel, dates, stage, amount, next
// action and summary; other intents leave them null (and Contacts empty).
type Record struct {
	ID         string        `json:"id"`
	Intent     Intent        `json:"intent"`
	Customer   *string       `json:"customer"`
	Contacts   []string      `json:"contacts"`
	Channel    *Channel      `json:"channel"`
	VisitDate  *string       `json:"visit_date"` // YYYY-MM-DD
	Stage      *domain.Stage `json:"stage"`
	Amount     *int64        `json:"amount"`    // yuan
	NextDate   *string       `json:"next_date"` // YYYY-MM-DD
	NextAction *string       `json:"next_action"`
	Summary    *string       `json:"summary"`

	// CustomerKnown is true when Customer is the canonical name of a
	// dictionary customer, false when it was taken as written.
	CustomerKnown bool `json:"-"`
	// CustomerAmbiguous is true when the words naming the customer fit
	// several known customers equally; Candidates lists their canonical
	// names and Customer holds the words as written. The router should ask.
	CustomerAmbiguous bool     `json:"-"`
	Candidates        []string `json:"-"`

	// Command describes the request when Intent is IntentCommand.
	Command *Command `json:"-"`
}

// newRecord returns an empty record: intent other, no fields, no contacts.
func newRecord() Record {
	return Record{Intent: IntentOther, Contacts: []string{}}
}

func strPtr(s string) *string { return &s }

package domain

// Intent says what a chat message is for (CONTRACT.md).
type Intent string

// The intents.
const (
	IntentReport  Intent = "report"  // tells of an interaction or a change in a deal
	IntentCommand Intent = "command" // asks the bot for something
	IntentOther   Intent = "other"   // anything else
)

// Month is a calendar month, "YYYY-MM".
type Month string

// Facts are what one report says about an interaction with a customer. It is
// the one shape shared by the parser, the conversation (and its pending
// state) and the store: a new report field is added here only. Zero values
// mean "not said".
type Facts struct {
	Customer   string // canonical name of a known customer, else the organisation as written
	Contacts   []string
	Channel    Channel
	VisitDate  Date
	Stage      Stage
	Amount     int64 // yuan
	NextDate   Date
	NextAction string
	Summary    string

	LostTo        string // a lost deal: the competitor that won it, when named
	LostReason    string // a lost deal: why, when said
	ExpectedClose Month  // the month the customer is expected to sign
	Plan          bool   // only announces a future interaction: a dated task, never a visit
}

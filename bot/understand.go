package bot

import (
	"time"

	"salesbot/domain"
)

// CommandKind names a command the bot answers.
type CommandKind string

// The commands.
const (
	CmdRanking       CommandKind = "ranking"
	CmdMyCustomers   CommandKind = "my_customers"
	CmdFollowUpsDay  CommandKind = "followups_today"
	CmdFollowUpsWeek CommandKind = "followups_week"
	CmdDealProgress  CommandKind = "deal_progress"
	CmdTeamToday     CommandKind = "team_today"
	CmdUndo          CommandKind = "undo"
	CmdCorrect       CommandKind = "correct"
	CmdConfirm       CommandKind = "confirm"
	CmdHelp          CommandKind = "help"
	CmdExport        CommandKind = "export"
	CmdRemind        CommandKind = "set_reminder"
	CmdStats         CommandKind = "stats"
	CmdMyVisits      CommandKind = "my_visits"
	CmdFunnel        CommandKind = "funnel"     // 漏斗, 转化率
	CmdTargets       CommandKind = "targets"    // 我的目标
	CmdSetTarget     CommandKind = "set_target" // 设置目标 (managers)
)

// Command is a recognised command with its argument.
type Command struct {
	Kind     CommandKind
	Customer string // deal_progress: the customer asked about
	// Changes: a correction's fields with their new values; Unparsed: parts
	// of it that could not be read. Customer, on a correction, names the
	// customer whose latest record it corrects.
	Changes  []domain.Correction
	Unparsed []string
	Date     domain.Date // followups / set_reminder: the day named
	Period   string      // stats, rankings, my_visits, funnel: today, week, month, …
	Text     string      // set_reminder: what to be reminded of; set_target: its arguments
}

// Understanding is what the router needs to know about a message's text.
type Understanding struct {
	Intent  domain.Intent
	Command Command
	Report  Extract
}

// Extract is a report as the conversation holds it: the domain's report
// facts plus what the conversation knows about the customer. It is kept as
// is in a pending question's state.
type Extract struct {
	domain.Facts
	Known      bool     // Customer is a known customer's canonical name
	CustomerID int64    // that customer's id, when the understander knows it
	Candidates []string // several known customers matched equally: ask
	Resembles  []string // known customers the written name only begins like: ask
	Word       string   // the word the rep used for the customer
	Confirmed  bool     // the rep named the customer in answer to a question
}

// Understander turns text sent at a time into an Understanding. The rule
// parser (bot/parse) is one; a model-based extractor could be another.
type Understander interface {
	Understand(text string, at time.Time) Understanding
}

// CustomerNames is what an Understander needs to know about the tenant's
// customers; the router tells it when they change.
type CustomerNames struct {
	Name    string
	Aliases []string
}

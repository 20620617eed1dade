package bot

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"salesbot/bot/parse"
	"salesbot/domain"
)

// CustomerLister lists the tenant's customers (the store implements it).
type CustomerLister interface {
	ListCustomers(ctx context.Context, f domain.CustomerFilter) ([]domain.Customer, error)
}

// Parser is the rule-based Understander: bot/parse on a dictionary of the
// tenant's customers, reloaded when stale so that replicas see customers
// created elsewhere.
type Parser struct {
	src    CustomerLister
	lex    parse.Lexicon
	maxAge time.Duration

	mu        sync.Mutex // serialises reloads
	dict      atomic.Pointer[parse.Dictionary]
	customers atomic.Pointer[customerList]
	loaded    atomic.Int64 // unix nanos of the last load; 0: stale
}

type customerList struct {
	list []parse.Customer
	ids  map[string]int64 // canonical name → customer id
}

// NewParser builds the Parser. lex holds the tenant's own words (stage
// synonyms, products, aliases); the customer list comes from src.
func NewParser(src CustomerLister, lex parse.Lexicon) *Parser {
	p := &Parser{src: src, lex: lex, maxAge: 30 * time.Second}
	p.dict.Store(parse.NewDictionary(nil, lex))
	p.customers.Store(&customerList{})
	return p
}

// Invalidate makes the next Refresh reload the customer list.
func (p *Parser) Invalidate() { p.loaded.Store(0) }

// Refresh reloads the customer list when it is older than maxAge.
func (p *Parser) Refresh(ctx context.Context) error {
	if time.Since(time.Unix(0, p.loaded.Load())) < p.maxAge {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(time.Unix(0, p.loaded.Load())) < p.maxAge {
		return nil // another goroutine reloaded meanwhile
	}
	start := time.Now()
	list, err := p.src.ListCustomers(ctx, domain.CustomerFilter{})
	if err != nil {
		return err
	}
	cs := make([]parse.Customer, len(list))
	ids := make(map[string]int64, len(list))
	for i, c := range list {
		cs[i] = parse.Customer{Name: c.Name, Aliases: c.Aliases}
		ids[c.Name] = c.ID
	}
	p.dict.Store(parse.NewDictionary(cs, p.lex))
	p.customers.Store(&customerList{list: cs, ids: ids})
	p.loaded.Store(start.UnixNano())
	return nil
}

// Understand implements Understander.
func (p *Parser) Understand(text string, at time.Time) Understanding {
	if cmd, ok := menuWord(text); ok {
		return Understanding{Intent: domain.IntentCommand, Command: cmd}
	}
	if cmd, ok := cockpitWord(text); ok { // 漏斗, 我的目标, 设置目标 (bot/cockpit.go)
		return Understanding{Intent: domain.IntentCommand, Command: cmd}
	}
	if cmd, ok := poolWord(text); ok { // 公海, 领取 X, 分配 X 给 Y (bot/pool.go)
		return Understanding{Intent: domain.IntentCommand, Command: cmd}
	}
	rec := p.dict.Load().Parse(text, at)
	u := fromRecord(rec)
	if u.Intent == domain.IntentReport && u.Report.Known {
		// The customer list was read moments ago: save the router a lookup.
		u.Report.CustomerID = p.customers.Load().ids[u.Report.Customer]
	}
	return u
}

// menuWord recognises the bot's own menu words: the plain-text forms of the
// card buttons (platforms whose cards cannot call back send these words
// instead) and the short commands the help text lists.
func menuWord(text string) (Command, bool) {
	switch strings.Trim(strings.TrimSpace(text), "。.!！?？") {
	case "今天的跟进", "今日跟进", "今天跟进", "我的跟进":
		return Command{Kind: CmdFollowUpsDay}, true
	case "本周的跟进", "本周跟进", "这周的跟进":
		return Command{Kind: CmdFollowUpsWeek}, true
	case "今日团队", "今天团队", "团队今天", "团队今日":
		return Command{Kind: CmdTeamToday}, true
	case "我的拜访", "我的拜访记录", "本周拜访":
		return Command{Kind: CmdMyVisits}, true
	case "确认", "确认无误", "没问题":
		return Command{Kind: CmdConfirm}, true
	case "修改", "我要修改":
		return Command{Kind: CmdCorrect}, true
	case "撤销", "撤回", "撤销上一条", "删除上一条":
		return Command{Kind: CmdUndo}, true
	}
	return Command{}, false
}

var commandKinds = map[parse.CommandKind]CommandKind{
	parse.CommandRankings:       CmdRanking,
	parse.CommandMyCustomers:    CmdMyCustomers,
	parse.CommandFollowupsToday: CmdFollowUpsDay,
	parse.CommandFollowupsWeek:  CmdFollowUpsWeek,
	parse.CommandDealProgress:   CmdDealProgress,
	parse.CommandUndo:           CmdUndo,
	parse.CommandCorrect:        CmdCorrect,
	parse.CommandHelp:           CmdHelp,
	parse.CommandExport:         CmdExport,
	parse.CommandSetReminder:    CmdRemind,
	parse.CommandStats:          CmdStats,
	parse.CommandMyVisits:       CmdMyVisits,
	parse.CommandFunnel:         CmdFunnel,
	parse.CommandPool:           CmdPool,
	parse.CommandClaim:          CmdClaim,
	parse.CommandAssign:         CmdAssign,
}

func fromRecord(rec parse.Record) Understanding {
	u := Understanding{Intent: rec.Intent}
	switch rec.Intent {
	case domain.IntentCommand:
		if rec.Command == nil {
			u.Command = Command{Kind: CmdHelp}
			return u
		}
		c := rec.Command
		u.Command = Command{Kind: commandKinds[c.Kind], Customer: c.Customer,
			Date: domain.Date(c.Date), Period: c.Period, Text: c.Text, Unparsed: c.Unparsed}
		for _, ch := range c.Changes {
			v := ch.Value
			if ch.Field == parse.FieldContacts && len(ch.Values) > 0 {
				v = strings.Join(ch.Values, "|")
			}
			u.Command.Changes = append(u.Command.Changes, domain.Correction{Field: ch.Field, Value: v})
		}
		if u.Command.Kind == "" {
			u.Command.Kind = CmdHelp
		}
	case domain.IntentReport:
		x := Extract{Facts: rec.Facts, Known: rec.CustomerKnown, Candidates: rec.Candidates, Resembles: rec.Resembles, Word: rec.Customer}
		if rec.CustomerAmbiguous {
			x.Customer = ""
		}
		u.Report = x
	}
	return u
}

// Suggest names known customers whose canonical name or an alias contains
// name or is contained in it (at least two characters shared), or is one
// character away from it (a typo or a homophone: 华晨科技 for 华辰科技), at
// most five.
func (p *Parser) Suggest(name string) []string {
	name = strings.ToLower(strings.TrimSpace(name))
	if len([]rune(name)) < 2 {
		return nil
	}
	var out []string
	for _, c := range p.customers.Load().list {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			n = strings.ToLower(n)
			if len([]rune(n)) >= 2 && (strings.Contains(n, name) || strings.Contains(name, n)) || oneOff(n, name) {
				out = append(out, c.Name)
				break
			}
		}
		if len(out) == 5 {
			break
		}
	}
	return out
}

// Organisation reads an answer that should name an organisation: the name
// as written (its surrounding words dropped: 是…的, 客户叫…), or ok false
// when it names none (医疗那个, 就那个, 联系人是周总和孙工) or is chit-chat
// (恭喜恭喜, 嗯嗯, 稍等, ok, 12). The rule lives in parse (Dictionary.Organisation).
func (p *Parser) Organisation(text string) (string, bool) {
	name, _, ok := p.dict.Load().Organisation(text)
	return name, ok
}

// CustomerIn finds a known customer named in a short answer.
func (p *Parser) CustomerIn(text string) (string, bool) {
	name, known, _ := p.dict.Load().Customer(text)
	return name, known
}

// oneOff reports whether two names of at least three characters and the
// same length differ in exactly one character.
func oneOff(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(ra) < 3 {
		return false
	}
	diff := 0
	for i := range ra {
		if ra[i] != rb[i] {
			diff++
		}
	}
	return diff == 1
}

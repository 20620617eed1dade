package parse_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"salesbot/bot/parse"
)

type labelled struct {
	ID       string          `json:"id"`
	At       string          `json:"at"`
	Text     string          `json:"text"`
	Expected json.RawMessage `json:"expected"`
}

type expected struct {
	Intent    string   `json:"intent"`
	Customer  *string  `json:"customer"`
	Contacts  []string `json:"contacts"`
	Channel   *string  `json:"channel"`
	VisitDate *string  `json:"visit_date"`
	Stage     *string  `json:"stage"`
	Amount    *int64   `json:"amount"`
	NextDate  *string  `json:"next_date"`
}

// loadCustomers reads the customer list every labelled set is written
// against (testdata/customers.json).
func loadCustomers(tb testing.TB) []parse.Customer {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "customers.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cs []parse.Customer
	if err := json.Unmarshal(data, &cs); err != nil {
		tb.Fatal(err)
	}
	return cs
}

func loadCorpus(tb testing.TB, path string) []labelled {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("corpus line %d: %v", len(out)+1, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

var scoredFields = []string{"intent", "customer", "contacts", "channel", "visit_date", "stage", "amount", "next_date"}

func sval(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

func ival(p *int64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// TestCorpus scores the parser on the development set (testdata/dev.jsonl) with the method of
// CONTRACT.md "Scoring": intent on every message, the other seven fields
// on messages whose expected intent is report; the figure is the mean of
// the eight per-field accuracies.
func TestCorpus(t *testing.T) {
	d := parse.NewDictionary(loadCustomers(t), parse.Lexicon{})
	lines := loadCorpus(t, filepath.Join("testdata", "dev.jsonl"))
	if score := scoreCorpus(t, d, lines, "dev-set"); score < 0.97 {
		t.Errorf("dev-set score %.4f is below 0.97", score)
	}
}

// TestHoldoutCorpora scores the parser on the check sets in testdata/, each
// written and labelled apart from the development set (same customer list):
// holdout.jsonl; holdout2.jsonl in other styles (terse notes, dictation,
// WeChat messages with emoji, Latin names, colleagues and partners beside
// contacts); holdout3.jsonl probing CONTRACT.md's rules one by one;
// holdout4.jsonl on the stage cues of CONTRACT.md (haggling, contract work,
// delivered proposals, restarted projects, lost deals in many wordings,
// input-method slips), people in lists, roles, colleagues and people not
// met, pure plans and organisations that begin with a customer's alias;
// holdout5–10.jsonl written blind, each before the rule changes it then
// prompted, to measure the rules on wordings they were not written for
// (holdout9: other trades and cities, Latin company and given names, money
// and relative dates in many forms, dictation, markup, several customers,
// plans and questions; holdout10: written after the holdout9 changes). They
// guard against regressions, not a ratchet: each fails only below 0.90,
// since a few labels sit where the contract is thin.
func TestHoldoutCorpora(t *testing.T) {
	d := parse.NewDictionary(loadCustomers(t), parse.Lexicon{})
	for _, name := range []string{"holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10"} {
		t.Run(name, func(t *testing.T) {
			lines := loadCorpus(t, filepath.Join("testdata", name+".jsonl"))
			if score := scoreCorpus(t, d, lines, name); score < 0.90 {
				t.Errorf("%s score %.4f is below 0.90", name, score)
			}
		})
	}
}

// scoreCorpus parses every line, logs each miss and returns the mean of the
// eight per-field accuracies.
func scoreCorpus(t *testing.T, d *parse.Dictionary, lines []labelled, name string) float64 {
	t.Helper()
	right := map[string]int{}
	total := map[string]int{}
	for _, l := range lines {
		var exp expected
		if err := json.Unmarshal(l.Expected, &exp); err != nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		at, err := time.Parse(time.RFC3339, l.At)
		if err != nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		// Scored as CONTRACT.md scores: on the JSON output object.
		out, err := json.Marshal(d.Parse(l.Text, at))
		if err != nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		var got expected
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		check := func(field string, ok bool, g, e string) {
			total[field]++
			if ok {
				right[field]++
				return
			}
			t.Logf("%s %-10s got %-28s want %-28s | %s", l.ID, field, g, e, strings.ReplaceAll(l.Text, "\n", "⏎"))
		}
		check("intent", got.Intent == exp.Intent, got.Intent, exp.Intent)
		if exp.Intent != "report" {
			continue
		}
		check("customer", sval(got.Customer) == sval(exp.Customer), sval(got.Customer), sval(exp.Customer))
		check("contacts", sameSet(got.Contacts, exp.Contacts), fmt.Sprint(got.Contacts), fmt.Sprint(exp.Contacts))
		check("channel", sval(got.Channel) == sval(exp.Channel), sval(got.Channel), sval(exp.Channel))
		check("visit_date", sval(got.VisitDate) == sval(exp.VisitDate), sval(got.VisitDate), sval(exp.VisitDate))
		check("stage", sval(got.Stage) == sval(exp.Stage), sval(got.Stage), sval(exp.Stage))
		check("amount", ival(got.Amount) == ival(exp.Amount), ival(got.Amount), ival(exp.Amount))
		check("next_date", sval(got.NextDate) == sval(exp.NextDate), sval(got.NextDate), sval(exp.NextDate))
	}
	sum := 0.0
	var b strings.Builder
	for _, f := range scoredFields {
		acc := float64(right[f]) / float64(max(total[f], 1))
		sum += acc
		fmt.Fprintf(&b, "%-10s %3d/%-3d %.4f\n", f, right[f], total[f], acc)
	}
	score := sum / float64(len(scoredFields))
	fmt.Fprintf(&b, "%-10s         %.4f (%d messages)\n", "score", score, len(lines))
	t.Logf("%s figures:\n%s", name, b.String())
	if testing.Verbose() {
		fmt.Printf("%s:\n%s", name, b.String())
	}
	return score
}

package parse

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Dictionary is a tenant's parser: its known customers and lexicon on top
// of the built-in rules. Build it once with NewDictionary; it is immutable
// and safe for concurrent use.
type Dictionary struct {
	idx      customerIndex
	tab      *table
	botNames []string
}

// Extractor turns a message into a Record. The rule-based Dictionary is
// one; a model-based extractor can take its place behind this seam.
type Extractor interface {
	Extract(ctx context.Context, text string, at time.Time) (Record, error)
}

var _ Extractor = (*Dictionary)(nil)

// MaxRunes is how much of a message is read; the rest is ignored.
const MaxRunes = 2000

// NewDictionary builds a parser for the given customers and extra words.
// Customers with an empty name are skipped; the same name twice merges
// the aliases.
func NewDictionary(customers []Customer, extra Lexicon) *Dictionary {
	d := &Dictionary{idx: newCustomerIndex(customers, extra.Aliases)}
	if len(extra.Stages) == 0 && len(extra.Products) == 0 {
		d.tab = baseTable
	} else {
		d.tab = baseTable.clone()
		for w, st := range extra.Stages {
			if st.Valid() && strings.TrimSpace(w) != "" {
				d.tab.addStage(strings.TrimSpace(w), stageWord{stage: st})
			}
		}
		for _, p := range extra.Products {
			if utf8.RuneCountInString(strings.TrimSpace(p)) >= 2 {
				d.tab.add(catProduct, 0, strings.TrimSpace(p))
			}
		}
		d.tab.finish()
	}
	for _, b := range extra.BotNames {
		if b = strings.ToLower(strings.TrimSpace(b)); b != "" {
			d.botNames = append(d.botNames, b)
		}
	}
	return d
}

// Extract is Parse behind the Extractor interface.
func (d *Dictionary) Extract(ctx context.Context, text string, at time.Time) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	return d.Parse(text, at), nil
}

// Customer resolves a customer name as a person might type it (an answer
// to "which customer?"): the canonical name when known, the candidates when
// several fit equally, else the text as written.
func (d *Dictionary) Customer(text string) (name string, known bool, candidates []string) {
	m := prepare(truncate(text), time.Time{}, baseTable)
	m.known = d.idx.match(m.t)
	if k, ok := m.pickKnown(); ok {
		return d.customerName(k, m)
	}
	return strings.TrimSpace(text), false, nil
}

// customerName gives the name for a known match: canonical, or as written
// with the candidates when it fits several customers.
func (d *Dictionary) customerName(k custMatch, m *msg) (name string, known bool, candidates []string) {
	if len(k.pat.custs) == 1 {
		return d.idx.names[k.pat.custs[0]], true, nil
	}
	for _, c := range k.pat.custs {
		candidates = append(candidates, d.idx.names[c])
	}
	return string(m.src[k.start:k.end]), false, candidates
}

func truncate(text string) string {
	if len(text) <= MaxRunes {
		return text
	}
	n := 0
	for i := range text {
		if n == MaxRunes {
			return text[:i]
		}
		n++
	}
	return text
}

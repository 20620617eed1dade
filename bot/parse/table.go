package parse

import "sort"

// cat is the kind of a lexicon word.
type cat uint8

const (
	catNone        cat = iota
	catChannel         // val: channel cue (see channels.go)
	catStage           // val: index into table.stages
	catFuture          // a word that makes what follows planned, not done
	catPast            // a word that marks what follows as done (已经, 刚)
	catEarlier         // a word that moves what follows to an earlier deal (之前, 去年)
	catNeg             // a negation before a stage word (没, 还没)
	catNoNeed          // the prospect has no need (暂时没有需求)
	catAmountKey       // val: amount class (see amounts.go)
	catEstimateMod     // 预计, 预估: turns a following contract/quote key into an estimate
	catTitle           // val: title flags (see contacts.go)
	catOrgSuffix       // a word that ends an organisation name
	catOrgStop         // a word that cannot be inside an organisation name
	catColleague       // a word that marks a following person as one of ours
	catAbsent          // a word after a person that marks them absent
	catVisitCue        // a word after a date that makes it the interaction's day
	catProduct         // a tenant's product name (masks stage words inside it)
	catCompetitor      // a word before an organisation that marks a competitor
	numCats
)

// entry is one lexicon word.
type entry struct {
	w   []rune
	cat cat
	val int32
}

// hit is a lexicon word found in a message.
type hit struct {
	pos, end int32
	cat      cat
	val      int32
}

// table indexes lexicon words by first rune. It is built once (the base
// table at package initialisation, a tenant's table in NewDictionary) and
// never changed afterwards.
type table struct {
	first    map[rune][]entry
	stages   []stageWord
	stageIdx map[stageKey]int32 // two-part stage entries by first part and kind
}

func newTable() *table {
	return &table{first: make(map[rune][]entry, 1024), stageIdx: make(map[stageKey]int32)}
}

func (tb *table) add(c cat, val int32, words ...string) {
	for _, s := range words {
		w := []rune(s)
		for i, r := range w {
			w[i] = fold(r)
		}
		if len(w) == 0 || tb.has(w, c, val) {
			continue
		}
		tb.first[w[0]] = append(tb.first[w[0]], entry{w: w, cat: c, val: val})
	}
}

func (tb *table) has(w []rune, c cat, val int32) bool {
	for _, e := range tb.first[w[0]] {
		if e.cat == c && e.val == val && len(e.w) == len(w) && hasAt(e.w, 0, w) {
			return true
		}
	}
	return false
}

// finish sorts every bucket longest first.
func (tb *table) finish() {
	for _, es := range tb.first {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].w) > len(es[j].w) })
	}
}

// clone copies the table so a tenant can add words without touching the base.
func (tb *table) clone() *table {
	c := &table{first: make(map[rune][]entry, len(tb.first)), stages: append([]stageWord(nil), tb.stages...),
		stageIdx: make(map[stageKey]int32, len(tb.stageIdx))}
	for r, es := range tb.first {
		c.first[r] = append([]entry(nil), es...)
	}
	for k, i := range tb.stageIdx {
		c.stageIdx[k] = i
	}
	for i := range c.stages {
		c.stages[i].seconds = append([][]rune(nil), c.stages[i].seconds...) // a tenant's word must not grow the base's list
	}
	return c
}

// scan appends every word of the table found in t to hits, in text order.
// Every category reports all its matches (a shorter word of another
// category inside a longer one is still reported).
func (tb *table) scan(t []rune, hits []hit) []hit {
	for i, r := range t {
		es := tb.first[r]
		if len(es) == 0 {
			continue
		}
		var seen [numCats]bool
		for _, e := range es {
			if seen[e.cat] || !hasAt(t, i, e.w) {
				continue
			}
			if e.cat != catStage && e.cat != catAmountKey && e.cat != catChannel {
				seen[e.cat] = true // longest word of the category wins here
			}
			hits = append(hits, hit{pos: int32(i), end: int32(i + len(e.w)), cat: e.cat, val: e.val})
		}
	}
	return hits
}

// firstHit returns the index of the first hit starting at or after from.
func (m *msg) firstHit(from int) int {
	return sort.Search(len(m.hits), func(i int) bool { return int(m.hits[i].pos) >= from })
}

// hitsIn calls f for each hit of category c starting in [from, to).
func (m *msg) hitsIn(c cat, from, to int, f func(h hit) bool) {
	for _, h := range m.hits[m.firstHit(from):] {
		if int(h.pos) >= to {
			return
		}
		if h.cat == c && int(h.pos) >= from {
			if !f(h) {
				return
			}
		}
	}
}

// anyHit reports whether a hit of category c starts in [from, to).
func (m *msg) anyHit(c cat, from, to int) bool {
	found := false
	m.hitsIn(c, from, to, func(hit) bool { found = true; return false })
	return found
}

// lastHitBefore returns the hit of category c that ends nearest before
// (or at) pos, starting at or after from; ok is false if none.
func (m *msg) lastHitBefore(c cat, from, pos int) (hit, bool) {
	var best hit
	ok := false
	for _, h := range m.hits[m.firstHit(from):] {
		if int(h.pos) >= pos {
			break
		}
		if h.cat == c && int(h.pos) >= from && int(h.end) <= pos {
			if !ok || h.end > best.end || h.end == best.end && h.pos < best.pos {
				best, ok = h, true
			}
		}
	}
	return best, ok
}

// masked reports whether position i lies inside a product name.
func (m *msg) isMasked(i int) bool {
	for _, s := range m.masked {
		if s.has(i) {
			return true
		}
	}
	return false
}

// baseTable holds the built-in lexicons of every family.
var baseTable = buildBaseTable()

func buildBaseTable() *table {
	tb := newTable()
	addChannelWords(tb)
	addStageWords(tb)
	addAmountWords(tb)
	addContactWords(tb)
	addOrgWords(tb)
	addMarkerWords(tb)
	tb.finish()
	return tb
}

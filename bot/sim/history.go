package sim

import (
	"slices"
	"strconv"
	"sync"
	"time"

	"salesbot/bot"
)

// The history's bounds: the newest entries of the most recently active
// conversations are kept, the rest forgotten.
const (
	maxPerConv  = 200
	maxConvs    = 100
	maxPictures = 50 // older entries keep their caption, not the PNG
)

// Entry is one message of a simulator conversation, as the page shows it.
// The history is kept in the server so a reload, or a second tab, shows the
// same chat; it lives as long as the process.
type Entry struct {
	ID       int       `json:"id"`
	Rev      int       `json:"rev"`            // last change: a card updated in place gets a new one
	Conv     string    `json:"conv"`           // "p:USER" a private chat, "g:CHAT" a group
	From     string    `json:"from,omitempty"` // the member who wrote it; "" the bot
	Name     string    `json:"name"`           // who is shown as the sender
	Text     string    `json:"text,omitempty"`
	Markdown bool      `json:"markdown,omitempty"`
	Image    string    `json:"image,omitempty"` // the picture's address under /sim/images/
	Alt      string    `json:"alt,omitempty"`
	Card     *cardJSON `json:"card,omitempty"`
	Push     bool      `json:"push,omitempty"` // sent by a scheduled job
	At       time.Time `json:"at"`

	png []byte
}

// convKey names the conversation a message belongs to: the group when
// there is one, else the member's private chat.
func convKey(chat, user string) string {
	if chat != "" {
		return "g:" + chat
	}
	return "p:" + user
}

// history is every conversation's recent entries.
type history struct {
	mu    sync.Mutex
	rev   int
	id    int
	convs map[string][]*Entry
	used  map[string]int // a conversation's last rev, to forget the idlest first
	pics  []*Entry       // the entries holding a PNG, oldest first
}

func newHistory() *history {
	return &history{convs: map[string][]*Entry{}, used: map[string]int{}}
}

// add appends an entry (its ID, Rev and At are set here) and returns it.
func (h *history) add(e Entry, at time.Time) Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.id++
	h.rev++
	e.ID, e.Rev, e.At = h.id, h.rev, at
	if e.png != nil {
		e.Image = "/sim/images/" + strconv.Itoa(e.ID)
	}
	if e.png != nil {
		h.pics = append(h.pics, &e)
		if len(h.pics) > maxPictures {
			h.pics[0].png = nil
			h.pics = slices.Delete(h.pics, 0, 1)
		}
	}
	log := append(h.convs[e.Conv], &e)
	if len(log) > maxPerConv {
		log = slices.Delete(log, 0, len(log)-maxPerConv)
	}
	h.convs[e.Conv] = log
	h.used[e.Conv] = h.rev
	h.forgetIdle()
	return e
}

// forgetIdle drops the least recently used conversations beyond maxConvs.
func (h *history) forgetIdle() {
	for len(h.convs) > maxConvs {
		idlest, rev := "", -1
		for k, r := range h.used {
			if rev < 0 || r < rev {
				idlest, rev = k, r
			}
		}
		delete(h.convs, idlest)
		delete(h.used, idlest)
	}
}

// updateCard puts a card's new state into the entry that showed it, in conv
// first and then anywhere; false when no entry has the card (forgotten, or
// sent before a restart).
func (h *history) updateCard(conv string, c cardJSON) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := h.findCard(conv, c.ID)
	if e == nil {
		return false
	}
	old := e.Card
	nc := c
	nc.Changed = changedFields(old, c)
	if nc.Final != "" && len(old.Buttons) > 0 {
		// The page greys the buttons the card had: they no longer act.
		nc.Buttons = old.Buttons
	}
	h.rev++
	cp := *e
	cp.Card, cp.Rev = &nc, h.rev
	*e = cp
	h.used[e.Conv] = h.rev
	return true
}

func (h *history) findCard(conv, id string) *Entry {
	if id == "" {
		return nil
	}
	find := func(log []*Entry) *Entry {
		for i := len(log) - 1; i >= 0; i-- {
			if log[i].Card != nil && log[i].Card.ID == id {
				return log[i]
			}
		}
		return nil
	}
	if e := find(h.convs[conv]); e != nil {
		return e
	}
	for _, log := range h.convs {
		if e := find(log); e != nil {
			return e
		}
	}
	return nil
}

// changedFields lists the labels whose value the update changed.
func changedFields(old *cardJSON, c cardJSON) []string {
	if old == nil {
		return nil
	}
	was := map[string]string{}
	for _, f := range old.Fields {
		was[f.Label] = f.Value
	}
	var out []string
	for _, f := range c.Fields {
		if v, ok := was[f.Label]; (ok && v != f.Value) || (!ok && f.Value != "") {
			out = append(out, f.Label)
		}
	}
	return out
}

// since returns the entries of the given conversations changed after rev,
// oldest first, and the newest rev.
func (h *history) since(rev int, convs ...string) ([]Entry, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []Entry{}
	for _, k := range convs {
		for _, e := range h.convs[k] {
			if e.Rev > rev {
				out = append(out, *e)
			}
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return a.ID - b.ID })
	return out, h.rev
}

// image returns the picture of entry id, if it is still kept.
func (h *history) image(id int) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, log := range h.convs {
		for _, e := range log {
			if e.ID == id {
				return e.png
			}
		}
	}
	return nil
}

// entryOf is how a reply (answer or push) is shown.
func entryOf(r bot.Reply, push bool) Entry {
	j := toJSON(r)
	e := Entry{Conv: convKey(j.Chat, j.User), Name: "销售助手", Text: r.Text, Push: push}
	if r.Update != nil {
		e.Card, e.Text = j.Card, ""
		return e
	}
	if j.Card != nil {
		e.Card, e.Text = j.Card, ""
		e.Markdown = false
		return e
	}
	e.Markdown = r.Markdown
	if r.Image != nil && len(r.Image.PNG) > 0 {
		e.png, e.Alt = r.Image.PNG, r.Image.Alt
		if e.Text == r.Image.Alt {
			e.Text = "" // the caption is the picture's own title
		}
	}
	return e
}

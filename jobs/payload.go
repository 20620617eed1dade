package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// wireReply is how a reply is stored in the outbox (format 2): the
// destination and the picture by reference.
type wireReply struct {
	V        int        `json:"v"`
	To       target     `json:"to"`
	Text     string     `json:"text,omitempty"`
	Markdown bool       `json:"markdown,omitempty"`
	Card     *bot.Card  `json:"card,omitempty"`
	Image    *wireImage `json:"image,omitempty"`
	// Update: a queued reply that replaces a sent card (by the card's id;
	// the platform's code for it is kept by the adapter, not here).
	Update *bot.Update `json:"update,omitempty"`
}

// wireImage names a picture stored once in the outbox's image table.
type wireImage struct {
	SHA256 string `json:"sha256"`
	Alt    string `json:"alt,omitempty"`
}

const payloadFormat = 2

// legacyReply is format 1, which carried the whole destination (robot
// secret included) and the picture's bytes; rows in it are rewritten.
type legacyReply struct {
	To       bot.Destination `json:"to"`
	Text     string          `json:"text,omitempty"`
	Markdown bool            `json:"markdown,omitempty"`
	Card     *bot.Card       `json:"card,omitempty"`
	Image    *bot.Image      `json:"image,omitempty"`
}

// ImageStore keeps pictures by hash (*store.Store).
type ImageStore interface {
	PutPushImage(ctx context.Context, hash string, png []byte, at time.Time) error
	PushImage(ctx context.Context, hash string) ([]byte, error)
}

// encodePush stores a planned reply's picture (at the time of queuing) and
// encodes the reply with references; hash names the picture ("" without one).
func encodePush(ctx context.Context, st ImageStore, recipient string, teamID int64, r bot.Reply, at time.Time) (payload []byte, hash string, err error) {
	to, err := targetOf(recipient, teamID, r.To)
	if err != nil {
		return nil, "", err
	}
	return encodeTo(ctx, st, to, r, at)
}

// encodeTo encodes r for the target to, storing its picture.
func encodeTo(ctx context.Context, st ImageStore, to target, r bot.Reply, at time.Time) (payload []byte, hash string, err error) {
	w := wireReply{V: payloadFormat, To: to, Text: r.Text, Markdown: r.Markdown, Card: r.Card, Update: r.Update}
	if r.Image != nil {
		sum := sha256.Sum256(r.Image.PNG)
		hash = hex.EncodeToString(sum[:])
		if err := st.PutPushImage(ctx, hash, r.Image.PNG, at); err != nil {
			return nil, "", err
		}
		w.Image = &wireImage{SHA256: hash, Alt: r.Image.Alt}
	}
	payload, err = json.Marshal(w)
	return payload, hash, err
}

// loadPush decodes a push's payload. One in the old format is rewritten in
// the new one first (picture stored, destination replaced by a reference).
func loadPush(ctx context.Context, st OutboxStore, p *domain.Push) (wireReply, error) {
	var w wireReply
	if err := json.Unmarshal(p.Payload, &w); err != nil {
		return w, err
	}
	if w.V == payloadFormat {
		return w, nil
	}
	if err := upgradePush(ctx, st, p); err != nil {
		return w, err
	}
	return w, json.Unmarshal(p.Payload, &w)
}

// upgradePush rewrites a format-1 push in format 2, in p and in the store.
func upgradePush(ctx context.Context, st OutboxStore, p *domain.Push) error {
	var old legacyReply
	if err := json.Unmarshal(p.Payload, &old); err != nil {
		return err
	}
	payload, hash, err := encodePush(ctx, st, p.Recipient, p.TeamID, bot.Reply{To: old.To, Text: old.Text, Markdown: old.Markdown, Card: old.Card, Image: old.Image}, p.CreatedAt)
	if err != nil {
		return fmt.Errorf("upgrade push %d: %w", p.ID, err)
	}
	if err := st.RewritePush(ctx, p.ID, payload, hash); err != nil {
		return err
	}
	p.Payload, p.ImageHash = payload, hash
	return nil
}

// reply resolves the stored reply: the destination as its member or team
// has it now, and the picture's bytes.
func (w wireReply) reply(ctx context.Context, st OutboxStore) (bot.Reply, error) {
	to, err := resolve(ctx, st, w.To)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{To: to, Text: w.Text, Markdown: w.Markdown, Card: w.Card, Update: w.Update}
	if w.Image != nil {
		png, err := st.PushImage(ctx, w.Image.SHA256)
		if err != nil {
			return bot.Reply{}, err
		}
		r.Image = &bot.Image{PNG: png, Alt: w.Image.Alt}
	}
	return r, nil
}

// groupKey names a push's destination for sending in order: the stored
// reference as written (the same target encodes the same way).
func groupKey(payload []byte) string {
	var w struct {
		To json.RawMessage `json:"to"`
	}
	if json.Unmarshal(payload, &w) != nil {
		return "?"
	}
	return string(w.To)
}

// ResolvePush reads the reply a push will send, resolved as it would be now
// (for tests and tools).
func ResolvePush(ctx context.Context, st OutboxStore, p domain.Push) (bot.Reply, error) {
	w, err := loadPush(ctx, st, &p)
	if err != nil {
		return bot.Reply{}, err
	}
	return w.reply(ctx, st)
}

// MigrateOutbox rewrites every push still in the old format (whatever its
// status: sent rows held secrets too) and says how many it rewrote.
func MigrateOutbox(ctx context.Context, st OutboxStore) (int, error) {
	ps, err := st.ListPushes(ctx, domain.PushFilter{})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		var w struct {
			V int `json:"v"`
		}
		if json.Unmarshal(p.Payload, &w) == nil && w.V == payloadFormat {
			continue
		}
		if err := upgradePush(ctx, st, &p); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Package bot is the platform-neutral chat layer: one incoming Message type,
// one outgoing Reply type, and the Router that turns the first into the
// second (de-duplicate → identify the member → understand → act → reply).
// Adapters (bot/wecom, bot/dingtalk, bot/sim) convert wire payloads at the
// edge and never pass SDK types inward.
package bot

import (
	"context"
	"time"

	"salesbot/domain"
)

// Message is one thing a person sent the bot, or one card button they
// clicked.
type Message struct {
	Platform domain.Platform
	ID       string // platform message id; for events, a key built from sender + time + event key
	UserID   string // sender's id on the platform
	UserName string // display name, when the platform gives one
	ChatID   string // "" for a private chat, else the group chat's id
	Text     string
	At       time.Time
	Voice    bool        // Text is the platform's speech recognition of a voice message
	Action   *CardAction // set when this is a card button click
	// Enroll, when set, registers a sender the bot may not know yet (from the
	// platform's address book). The Router calls it after the message's
	// de-duplication claim and before identifying the sender, so that a
	// redelivery does not repeat it. An error means the message was not
	// handled. It is not kept when the message is journaled (the database
	// is down then, so registering would fail anyway).
	Enroll func(ctx context.Context) error `json:"-"`
}

// CardAction is a click on a card button.
type CardAction struct {
	Key    string // the button's key, e.g. "confirm:42"
	CardID string // the platform's id of the card (WeCom task_id, DingTalk card id)
}

// Group reports whether the message came from a group chat.
func (m Message) Group() bool { return m.ChatID != "" }

package domain

import "time"

// PushStatus says where a stored push stands.
type PushStatus string

// The push statuses.
const (
	// PushPending: waiting for its NextAt to be sent (first time or again).
	PushPending PushStatus = "pending"
	// PushSending: a sender has claimed it until NextAt; after that any
	// sender may claim it again.
	PushSending PushStatus = "sending"
	// PushSent: the platform accepted it.
	PushSent PushStatus = "sent"
	// PushFailed: given up, with the reason in LastError.
	PushFailed PushStatus = "failed"
)

// Push is one message a job is to send, kept in the outbox table before it
// is sent. Key is unique, so that a job run twice (a retry, a second
// replica) cannot queue the same message twice.
type Push struct {
	ID        int64
	Key       string // job|period|team|recipient
	Job       string
	TeamID    int64
	Period    string // the day, week or month the job ran for
	Recipient string // who it is for, e.g. "m12" (member 12), "g" (the team group)
	// Payload is the message, encoded by the jobs package: whom it is for
	// by reference (a member or team and a kind of destination, resolved
	// when sent), never an address or a secret.
	Payload []byte
	// ImageHash names the stored picture the message carries, if any.
	ImageHash string
	Status    PushStatus
	Attempts  int
	// Version grows with every change, so that two senders cannot both
	// claim or settle the same push.
	Version   int64
	NextAt    time.Time // pending: not before; sending: the claim expires
	Deadline  time.Time // not sent by then: failed
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// PushFilter selects pushes; zero fields match everything.
type PushFilter struct {
	Job    string
	TeamID int64
	Period string
	Status PushStatus
	Limit  int
}

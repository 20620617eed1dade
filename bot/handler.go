package bot

import (
	"context"
	"errors"
)

// Handler handles one incoming message and returns the replies to send back
// into the same conversation (their To is filled in). The Router is the
// Handler adapters are given.
//
// A nil error means the message was durably handled (stored, or answered
// when there was nothing to store) and the platform may be acknowledged. Any
// error means it was not: the adapter must not acknowledge, so that the
// platform redelivers.
type Handler interface {
	Handle(ctx context.Context, m Message) ([]Reply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m Message) ([]Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m Message) ([]Reply, error) { return f(ctx, m) }

// ErrBusy: another delivery of the same message is being handled right now.
// The adapter answers so that the platform retries later (or, where the
// platform only retries on timeout, waits).
var ErrBusy = errors.New("message is being handled by another delivery")

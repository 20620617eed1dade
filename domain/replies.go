package domain

import "context"

// PushKeys finds a push by its key (the outbox keeps the replies of one
// message in order by looking at the reply before).
type PushKeys interface {
	// PushByKey returns the push with key, or an ENOTFOUND error.
	PushByKey(ctx context.Context, key string) (Push, error)
}

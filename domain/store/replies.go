package store

import (
	"context"

	"salesbot/domain"
)

var _ domain.PushKeys = (*Store)(nil)

// PushByKey returns the push with key.
func (s *Store) PushByKey(ctx context.Context, key string) (domain.Push, error) {
	var r pushRow
	if err := s.q(ctx).Take(&r, "push_key = ?", key).Error; err != nil {
		return domain.Push{}, wrap(err, "read push %s", key)
	}
	return r.toDomain(), nil
}

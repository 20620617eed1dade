package domain

import (
	"context"
	"errors"
	"sync"
	"time"
)

// identifyTTL is how long a sender's identity is remembered in process. A
// message burst then costs one lookup; a member who was just deactivated on
// another replica may still be let in for this long.
const identifyTTL = 10 * time.Second

// memberCache remembers platform user id → member for identifyTTL.
type memberCache struct {
	mu sync.Mutex
	m  map[string]cachedMember
}

type cachedMember struct {
	member Member
	until  time.Time
}

const memberCacheMax = 10_000

func (c *memberCache) get(key string, now time.Time) (Member, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.After(e.until) {
		return Member{}, false
	}
	return e.member, true
}

func (c *memberCache) put(key string, m Member, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= memberCacheMax {
		c.m = map[string]cachedMember{}
	}
	c.m[key] = cachedMember{member: m, until: now.Add(identifyTTL)}
}

// forget drops every cached identity (a member was changed).
func (c *memberCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}

// Identify finds the active member behind a platform user id.
func (s *Service) Identify(ctx context.Context, p Platform, userID string) (Member, error) {
	key := string(p) + ":" + userID
	now := s.now()
	if m, ok := s.members.get(key, now); ok {
		return m, nil
	}
	m, err := s.store.MemberByPlatformID(ctx, p, userID)
	if errors.Is(err, ErrNotFound) {
		return Member{}, Errorf(ENOTFOUND, "还不认识你（%s），请联系管理员把你加入销售团队", userID)
	}
	if err != nil {
		return Member{}, err
	}
	if err := checkActive(m); err != nil {
		return Member{}, err
	}
	s.members.put(key, m, now)
	return m, nil
}

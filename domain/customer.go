package domain

import (
	"strings"
	"time"
)

// Tier is a customer's importance: A, B or C. It sets how soon a quiet deal
// counts as stale.
type Tier string

// The tiers.
const (
	TierA Tier = "A"
	TierB Tier = "B"
	TierC Tier = "C"
)

// ParseTier accepts A, B or C (any case); "" means C.
func ParseTier(s string) (Tier, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "A":
		return TierA, nil
	case "B":
		return TierB, nil
	case "C", "":
		return TierC, nil
	}
	return "", Errorf(EINVALID, "客户等级「%s」不对（应为 A、B 或 C）", s)
}

// Customer is a company the team sells to. Name is canonical; reps may call
// it by any of its aliases.
type Customer struct {
	ID       int64
	Name     string
	Aliases  []string
	Tier     Tier
	Industry string
	OwnerID  int64 // the member responsible for it
	TeamID   int64 // the owner's team when the customer was assigned; in the pool, whose pool (0: the company's)
	// OwnedSince is when its owner got it (created, claimed, assigned,
	// handed over); the pool's recycle clock starts no earlier.
	OwnedSince time.Time
	CreatedAt  time.Time
}

// Validate checks the fields a customer must have.
func (c Customer) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "客户名称不能为空")
	}
	if _, err := ParseTier(string(c.Tier)); err != nil {
		return err
	}
	return nil
}

// HasName reports whether n is the customer's name or one of its aliases
// (Latin letters compared case-insensitively).
func (c Customer) HasName(n string) bool {
	if strings.EqualFold(c.Name, n) {
		return true
	}
	for _, a := range c.Aliases {
		if strings.EqualFold(a, n) {
			return true
		}
	}
	return false
}

// Contact is a person at a customer.
type Contact struct {
	ID         int64
	CustomerID int64
	Name       string // as reps write it: 张总, 王建国主任
	CreatedAt  time.Time
}

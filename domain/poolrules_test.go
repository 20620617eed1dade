package domain_test

import (
	"testing"
	"time"

	"salesbot/domain"
)

func TestPoolRulesSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		ok          bool
	}{
		{domain.SettingPoolRecycleDays, "30,21,14", true},
		{domain.SettingPoolRecycleDays, "off", true},
		{domain.SettingPoolRecycleDays, "30,21", false},
		{domain.SettingPoolRecycleDays, "30,0,14", false},
		{domain.SettingPoolWarnDays, "1,3,5", true},
		{domain.SettingPoolWarnDays, "x", false},
		{domain.SettingPoolDailyClaims, "0", true},
		{domain.SettingPoolCap, "-1", false},
		{domain.SettingPoolCoolDownDays, "30天", false},
		{"pool_unknown", "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			p := domain.DefaultPoolRules()
			if err := p.Apply(tt.name, tt.value); (err == nil) != tt.ok {
				t.Errorf("Apply = %v, want ok %v", err, tt.ok)
			}
		})
	}
	p := domain.DefaultPoolRules()
	if err := p.Apply(domain.SettingPoolWarnDays, "1,3,5"); err != nil || p.WarnDays[0] != 5 || p.WarnDays[2] != 1 {
		t.Errorf("warn days %v, %v: want largest first", p.WarnDays, err)
	}
}

// DueDate counts from the latest of visit, deal activity, owned-since and
// the day the rule was switched on; exempt customers have none.
func TestPoolDueDate(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("CST", 8*3600)
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, loc) }
	owned := func(tier domain.Tier) domain.OwnedCustomer {
		return domain.OwnedCustomer{Customer: domain.Customer{OwnerID: 7, Tier: tier, OwnedSince: day(1)}}
	}
	rules := domain.DefaultPoolRules()
	switchedOn := rules
	switchedOn.SwitchedOn = day(10)
	tests := []struct {
		name  string
		rules domain.PoolRules
		o     func() domain.OwnedCustomer
		want  domain.Date
		ok    bool
	}{
		{"A from owned-since", rules, func() domain.OwnedCustomer { return owned(domain.TierA) }, "2026-01-31", true},
		{"C from last visit", rules, func() domain.OwnedCustomer { o := owned(domain.TierC); o.LastVisit = "2026-01-05"; return o }, "2026-01-19", true},
		{"B from deal activity", rules, func() domain.OwnedCustomer { o := owned(domain.TierB); o.LastMove = day(8); return o }, "2026-01-29", true},
		{"No tier counts as C", rules, func() domain.OwnedCustomer { return owned("") }, "2026-01-15", true},
		{"Rule switched on later", switchedOn, func() domain.OwnedCustomer { return owned(domain.TierC) }, "2026-01-24", true},
		{"Open deal at proposal", rules, func() domain.OwnedCustomer { o := owned(domain.TierC); o.OpenStage = domain.StageProposal; return o }, "", false},
		{"Open deal at qualification", rules, func() domain.OwnedCustomer {
			o := owned(domain.TierC)
			o.OpenStage = domain.StageQualification
			return o
		}, "2026-01-15", true},
		{"Won recently", rules, func() domain.OwnedCustomer { o := owned(domain.TierC); o.LastWon = day(2); return o }, "", false},
		{"In the pool", rules, func() domain.OwnedCustomer { o := owned(domain.TierC); o.Customer.OwnerID = 0; return o }, "", false},
		{"Recycling off", domain.PoolRules{}, func() domain.OwnedCustomer { return owned(domain.TierA) }, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.rules.DueDate(tt.o(), "2026-01-12", loc)
			if got != tt.want || ok != tt.ok {
				t.Errorf("DueDate = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

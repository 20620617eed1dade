// Package demo fills an empty database with a small, realistic sales
// company: for `salesbot serve --demo`, for trying the simulator, and as
// the seed of the tests (domaintest.Seed).
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"salesbot/domain"
)

// Company is what Fill created.
type Company struct {
	Teams     []domain.Team     // 华东大客户部, 华南渠道部
	Members   []domain.Member   // the admin, then per team its manager and three reps
	Customers []domain.Customer // a dozen, each owned by a rep
}

// Team returns the team with this name (the zero Team if there is none).
func (c Company) Team(name string) domain.Team {
	for _, t := range c.Teams {
		if t.Name == name {
			return t
		}
	}
	return domain.Team{}
}

// Member returns the member with this name (the zero Member if none).
func (c Company) Member(name string) domain.Member {
	for _, m := range c.Members {
		if m.Name == name {
			return m
		}
	}
	return domain.Member{}
}

// Customer returns the customer with this canonical name (the zero
// Customer if none).
func (c Company) Customer(name string) domain.Customer {
	for _, cu := range c.Customers {
		if cu.Name == name {
			return cu
		}
	}
	return domain.Customer{}
}

type person struct {
	name, sim, dingtalk string
	role                domain.Role
}

type teamSpec struct {
	name, wecomChat, dingtalkChat string
	people                        []person // manager first
}

type customerSpec struct {
	name     string
	aliases  []string
	tier     domain.Tier
	industry string
	owner    string
}

var admin = person{"孙立", "sunli", "0100001", domain.RoleAdmin}

var teams = []teamSpec{
	{"华东大客户部", "wrEastKA01", "cidEastKA01", []person{
		{"张伟", "zhangwei", "0100101", domain.RoleManager},
		{"李娜", "lina", "0100102", domain.RoleRep},
		{"王强", "wangqiang", "0100103", domain.RoleRep},
		{"刘洋", "liuyang", "0100104", domain.RoleRep},
	}},
	{"华南渠道部", "wrSouthCH01", "cidSouthCH01", []person{
		{"陈静", "chenjing", "0100201", domain.RoleManager},
		{"杨帆", "yangfan", "0100202", domain.RoleRep},
		{"黄磊", "huanglei", "0100203", domain.RoleRep},
		{"周敏", "zhoumin", "0100204", domain.RoleRep},
	}},
}

var customers = []customerSpec{
	{"华辰科技有限公司", []string{"华辰科技", "Huachen Tech"}, domain.TierA, "电子制造", "李娜"},
	{"金石重工股份有限公司", []string{"金石重工", "JSHI", "Jinshi Heavy Industry"}, domain.TierA, "装备制造", "李娜"},
	{"德润精密机械有限公司", []string{"德润精密", "德润机械", "德润"}, domain.TierB, "装备制造", "王强"},
	{"德润医疗器械有限公司", []string{"德润医疗", "德润"}, domain.TierB, "医疗器械", "王强"},
	{"蓝鲸新材料科技有限公司", []string{"蓝鲸新材", "蓝鲸", "Bluewhale"}, domain.TierB, "新材料", "刘洋"},
	{"云州市第一人民医院", []string{"云州一院", "市一院"}, domain.TierA, "医疗", "刘洋"},
	{"恒通银行股份有限公司", []string{"恒通银行", "Hengtong Bank", "HTB"}, domain.TierA, "金融", "杨帆"},
	{"优品汇商贸连锁有限公司", []string{"优品汇", "UPH"}, domain.TierB, "零售", "杨帆"},
	{"鲜丰季连锁超市有限公司", []string{"鲜丰季", "鲜丰季超市"}, domain.TierC, "零售", "黄磊"},
	{"远航物流有限公司", []string{"远航物流", "远航"}, domain.TierB, "物流", "黄磊"},
	{"捷运冷链物流有限公司", []string{"捷运冷链", "捷运"}, domain.TierC, "物流", "周敏"},
	{"穗丰源食品股份有限公司", []string{"穗丰源", "穗丰源食品"}, domain.TierC, "食品", "周敏"},
}

// Fill creates the demo company in one transaction when the database has no
// team yet. On a database that already has teams it does nothing and
// returns the zero Company.
func Fill(ctx context.Context, s domain.Store) (Company, error) {
	var c Company
	err := s.InTx(ctx, func(tx domain.Store) error {
		c = Company{}
		existing, err := tx.ListTeams(ctx)
		if err != nil || len(existing) > 0 {
			return err
		}
		return fill(ctx, tx, &c)
	})
	if errors.Is(err, domain.ErrConflict) {
		// Another process filled it at the same moment.
		return Company{}, nil
	}
	if err != nil {
		return Company{}, fmt.Errorf("fill demo company: %w", err)
	}
	return c, nil
}

func fill(ctx context.Context, tx domain.Store, c *Company) error {
	if err := addMember(ctx, tx, c, admin, 0); err != nil {
		return err
	}
	for _, ts := range teams {
		t := domain.Team{Name: ts.name, WeComChatID: ts.wecomChat, DingTalkChatID: ts.dingtalkChat}
		if err := tx.CreateTeam(ctx, &t); err != nil {
			return err
		}
		c.Teams = append(c.Teams, t)
		for _, p := range ts.people {
			if err := addMember(ctx, tx, c, p, t.ID); err != nil {
				return err
			}
		}
	}
	for _, cs := range customers {
		owner := c.Member(cs.owner)
		cu := domain.Customer{
			Name: cs.name, Aliases: slices.Clone(cs.aliases), Tier: cs.tier, Industry: cs.industry,
			OwnerID: owner.ID, TeamID: owner.TeamID,
		}
		if err := tx.CreateCustomer(ctx, &cu); err != nil {
			return err
		}
		c.Customers = append(c.Customers, cu)
	}
	return nil
}

func addMember(ctx context.Context, tx domain.Store, c *Company, p person, teamID int64) error {
	m := domain.Member{
		Name: p.name, Role: p.role, TeamID: teamID,
		WeComUserID: p.sim, DingTalkUserID: p.dingtalk, SimUserID: p.sim, Active: true,
	}
	if err := tx.CreateMember(ctx, &m); err != nil {
		return err
	}
	c.Members = append(c.Members, m)
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"salesbot/domain"
)

// Column keys and their Chinese labels (CONTRACT.md "Files in and out").
var (
	teamColumns = map[string]string{
		"name": "团队名称", "wecom_chat_id": "企业微信群ID", "wecom_robot_url": "企业微信机器人地址",
		"dingtalk_robot_url": "钉钉机器人地址", "dingtalk_robot_secret": "钉钉机器人密钥",
		// Optional beyond CONTRACT.md: the WeCom department whose newcomers
		// join this team, and the team's DingTalk group (openConversationId).
		"wecom_department_id": "企业微信部门ID", "dingtalk_chat_id": "钉钉群ID",
	}
	memberColumns = map[string]string{
		"name": "姓名", "role": "角色", "team": "团队", "wecom_userid": "企业微信账号", "dingtalk_userid": "钉钉账号",
	}
	customerColumns = map[string]string{
		"name": "客户名称", "aliases": "别名", "tier": "等级", "owner": "负责人", "industry": "行业",
	}
	targetColumns = map[string]string{
		"month": "月份", "member": "成员", "team": "团队",
		"visits": "拜访", "new_deals": "新商机", "won_amount": "赢单金额",
	}
)

// runImport reads teams, members, customers or targets from a .csv or .xlsx
// file. Rows are matched on name (targets on month and member or team), so
// importing twice changes nothing; each row is reported as created,
// updated, unchanged or rejected with the reason.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: salesbot import teams|members|customers|targets FILE")
	}
	kind, path := fs.Arg(0), fs.Arg(1)
	var labels map[string]string
	var upsert func(ctx context.Context, svc *domain.Service, r []string, idx map[string]int) (string, error)
	key, rowName := "name", func(r []string, idx map[string]int) string { return cell(r, idx, "name") }
	switch kind {
	case "teams":
		labels, upsert = teamColumns, importTeam
	case "members":
		labels, upsert = memberColumns, importMember
	case "customers":
		labels, upsert = customerColumns, importCustomer
	case "targets":
		labels, upsert, key = targetColumns, importTarget, "month"
		rowName = func(r []string, idx map[string]int) string {
			return cell(r, idx, "member") + cell(r, idx, "team") + " " + cell(r, idx, "month")
		}
	default:
		return fmt.Errorf("unknown import kind %q (want teams, members, customers or targets)", kind)
	}
	t, err := readTable(path)
	if err != nil {
		return err
	}
	idx, err := t.columns(labels, key)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	st, cfg, err := openStore(ctx, getenv, *configFile, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := domain.NewService(st, cfg.TZ, nil)

	counts := map[string]int{}
	for i, r := range t.rows {
		line := i + 2 // the header is line 1
		result, err := upsert(ctx, svc, r, idx)
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				return fmt.Errorf("line %d: %w (rows before it were imported)", line, err)
			}
			counts["rejected"]++
			fmt.Fprintf(stdout, "line %d: rejected: %s\n", line, domain.ErrorMessage(err))
			continue
		}
		counts[result]++
		fmt.Fprintf(stdout, "line %d: %s %s\n", line, result, rowName(r, idx))
	}
	fmt.Fprintf(stdout, "%s: %d created, %d updated, %d unchanged, %d rejected\n",
		kind, counts[domain.Created], counts[domain.Updated], counts[domain.Unchanged], counts["rejected"])
	if counts["rejected"] > 0 {
		return fmt.Errorf("%d row(s) rejected; the other rows were imported", counts["rejected"])
	}
	return nil
}

func importTeam(ctx context.Context, svc *domain.Service, r []string, idx map[string]int) (string, error) {
	var dept int64
	if v := cell(r, idx, "wecom_department_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return "", domain.Errorf(domain.EINVALID, "企业微信部门ID「%s」应为正整数", v)
		}
		dept = n
	}
	return svc.UpsertTeam(ctx, domain.Team{
		Name: cell(r, idx, "name"), WeComChatID: cell(r, idx, "wecom_chat_id"), WeComRobotURL: cell(r, idx, "wecom_robot_url"),
		WeComDepartmentID: dept, DingTalkChatID: cell(r, idx, "dingtalk_chat_id"),
		DingTalkRobotURL: cell(r, idx, "dingtalk_robot_url"), DingTalkRobotSecret: cell(r, idx, "dingtalk_robot_secret"),
	})
}

func importMember(ctx context.Context, svc *domain.Service, r []string, idx map[string]int) (string, error) {
	var role domain.Role // empty: keep (rep for a new member)
	if v := cell(r, idx, "role"); v != "" {
		var err error
		if role, err = domain.ParseRole(v); err != nil {
			return "", err
		}
	}
	return svc.UpsertMember(ctx, domain.Member{
		Name: cell(r, idx, "name"), Role: role,
		WeComUserID: cell(r, idx, "wecom_userid"), DingTalkUserID: cell(r, idx, "dingtalk_userid"),
	}, cell(r, idx, "team"))
}

func importCustomer(ctx context.Context, svc *domain.Service, r []string, idx map[string]int) (string, error) {
	var aliases []string
	for _, a := range strings.Split(cell(r, idx, "aliases"), "|") {
		if a = strings.TrimSpace(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	return svc.UpsertCustomer(ctx, domain.Customer{
		Name: cell(r, idx, "name"), Aliases: aliases, Tier: domain.Tier(cell(r, idx, "tier")), Industry: cell(r, idx, "industry"),
	}, cell(r, idx, "owner"))
}

// importTarget sets one member's or team's targets for a month, through
// the same rule as 设置目标 in chat (the import acts as an admin). An empty
// cell leaves that metric's target as it is.
func importTarget(ctx context.Context, svc *domain.Service, r []string, idx map[string]int) (string, error) {
	in := domain.TargetInput{Month: cell(r, idx, "month"), Member: cell(r, idx, "member"), Team: cell(r, idx, "team"),
		Values: map[domain.Metric]int64{}}
	for _, m := range domain.Metrics {
		v := strings.ReplaceAll(cell(r, idx, string(m)), ",", "")
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return "", domain.Errorf(domain.EINVALID, "%s「%s」应为不小于 0 的整数（金额以元为单位）", m.Label(), v)
		}
		in.Values[m] = n
	}
	return svc.SetTargets(ctx, domain.System(), in)
}

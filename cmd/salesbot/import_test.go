package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, envOf(env), nil, &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeXLSX(t *testing.T, dir, name string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Import teams, members and customers (CSV with Chinese headers and a BOM,
// and XLSX), with a bad row each; import again changes nothing; a report
// stored afterwards comes out of the export, in CSV and XLSX.
func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SALESBOT_DATA_DIR": filepath.Join(dir, "data")}

	teams := writeFile(t, dir, "teams.csv", "\ufeff团队名称,企业微信群ID,企业微信机器人地址,钉钉机器人地址,钉钉机器人密钥,企业微信部门ID\n"+
		"华北大客户部,wrNorth01,https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1,,,12\n"+
		",wrEmpty,,,,\n")
	out, err := runCmd(t, env, "import", "teams", teams)
	if err == nil || !strings.Contains(out, "line 2: created 华北大客户部") || !strings.Contains(out, "line 3: rejected: 团队名称不能为空") {
		t.Fatalf("import teams: err=%v\n%s", err, out)
	}
	if !strings.Contains(out, "1 created, 0 updated, 0 unchanged, 1 rejected") {
		t.Fatalf("summary:\n%s", out)
	}

	members := writeXLSX(t, dir, "members.xlsx", [][]any{
		{"name", "role", "team", "wecom_userid", "dingtalk_userid"},
		{"赵敏", "manager", "华北大客户部", "zhaomin", "0200001"},
		{"钱进", "rep", "华北大客户部", "qianjin", "0200002"},
		{"孙悟", "boss", "华北大客户部", "sunwu", ""},
		{"李逵", "rep", "不存在的团队", "likui", ""},
	})
	out, err = runCmd(t, env, "import", "members", members)
	for _, want := range []string{"line 2: created 赵敏", "line 3: created 钱进", "line 4: rejected: 不认识的角色「boss」", "line 5: rejected: 团队「不存在的团队」不存在"} {
		if !strings.Contains(out, want) {
			t.Errorf("import members lacks %q:\n%s", want, out)
		}
	}
	if err == nil {
		t.Error("import with rejected rows exited 0")
	}

	// Targets: Chinese headers in CSV, then English keys in XLSX; the month
	// is this one, so that the rep's 我的目标 below shows it.
	month := time.Now().In(shanghai(t)).Format("2006-01")
	targets := writeFile(t, dir, "targets.csv", "月份,成员,团队,拜访,新商机,赢单金额\n"+
		month+",钱进,,60,5,\"1,000,000\"\n"+
		month+",,华北大客户部,200,,\n"+
		"2026-13,钱进,,1,,\n"+
		month+",无名氏,,1,,\n"+
		month+",钱进,华北大客户部,1,,\n"+
		month+",钱进,,很多,,\n")
	out, err = runCmd(t, env, "import", "targets", targets)
	for _, want := range []string{"line 2: created 钱进 " + month, "line 3: created 华北大客户部 " + month,
		"line 4: rejected: 月份「2026-13」格式不对", "line 5: rejected: 找不到成员「无名氏」", "line 6: rejected: 目标要写给一个成员或一个团队（二选一）",
		"line 7: rejected: 拜访「很多」应为不小于 0 的整数", "targets: 2 created, 0 updated, 0 unchanged, 4 rejected"} {
		if !strings.Contains(out, want) {
			t.Errorf("import targets lacks %q:\n%s", want, out)
		}
	}
	if err == nil {
		t.Error("import targets with rejected rows exited 0")
	}
	if out, _ = runCmd(t, env, "import", "targets", targets); !strings.Contains(out, "0 created, 0 updated, 2 unchanged, 4 rejected") {
		t.Errorf("targets again:\n%s", out)
	}
	targetsX := writeXLSX(t, dir, "targets.xlsx", [][]any{{"month", "member", "visits"}, {month, "钱进", 70}})
	if out, err := runCmd(t, env, "import", "targets", targetsX); err != nil || !strings.Contains(out, "line 2: updated 钱进 "+month) {
		t.Errorf("targets xlsx: %v\n%s", err, out)
	}

	customers := writeFile(t, dir, "customers.csv", "name,aliases,tier,owner,industry\n"+
		"北辰重工股份有限公司,北辰重工|Beichen,A,钱进,装备制造\n"+
		"北辰物流有限公司,北辰重工,B,钱进,物流\n"+
		"南山电子有限公司,南山电子,D,钱进,电子\n")
	out, _ = runCmd(t, env, "import", "customers", customers)
	for _, want := range []string{"line 2: created 北辰重工股份有限公司", "line 3: rejected: 别名「北辰重工」已经属于客户「北辰重工股份有限公司」", "line 4: rejected: 客户等级「D」不对"} {
		if !strings.Contains(out, want) {
			t.Errorf("import customers lacks %q:\n%s", want, out)
		}
	}
	// Idempotent: the same file again creates nothing.
	out, _ = runCmd(t, env, "import", "customers", customers)
	if !strings.Contains(out, "0 created, 0 updated, 1 unchanged, 2 rejected") {
		t.Errorf("second import:\n%s", out)
	}
	// A file with fewer columns changes only what it has: a name-only file
	// changes nothing, and the first file still matches afterwards.
	nameOnly := writeFile(t, dir, "names.csv", "name\n北辰重工股份有限公司\n")
	if out, err := runCmd(t, env, "import", "customers", nameOnly); err != nil || !strings.Contains(out, "line 2: unchanged 北辰重工股份有限公司") {
		t.Errorf("name-only import: %v\n%s", err, out)
	}
	industry := writeFile(t, dir, "industry.csv", "客户名称,行业\n北辰重工股份有限公司,重型机械\n")
	if out, err := runCmd(t, env, "import", "customers", industry); err != nil || !strings.Contains(out, "line 2: updated 北辰重工股份有限公司") {
		t.Errorf("industry import: %v\n%s", err, out)
	}
	out, _ = runCmd(t, env, "import", "customers", customers)
	if !strings.Contains(out, "line 2: updated 北辰重工股份有限公司") { // back to 装备制造; tier and aliases kept
		t.Errorf("re-import:\n%s", out)
	}
	out, _ = runCmd(t, env, "import", "customers", customers)
	if !strings.Contains(out, "line 2: unchanged 北辰重工股份有限公司") {
		t.Errorf("tier or aliases were lost by the partial imports:\n%s", out)
	}

	// A bad file is refused as a whole, with the reason.
	bad := writeFile(t, dir, "bad.csv", "客户名称,电话\n北辰,123\n")
	if _, err := runCmd(t, env, "import", "customers", bad); err == nil || !strings.Contains(err.Error(), `unknown column "电话"`) {
		t.Errorf("unknown column: err=%v", err)
	}
	if _, err := runCmd(t, env, "import", "customers", filepath.Join(dir, "x.txt")); err == nil {
		t.Error("a .txt file was accepted")
	}

	// A report by the imported rep, through the simulator.
	env["SALESBOT_SIMULATOR"] = "1"
	base, stop := mustServe(t, env)
	var replies simReplies
	postJSON(t, base+"/sim/messages", map[string]string{"user": "qianjin", "text": "今天拜访北辰重工刘总，已发报价120万，下周一再谈"}, &replies)
	if len(replies.Replies) != 1 || !strings.Contains(replies.Replies[0].Text, "北辰重工股份有限公司") {
		t.Fatalf("report by an imported rep: %+v", replies)
	}
	// The imported targets, asked in chat.
	postJSON(t, base+"/sim/messages", map[string]string{"user": "qianjin", "text": "我的目标"}, &replies)
	if len(replies.Replies) != 1 || !strings.Contains(replies.Replies[0].Text, "拜访 1 次 / 70 次") || !strings.Contains(replies.Replies[0].Text, "赢单金额 0 / 100万") {
		t.Fatalf("我的目标 after the import: %+v", replies)
	}
	stop()

	// Export: Chinese labels and names by default, English keys and codes
	// with --keys; CSV on stdout and XLSX to a file.
	csv, err := runCmd(t, env, "export", "visits", "--from", "2000-01-01")
	if err != nil || !strings.Contains(csv, "拜访日期,成员,团队,客户,联系人,沟通方式,阶段,金额（元）,下次跟进日期,下一步,摘要,来源,上报时间\n") {
		t.Fatalf("export csv: %v\n%s", err, csv)
	}
	if !regexp.MustCompile(`,钱进,华北大客户部,北辰重工股份有限公司,刘总,拜访,报价,1200000,[^\n]*,sim:[^,]+,\d{4}-\d\d-\d\d \d\d:\d\d\n`).MatchString(csv) {
		t.Fatalf("export lacks the visit in Chinese:\n%s", csv)
	}
	keys, err := runCmd(t, env, "export", "visits", "--keys")
	if err != nil || !strings.Contains(keys, "visit_date,member,team,customer,contacts,channel,stage,amount,next_date,next_action,summary,source,reported_at\n") {
		t.Fatalf("export --keys: %v\n%s", err, keys)
	}
	if !regexp.MustCompile(`,钱进,华北大客户部,北辰重工股份有限公司,刘总,onsite,quote,1200000,[^\n]*,sim:[^,]+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00\n`).MatchString(keys) {
		t.Fatalf("export --keys lacks the visit with codes:\n%s", keys)
	}
	xlsx := filepath.Join(dir, "visits.xlsx")
	if out, err := runCmd(t, env, "export", "visits", "-o", xlsx); err != nil {
		t.Fatalf("export xlsx: %v\n%s", err, out)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	if len(rows) != 2 || rows[0][0] != "拜访日期" || rows[0][12] != "上报时间" || rows[1][1] != "钱进" || rows[1][3] != "北辰重工股份有限公司" ||
		rows[1][5] != "拜访" || rows[1][6] != "报价" || rows[1][7] != "1200000" {
		t.Fatalf("xlsx rows = %v", rows)
	}
	if typ, _ := f.GetCellType(sheet, "H2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("amount cell type = %v, want a number", typ)
	}
	if v, _ := f.GetCellValue(sheet, "H2", excelize.Options{RawCellValue: true}); v != "1200000" {
		t.Errorf("amount cell = %q", v)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "D"); w < 22 { // 北辰重工股份有限公司: ten CJK characters
		t.Errorf("customer column width = %v", w)
	}
	if w, _ := f.GetColWidth(sheet, "F"); w < 8 || w > 12 {
		t.Errorf("channel column width = %v", w)
	}
	if _, err := runCmd(t, env, "export", "visits", "--from", "2026-13-01"); err == nil {
		t.Error("a bad --from was accepted")
	}

	// 钱进 leaves: his customer and deal go to 赵敏, and he can no longer report.
	if out, err := runCmd(t, env, "handover", "钱进", "赵敏"); err != nil || !strings.Contains(out, "钱进 的 1 个客户、1 个在跟商机") {
		t.Fatalf("handover: %v\n%s", err, out)
	}
	if _, err := runCmd(t, env, "handover", "钱进", "无名氏"); err == nil {
		t.Error("handover to an unknown member succeeded")
	}
	// The handover is in the audit trail, in Chinese by default and with
	// keys for scripts; the refused one left nothing.
	out, err = runCmd(t, env, "export", "audit")
	if err != nil || !strings.HasPrefix(strings.TrimPrefix(out, "\ufeff"), "时间,操作人,操作,对象,修改前,修改后,团队编号\n") ||
		strings.Count(out, "离职交接") != 1 || !strings.Contains(out, ",系统,离职交接,") || !strings.Contains(out, "负责人 赵敏；钱进 已离职") {
		t.Fatalf("export audit: %v\n%s", err, out)
	}
	auditFile := filepath.Join(dir, "audit.xlsx")
	if out, err := runCmd(t, env, "export", "audit", "--keys", "-o", auditFile); err != nil || !strings.Contains(out, "exported 1 audit rows") {
		t.Fatalf("export audit --keys: %v\n%s", err, out)
	}
	base, _ = mustServe(t, env)
	postJSON(t, base+"/sim/messages", map[string]string{"user": "qianjin", "text": "今天拜访北辰重工刘总"}, &replies)
	if len(replies.Replies) != 1 || !strings.Contains(replies.Replies[0].Text, "已停用") {
		t.Fatalf("departed rep's report: %+v", replies)
	}
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

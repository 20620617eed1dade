package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"salesbot/domain"
)

// visitColumns are the export's columns (CONTRACT.md "Files in and out"):
// the key written with --keys, and the label written by default.
var visitColumns = []struct{ key, label string }{
	{"visit_date", "拜访日期"}, {"member", "成员"}, {"team", "团队"}, {"customer", "客户"}, {"contacts", "联系人"},
	{"channel", "沟通方式"}, {"stage", "阶段"}, {"amount", "金额（元）"}, {"next_date", "下次跟进日期"},
	{"next_action", "下一步"}, {"summary", "摘要"}, {"source", "来源"}, {"reported_at", "上报时间"},
}

// visitTable lays the rows out: with keys the English keys, stage and
// channel codes and RFC 3339 times, for scripts; else the Chinese labels
// and names and local times, for people in Excel. Amounts are whole yuan.
func visitTable(rows []domain.VisitRow, keys bool, loc *time.Location) table {
	t := table{numeric: map[int]bool{}}
	for i, c := range visitColumns {
		if keys {
			t.header = append(t.header, c.key)
		} else {
			t.header = append(t.header, c.label)
		}
		if c.key == "amount" {
			t.numeric[i] = true
		}
	}
	for _, r := range rows {
		amount := ""
		if r.Amount > 0 {
			amount = fmt.Sprint(r.Amount)
		}
		channel, stage := string(r.Channel), string(r.Stage)
		reported := r.ReportedAt.In(loc).Format(time.RFC3339)
		if !keys {
			channel, stage = r.Channel.Label(), ""
			if r.Stage != "" {
				stage = r.Stage.Label()
			}
			reported = r.ReportedAt.In(loc).Format("2006-01-02 15:04")
		}
		if r.ReportedAt.IsZero() {
			reported = ""
		}
		t.rows = append(t.rows, []string{string(r.VisitDate), r.Member, r.Team, r.Customer, strings.Join(r.Contacts, "|"),
			channel, stage, amount, string(r.NextDate), r.NextAction, r.Summary, r.Source, reported})
	}
	return t
}

// exporters are the kinds `salesbot export` writes: each reads its rows
// through the domain service, as the system, and lays them out.
var exporters = map[string]func(ctx context.Context, svc *domain.Service, from, to domain.Date, keys bool, loc *time.Location) (table, error){
	"visits": func(ctx context.Context, svc *domain.Service, from, to domain.Date, keys bool, loc *time.Location) (table, error) {
		rows, err := svc.ExportVisits(ctx, domain.System(), from, to)
		return visitTable(rows, keys, loc), err
	},
	"audit": func(ctx context.Context, svc *domain.Service, from, to domain.Date, keys bool, loc *time.Location) (table, error) {
		rows, err := svc.AuditLog(ctx, domain.System(), from, to)
		return auditTable(rows, keys, loc), err
	},
}

// runExport writes visits or the audit trail as .csv or .xlsx (by -o's
// extension; CSV to stdout without -o).
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: salesbot export visits|audit [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--keys] [-o FILE]"
	if len(args) == 0 || exporters[args[0]] == nil {
		return errors.New(usage)
	}
	kind := args[0]
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fromS := fs.String("from", "", "first day (inclusive)")
	toS := fs.String("to", "", "last day (inclusive)")
	out := fs.String("o", "", "output file (.csv or .xlsx); default CSV on stdout")
	keys := fs.Bool("keys", false, "English keys and codes (for scripts) instead of Chinese labels and names")
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	from, err := domain.ParseDate(*fromS)
	if err != nil {
		return fmt.Errorf("--from: %s", domain.ErrorMessage(err))
	}
	to, err := domain.ParseDate(*toS)
	if err != nil {
		return fmt.Errorf("--to: %s", domain.ErrorMessage(err))
	}
	format := "csv"
	if *out != "" {
		if format, err = tableFormat(*out); err != nil {
			return err
		}
	}
	st, cfg, err := openStore(ctx, getenv, *configFile, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := exporters[kind](ctx, domain.NewService(st, cfg.TZ, nil), from, to, *keys, cfg.TZ)
	if err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := writeTable(w, format, t); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(stderr, "exported %d %s rows to %s\n", len(t.rows), kind, *out)
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"salesbot/domain"
)

// visitColumns is the export's header (CONTRACT.md "Files in and out").
var visitColumns = []string{
	"visit_date", "member", "team", "customer", "contacts", "channel",
	"stage", "amount", "next_date", "next_action", "summary", "source",
}

// runExport writes visits as .csv or .xlsx (by -o's extension; CSV to
// stdout without -o).
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "visits" {
		return errors.New("usage: salesbot export visits [--from YYYY-MM-DD] [--to YYYY-MM-DD] [-o FILE]")
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fromS := fs.String("from", "", "first visit date (inclusive)")
	toS := fs.String("to", "", "last visit date (inclusive)")
	out := fs.String("o", "", "output file (.csv or .xlsx); default CSV on stdout")
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
	rows, err := domain.NewService(st, cfg.TZ, nil).ExportVisits(ctx, domain.System(), from, to)
	if err != nil {
		return err
	}
	t := table{header: visitColumns}
	for _, r := range rows {
		amount := ""
		if r.Amount > 0 {
			amount = fmt.Sprint(r.Amount)
		}
		t.rows = append(t.rows, []string{string(r.VisitDate), r.Member, r.Team, r.Customer, strings.Join(r.Contacts, "|"),
			string(r.Channel), string(r.Stage), amount, string(r.NextDate), r.NextAction, r.Summary, r.Source})
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
		fmt.Fprintf(stderr, "exported %d visits to %s\n", len(rows), *out)
	}
	return nil
}

// Command salesbot is the sales assistant for WeCom and DingTalk chats: the
// webhook server and job scheduler (serve), the message parser (parse),
// schema migration, imports and exports, and one-off job runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // SALESBOT_TZ works on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "salesbot:", err)
		}
		os.Exit(1)
	}
}

const usage = `salesbot — 销售助手 / sales assistant for WeCom and DingTalk

usage:
  salesbot [serve] [--demo] [--config FILE]   run the webhook server and the job scheduler
  salesbot parse [--at RFC3339] [--customers FILE] [--jsonl] [TEXT]
  salesbot migrate                             create or upgrade the schema
  salesbot job NAME [--date YYYY-MM-DD] [--team ID] [--dry-run]
  salesbot job settings --team T [NAME=VALUE ...]  show or change a team's push settings
  salesbot job calendar [YYYY-MM-DD=holiday|workday|clear[:NOTE] ...]
  salesbot job bench [--visits N] [--db NAME]      time the 20:00 digest + weekly leaderboard
  salesbot import teams|members|customers FILE
  salesbot export visits [--from D] [--to D] [-o FILE]
  salesbot handover FROM TO                    give a departing rep's customers to a colleague
  salesbot bench [-n N] [-rate R] [-paths P]   load-test how reports come in: WeCom callbacks,
                                               DingTalk Stream, WeCom AI bot long connection
  salesbot check [--url https://PUBLIC]        check each configured platform for real; exit 0 when all pass

configuration: SALESBOT_* environment variables (see README.md)
`

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "parse":
		return runParse(ctx, args, getenv, stdin, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "handover":
		return runHandover(ctx, args, getenv, stdout, stderr)
	case "job":
		return runJob(ctx, args, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, args, getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"salesbot/bot/parse"
)

// runParse is `salesbot parse [--at RFC3339] [--customers FILE] [--jsonl] [TEXT]`:
// it turns message text into the record of CONTRACT.md and prints it as
// JSON, one object per message. No database is needed.
//
// Without --jsonl, TEXT (the arguments joined by spaces, or all of stdin
// when there are none) is one message sent at --at (default: now). With
// --jsonl every stdin line is {"id", "at", "text"} and one object is printed
// per line, in order, with the same id; a line that cannot be read prints
// {"id", "error"} in its place, is reported on stderr, and makes the command
// fail once all lines are done.
func runParse(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	atFlag := fs.String("at", "", "when the message was sent, RFC3339 (default: now)")
	customersFile := fs.String("customers", "", `JSON array of known customers: [{"name": "...", "aliases": ["..."]}]`)
	jsonl := fs.Bool("jsonl", false, `read {"id","at","text"} lines from stdin, print one object per line`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: salesbot parse [--at RFC3339] [--customers FILE] [--jsonl] [TEXT]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}

	cfg, err := loadConfig(getenv, "")
	if err != nil {
		return err
	}
	loc := cfg.TZ
	at := time.Now().In(loc)
	if *atFlag != "" {
		t, err := time.Parse(time.RFC3339, *atFlag)
		if err != nil {
			return fmt.Errorf("--at: %w", err)
		}
		at = t.In(loc)
	}
	var customers []parse.Customer
	if *customersFile != "" {
		if customers, err = readCustomers(*customersFile); err != nil {
			return err
		}
	}
	lex, err := loadLexicon(cfg.LexiconFile)
	if err != nil {
		return err
	}
	d := parse.NewDictionary(customers, lex)

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if !*jsonl {
		text := strings.Join(fs.Args(), " ")
		if fs.NArg() == 0 {
			b, err := io.ReadAll(stdin)
			if err != nil {
				return fmt.Errorf("read stdin: %w", err)
			}
			text = strings.TrimRight(string(b), "\r\n")
		}
		return enc.Encode(d.Parse(text, at))
	}
	if fs.NArg() > 0 {
		return errors.New("parse: --jsonl reads stdin; give no TEXT")
	}
	return parseLines(ctx, d, at, loc, stdin, enc, stderr)
}

// parseLine is one input line of --jsonl.
type parseLine struct {
	ID   string  `json:"id"`
	At   string  `json:"at"`
	Text *string `json:"text"`
}

// parseLines parses every line of r in order. Blank lines are skipped; a
// bad line yields an error object and a message on stderr.
func parseLines(ctx context.Context, d *parse.Dictionary, at time.Time, loc *time.Location, r io.Reader, enc *json.Encoder, stderr io.Writer) error {
	br := bufio.NewReader(r)
	bad, n, lineNo := 0, 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, readErr := br.ReadString('\n')
		if readErr != nil && readErr != io.EOF {
			return fmt.Errorf("read stdin: %w", readErr)
		}
		lineNo++
		if strings.TrimSpace(line) != "" {
			n++
			var in parseLine
			var err error
			msgAt := at
			if err = json.Unmarshal([]byte(line), &in); err == nil {
				switch {
				case in.Text == nil:
					err = errors.New(`no "text"`)
				case in.At != "":
					var t time.Time
					if t, err = time.Parse(time.RFC3339, in.At); err == nil {
						msgAt = t.In(loc)
					} else {
						err = fmt.Errorf(`"at": %w`, err)
					}
				}
			}
			if err != nil {
				bad++
				fmt.Fprintf(stderr, "salesbot parse: line %d: %v\n", lineNo, err)
				if err := enc.Encode(struct {
					ID    string `json:"id"`
					Error string `json:"error"`
				}{in.ID, err.Error()}); err != nil {
					return err
				}
			} else {
				rec := d.Parse(*in.Text, msgAt)
				rec.ID = in.ID
				if err := enc.Encode(rec); err != nil {
					return err
				}
			}
		}
		if readErr == io.EOF {
			break
		}
	}
	if bad > 0 {
		return fmt.Errorf("parse: %d of %d lines could not be read", bad, n)
	}
	return nil
}

// readCustomers reads the --customers file.
func readCustomers(path string) ([]parse.Customer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--customers: %w", err)
	}
	var cs []parse.Customer
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("--customers %s: %w", path, err)
	}
	return cs, nil
}

package parse_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot/parse"
	"salesbot/domain"
)

func TestParseLexicon(t *testing.T) {
	lx, err := parse.ParseLexicon([]byte(`{
		"stages": {"打样": "proposal", "框架协议签了": "签约"},
		"products": ["智慧签约平台"],
		"aliases": {"长风汽车股份有限公司": ["长风股份"]},
		"bot_names": ["小销"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if lx.Stages["打样"] != domain.StageProposal || lx.Stages["框架协议签了"] != domain.StageWon {
		t.Errorf("stages %v", lx.Stages)
	}
	if len(lx.Products) != 1 || len(lx.Aliases["长风汽车股份有限公司"]) != 1 || len(lx.BotNames) != 1 {
		t.Errorf("lexicon %+v", lx)
	}
	if _, err := parse.ParseLexicon([]byte(`{"stages": {"打样": "sampling"}}`)); err == nil {
		t.Error("want an error for an unknown stage")
	}
	if _, err := parse.ParseLexicon([]byte(`{`)); err == nil {
		t.Error("want an error for bad JSON")
	}
}

func TestLexiconWords(t *testing.T) {
	lx := parse.Lexicon{
		Stages:   map[string]domain.Stage{"封样": domain.StageProposal, "备货": domain.StageWon},
		Products: []string{"智慧签约平台", "云签约"},
	}
	d := parse.NewDictionary(testCustomers, lx)
	tests := []struct {
		text string
		want domain.Stage
	}{
		{"长风汽车 李总 现场 封样完成", domain.StageProposal},
		{"长风汽车 李总 电话 已经开始备货了", domain.StageWon},
		{"长风汽车 李总 现场 聊了云签约的需求调研", domain.StageQualification},
		{"长风汽车 李总 现场 介绍了智慧签约平台", ""},
	}
	for _, tc := range tests {
		r := d.Parse(tc.text, wed)
		if stageOf(r) != tc.want {
			t.Errorf("%q: stage %q, want %q", tc.text, stageOf(r), tc.want)
		}
	}
	// The base dictionary is untouched by a tenant's words.
	if r := testDict().Parse("长风汽车 李总 现场 封样完成", wed); r.Stage != "" {
		t.Errorf("base dictionary learned a tenant word: %v", r.Stage)
	}
}

func TestExtractor(t *testing.T) {
	var x parse.Extractor = testDict()
	r, err := x.Extract(context.Background(), "长风汽车 李总 电话 报价50w", wed)
	if err != nil || r.Intent != domain.IntentReport || amountOf(r) != 500000 {
		t.Errorf("Extract: %+v %v", r, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Extract(ctx, "收到", wed); err == nil {
		t.Error("want the context's error")
	}
}

func TestRecordJSON(t *testing.T) {
	d := testDict()
	b, err := json.Marshal(d.Parse("收到", wed))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"","intent":"other","customer":null,"contacts":[],"channel":null,"visit_date":null,"stage":null,"amount":null,"next_date":null,"next_action":null,"summary":null}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	r := d.Parse("长风汽车 李总 电话 报价50w 下周三再跟", wed)
	r.ID = "x-1"
	b, _ = json.Marshal(r)
	for _, part := range []string{`"id":"x-1"`, `"intent":"report"`, `"customer":"长风汽车股份有限公司"`, `"contacts":["李总"]`,
		`"channel":"phone"`, `"visit_date":"2026-03-11"`, `"stage":"quote"`, `"amount":500000`, `"next_date":"2026-03-18"`,
		`"next_action":"`, `"summary":"长风汽车 李总 电话 报价50w 下周三再跟"`} {
		if !strings.Contains(string(b), part) {
			t.Errorf("JSON %s lacks %s", b, part)
		}
	}
}

// TestConcurrentParse runs one dictionary from many goroutines (run with -race).
func TestConcurrentParse(t *testing.T) {
	d := testDict()
	texts := []string{"长风汽车 李总 电话 报价50w 下周三再跟", "本周排行", "收到", "初次拜访星海科技，见了王总"}
	want := make([]string, len(texts))
	for i, s := range texts {
		b, _ := json.Marshal(d.Parse(s, wed))
		want[i] = string(b)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := (g + i) % len(texts)
				b, _ := json.Marshal(d.Parse(texts[k], wed))
				if string(b) != want[k] {
					t.Errorf("goroutine %d: %s != %s", g, b, want[k])
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestLongAndOddInput(t *testing.T) {
	d := testDict()
	long := strings.Repeat("长风汽车 李总 电话 报价50w。", 2000)
	start := time.Now()
	r := d.Parse(long, wed)
	if r.Intent != domain.IntentReport {
		t.Errorf("long report: %s", r.Intent)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("long message took %v", el)
	}
	for _, s := range []string{"", "\xff\xfe", "\n\n", "万万万", "1.2.3.4", "@", "。。。"} {
		r := d.Parse(s, wed)
		if r.Contacts == nil {
			t.Errorf("%q: nil contacts", s)
		}
	}
}

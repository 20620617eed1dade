package parse_test

import (
	"testing"
	"time"

	"salesbot/bot/parse"
	"salesbot/domain"
)

// testCustomers is a small tenant of our own, with the traps the rules
// must handle: a short alias inside another customer's name, Latin
// aliases, an alias two customers both use.
var testCustomers = []parse.Customer{
	{Name: "北辰软件有限公司", Aliases: []string{"北辰软件", "北辰", "Beichen"}},
	{Name: "北辰医疗设备有限公司", Aliases: []string{"北辰医疗"}},
	{Name: "长风汽车股份有限公司", Aliases: []string{"长风汽车", "CFA"}},
	{Name: "临江市人民医院", Aliases: []string{"临江市医院", "市人医"}},
	{Name: "海川物流有限公司", Aliases: []string{"海川物流", "海川"}},
	{Name: "海川国际物流集团有限公司", Aliases: []string{"海川国际", "海川集团", "Haichuan Group"}},
	{Name: "青木食品有限公司", Aliases: []string{"青木", "QM Foods"}},
	{Name: "青木建材有限公司", Aliases: []string{"青木"}},
	{Name: "临江市教育局", Aliases: []string{"教育局"}},
}

func testDict() *parse.Dictionary { return parse.NewDictionary(testCustomers, parse.Lexicon{}) }

var shanghai = time.FixedZone("CST", 8*3600)

// wed is Wednesday 2026-03-11, 15:00 in Shanghai: the reference time of
// most tests.
var wed = time.Date(2026, 3, 11, 15, 0, 0, 0, shanghai)

func str[T ~string](v T) string { return string(v) }

func stageOf(r parse.Record) domain.Stage { return r.Stage }

// amountOf is the record's amount, -1 when none was read.
func amountOf(r parse.Record) int64 {
	if r.Amount == 0 {
		return -1
	}
	return r.Amount
}

func channelOf(r parse.Record) domain.Channel { return r.Channel }

func mustReport(t *testing.T, r parse.Record, text string) {
	t.Helper()
	if r.Intent != domain.IntentReport {
		t.Fatalf("%q: intent %s, want report", text, r.Intent)
	}
}

package parse

import (
	"encoding/json"
	"fmt"

	"salesbot/domain"
)

// Lexicon holds a tenant's own words, added through data rather than code.
//
// Its JSON form:
//
//	{
//	  "stages":    {"打样": "proposal", "框架协议": "签约"},
//	  "products":  ["智能风控", "家庭医生签约系统"],
//	  "aliases":   {"华辰科技有限公司": ["华辰"]},
//	  "bot_names": ["小销"]
//	}
//
// A stage may be given by its code or its Chinese label (domain.ParseStage).
type Lexicon struct {
	// Stages maps extra words to the stage they say was reached.
	Stages map[string]domain.Stage `json:"stages,omitempty"`
	// Products are product names; stage words inside them don't count and
	// they are never taken for a customer.
	Products []string `json:"products,omitempty"`
	// Aliases adds aliases to known customers, keyed by canonical name.
	Aliases map[string][]string `json:"aliases,omitempty"`
	// BotNames are the names the bot answers to in @-mentions.
	BotNames []string `json:"bot_names,omitempty"`
}

// ParseLexicon reads a Lexicon from its JSON form and checks its stages.
func ParseLexicon(data []byte) (Lexicon, error) {
	var raw struct {
		Stages   map[string]string   `json:"stages"`
		Products []string            `json:"products"`
		Aliases  map[string][]string `json:"aliases"`
		BotNames []string            `json:"bot_names"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Lexicon{}, fmt.Errorf("parse lexicon: %w", err)
	}
	lx := Lexicon{Products: raw.Products, Aliases: raw.Aliases, BotNames: raw.BotNames}
	if len(raw.Stages) > 0 {
		lx.Stages = make(map[string]domain.Stage, len(raw.Stages))
		for w, s := range raw.Stages {
			st, err := domain.ParseStage(s)
			if err != nil {
				return Lexicon{}, fmt.Errorf("parse lexicon: stage of %q: %w", w, err)
			}
			lx.Stages[w] = st
		}
	}
	return lx, nil
}

package domain

// Stage is where a deal (商机) stands in the funnel. The codes are fixed by
// CONTRACT.md and are what the parser emits and the database stores.
type Stage string

// The stages in funnel order; won and lost are terminal.
const (
	StageProspecting   Stage = "prospecting"
	StageQualification Stage = "qualification"
	StageProposal      Stage = "proposal"
	StageQuote         Stage = "quote"
	StageNegotiation   Stage = "negotiation"
	StageWon           Stage = "won"
	StageLost          Stage = "lost"
)

// Stages lists every stage in funnel order.
var Stages = []Stage{StageProspecting, StageQualification, StageProposal, StageQuote, StageNegotiation, StageWon, StageLost}

var stageLabels = map[Stage]string{
	StageProspecting:   "初步接触",
	StageQualification: "需求分析",
	StageProposal:      "方案",
	StageQuote:         "报价",
	StageNegotiation:   "谈判",
	StageWon:           "签约",
	StageLost:          "输单",
}

// ParseStage accepts a stage code or its Chinese label.
func ParseStage(s string) (Stage, error) {
	for _, st := range Stages {
		if string(st) == s || stageLabels[st] == s {
			return st, nil
		}
	}
	return "", Errorf(EINVALID, "不认识的阶段「%s」", s)
}

// Valid reports whether s is one of the stage codes.
func (s Stage) Valid() bool { _, ok := stageLabels[s]; return ok }

// Label is the Chinese name shown to people.
func (s Stage) Label() string {
	if l, ok := stageLabels[s]; ok {
		return l
	}
	return string(s)
}

// Rank orders stages along the funnel; lost ranks after won so that "the
// furthest stage" rules treat both as final.
func (s Stage) Rank() int {
	for i, st := range Stages {
		if st == s {
			return i
		}
	}
	return -1
}

// Closed reports whether the stage ends the deal.
func (s Stage) Closed() bool { return s == StageWon || s == StageLost }

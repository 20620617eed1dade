package bot

import (
	"testing"

	"salesbot/domain"
)

// TestAddingContacts: an add word before the names in their clause adds
// them; one elsewhere in the line does not.
func TestAddingContacts(t *testing.T) {
	for text, want := range map[string]string{
		"改一下，联系人加上孙工":        "+孙工",
		"改一下，联系人还有孙工":        "+孙工",
		"改一下，联系人是孙工，还有金额80万": "孙工",
		"改一下，联系人是孙工":         "孙工",
	} {
		got := addingContacts(text, domain.Correction{Field: domain.FieldContacts, Value: "孙工"})
		if got.Value != want {
			t.Errorf("addingContacts(%q) = %q; want %q", text, got.Value, want)
		}
	}
}

package parse_test

import (
	"strings"
	"testing"
)

func TestOrganisation(t *testing.T) {
	d := testDict()
	tests := []struct {
		text, name string
		known, ok  bool
	}{
		{"北辰医疗", "北辰医疗设备有限公司", true, true},
		{"是北辰医疗的", "北辰医疗设备有限公司", true, true},
		{"就是上次说的长风汽车", "长风汽车股份有限公司", true, true},
		{"CFA", "长风汽车股份有限公司", true, true},
		{"青木", "青木", false, true},
		{"星海科技有限公司", "星海科技有限公司", false, true},
		{"客户叫锐能电池", "锐能电池", false, true},
		{"云州市第三中学", "云州市第三中学", false, true},
		{"华为", "华为", false, true},
		{"Apple", "Apple", false, true},
		{"海川物联", "海川物联", false, true},
		{"医疗那个", "", false, false},
		{"就那个", "", false, false},
		{"上次说的那家", "", false, false},
		{"联系人是周总和孙工", "", false, false},
		{"人是", "", false, false},
		{"那家公司", "", false, false},
		{"医疗", "", false, false},
		{"王总", "", false, false},
		{"不知道", "", false, false},
		{"", "", false, false},
		{strings.Repeat("星", 101), "", false, false},
		// Chit-chat names no organisation, typed alone or as what is left
		// of an answer (是好的); an abbreviation keeps its dot.
		{"恭喜恭喜", "", false, false},
		{"嗯嗯，收到！", "", false, false},
		{"50万", "", false, false},
		{"是好的", "", false, false},
		{"Acme Robotics Inc.", "Acme Robotics Inc.", false, true},
		{"娃哈哈", "娃哈哈", false, true},
	}
	for _, tc := range tests {
		name, known, ok := d.Organisation(tc.text)
		if name != tc.name || known != tc.known || ok != tc.ok {
			t.Errorf("Organisation(%q) = %q %v %v, want %q %v %v", tc.text, name, known, ok, tc.name, tc.known, tc.ok)
		}
	}
}

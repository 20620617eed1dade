package parse_test

import (
	"slices"
	"sort"
	"testing"
)

func TestContacts(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"surname and title", "今天去长风汽车拜访了李总", []string{"李总"}},
		{"people of another customer visited the same day", "今天跑了两家：上午长风汽车李总，下午北辰医疗黄经理和教育局周科长", []string{"李总"}},
		{"people of another organisation taken as written", "今天去了趟苏州见了星海科技的张博士然后又去了无锡见了药明的李总", []string{"张博士"}},
		{"people of the customer's own centre stay", "今天去了星海科技，见了运维中心的司徒总和他们采购部的李经理", []string{"司徒总", "李经理"}},
		{"people after a competitor stay", "长风汽车那单丢了，选了竞品北辰软件，李总说价格差太多", []string{"李总"}},
		{"full name and title", "今天去长风汽车拜访了信息科王建国主任", []string{"王建国主任"}},
		{"full name right after 拜访", "下午到长风汽车拜访陈建国行长", []string{"陈建国行长"}},
		{"compound surname after 联系人", "客户长风汽车，联系人欧阳总，方式电话", []string{"欧阳总"}},
		{"person away is no contact", "今天去长风汽车拜访了李总，他说张总下周回来再定", []string{"李总"}},
		{"full name after an alias", "今天去市人医拜访了刘晓燕经理", []string{"刘晓燕经理"}},
		{"department dropped", "长风汽车 采购部周经理 电话 聊了二期", []string{"周经理"}},
		{"role dropped", "今天去长风汽车见了生产总监杨总", []string{"杨总"}},
		{"Latin role dropped", "今天去长风汽车见了运营VP林总和CTO邹总", []string{"林总", "邹总"}},
		{"new arrival dropped", "今天去长风汽车见了新来的李经理", []string{"李经理"}},
		{"compound surname", "昨天晚上陪长风汽车的欧阳总吃饭", []string{"欧阳总"}},
		{"compound surname with department", "长风汽车 采购部司马经理 电话", []string{"司马经理"}},
		{"compound surname 诸葛", "今天去长风汽车拜访了诸葛主任", []string{"诸葛主任"}},
		{"compound surname after a role", "长风汽车 今天首次上门 见了总经理夏侯总", []string{"夏侯总"}},
		{"several people", "今天在长风汽车和赵总监、财务钱总砍了一下午价", []string{"赵总监", "钱总"}},
		{"several people with 和", "今天跟长风汽车的宋经理和生产部贺厂长开了个会", []string{"宋经理", "贺厂长"}},
		{"abbreviated title", "长风汽车 马局 上午电话 说预算批了", []string{"马局"}},
		{"engineer title", "长风汽车 王工 电话 POC环境搭好了", []string{"王工"}},
		{"head nurse", "长风汽车 护理部马护士长 现场", []string{"马护士长"}},
		{"vice title", "今天去长风汽车拜访了王副总", []string{"王副总"}},
		{"person something was sent to", "报价微信发给长风汽车伍经理了", []string{"伍经理"}},
		{"full name kept over short form", "长风汽车 王建国主任 现场 王主任很认可", []string{"王建国主任"}},
		{"repeated", "长风汽车 罗总监 钉钉视频 二次报价五十五万 罗总监说可以上会", []string{"罗总监"}},
		{"our colleague", "跟我们的技术总监张总一起去了长风汽车，陈总接待的", []string{"陈总"}},
		{"our colleague named again", "和我们公司的李总一起去拜访了长风汽车钱部长，李总跟他聊得很投机", []string{"钱部长"}},
		{"colleague word", "今天和同事王工一起去了长风汽车，见了李主任", []string{"李主任"}},
		{"partner's staff", "代理商王总带我们去了长风汽车，见了刘主任", []string{"刘主任"}},
		{"absent person", "今天去长风汽车，张总出差了，跟设备部的于工聊了二期", []string{"于工"}},
		{"not met", "去了长风汽车，没见到王总，见了李经理", []string{"李经理"}},
		{"only in a plan", "长风汽车 李总 电话 下周四再约黄总详细聊", []string{"李总"}},
		{"met and planned", "今天去长风汽车见了黄总，下周四再约黄总详细聊", []string{"黄总"}},
		{"organisation is not a person", "云州市城市管理局 信息科江科长 今日拜访", []string{"江科长"}},
		{"headquarters is not a person", "下午在长风汽车总部和李总开了会", []string{"李总"}},
		{"summary is not a person", "周总结：长风汽车 李总 电话 报价20万", []string{"李总"}},
		{"construction is not a person", "长风汽车李总电话，施工方已经进场", []string{"李总"}},
		{"mention is not a contact", "@王经理 长风汽车的李总今天来电，说下周来公司", []string{"李总"}},
		{"bureau is not a person", "今天去了临江公安局，见了马局", []string{"马局"}},
		{"second of a pair", "今天去长风汽车见了张总和李工", []string{"张总", "李工"}},
		{"list with roles", "长风汽车 陈总、设备部刘工、采购周经理 线上会议", []string{"陈总", "刘工", "周经理"}},
		{"role with 副", "去长风汽车见了生产副总孙总", []string{"孙总"}},
		{"named by the one met", "长风汽车李经理电话说他们老板王总对方案很感兴趣", []string{"李经理"}},
		{"someone to be asked", "电话联系长风汽车李总，他说要请示一下张董", []string{"李总"}},
		{"met inside what was said", "长风汽车李总说让我们和周工对接，下午就跟周工开了会", []string{"李总", "周工"}},
		{"our presales", "带着售前王经理去长风汽车给李主任做了演示", []string{"李主任"}},
		{"their boss brings their engineer", "今天去长风汽车，韩总带着工程部谢经理一起聊的", []string{"韩总", "谢经理"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			got := slices.Clone(r.Contacts)
			sort.Strings(got)
			want := slices.Clone(tc.want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("%q: contacts %v, want %v", tc.text, r.Contacts, tc.want)
			}
		})
	}
}

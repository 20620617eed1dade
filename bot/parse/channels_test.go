package parse_test

import (
	"salesbot/domain"
	"testing"
)

func TestChannels(t *testing.T) {
	d := testDict()
	tests := []struct {
		name, text string
		want       domain.Channel
	}{
		{"visit", "今天去长风汽车拜访了李总", domain.ChannelOnsite},
		{"coffee", "前天和长风汽车的李总喝了个咖啡", domain.ChannelOnsite},
		{"on site", "长风汽车 李总 现场 出方案了", domain.ChannelOnsite},
		{"went there", "昨天去了长风汽车，见了李总", domain.ChannelOnsite},
		{"met", "初步接触了长风汽车，见了生产总监杨总", domain.ChannelOnsite},
		{"at their place", "今天在长风汽车总部和李总开了个会", domain.ChannelOnsite},
		{"dinner", "昨天晚上陪长风汽车的欧阳总吃饭", domain.ChannelOnsite},
		{"drinks", "昨晚和长风汽车的李总在酒局上聊了", domain.ChannelOnsite},
		{"back from there", "我刚从长风汽车回来，李总说他们选了竞品", domain.ChannelOnsite},
		{"at a fair", "今天在高交会上认识了长风汽车的李总", domain.ChannelOnsite},
		{"dinner with a gap", "前天晚上和长风汽车的孙经理吃了个饭", domain.ChannelOnsite},
		{"trade fair", "周天在展会上碰到了长风汽车的刘总", domain.ChannelOnsite},
		{"they came to us", "长风汽车 李总 来访 参观了展厅", domain.ChannelOnsite},
		{"handed over in person", "长风汽车的报价单已经当面给李经理了", domain.ChannelOnsite},
		{"phone", "长风汽车 李总 电话 报价50w", domain.ChannelPhone},
		{"at a venue", "今天跟长风汽车李总在高尔夫球场聊了一下午", domain.ChannelOnsite},
		{"at an unnamed place with the person", "下午在星巴克跟长风汽车的李总聊了半小时", domain.ChannelOnsite},
		{"在跟 is ongoing, not a place", "昨晚十点还在跟长风汽车李总对合同", ""},
		{"earlier deal's place does not count", "去年在长风汽车签过一单，今天李总又来电说要做二期", domain.ChannelPhone},
		{"they called", "长风汽车李总今天来电，说项目取消了", domain.ChannelPhone},
		{"phone call made", "今天给长风汽车李总打了电话", domain.ChannelPhone},
		{"phone visit is phone", "电话拜访了长风汽车李总", domain.ChannelPhone},
		{"video", "和长风汽车李总开了视频会议", domain.ChannelOnline},
		{"Tencent meeting", "跟长风汽车的李经理开了个腾讯会议", domain.ChannelOnline},
		{"WeChat", "长风汽车李总微信上说二期要扩产", domain.ChannelOnline},
		{"DingTalk", "长风汽车 柯经理 钉钉上聊了", domain.ChannelOnline},
		{"sent by WeChat", "报价微信发给长风汽车伍经理了", domain.ChannelOnline},
		{"email", "报价单已经用邮件发给了长风汽车的宋经理", domain.ChannelOnline},
		{"online", "长风汽车 李总 线上演示 很顺利", domain.ChannelOnline},
		{"none named", "长风汽车 发了报价单 报了280万", ""},
		{"stage only", "长风汽车的合同签了", ""},
		{"planned phone call does not count", "长风汽车 合同签了，后天再电话跟一下", ""},
		{"planned visit does not count", "长风汽车 李总 电话 初步接触，下周去拜访", domain.ChannelPhone},
		{"future on-site after video", "长风汽车 视频会议做了方案演示 4月15日再去现场", domain.ChannelOnline},
		{"last year is not a visit", "长风汽车 去年签过一单，今年预算200万", ""},
		{"phone number is not a call", "长风汽车李总的电话号码换了，签了二期", ""},
		{"video surveillance is a product", "长风汽车 合同签了 视频监控项目", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			mustReport(t, r, tc.text)
			if got := channelOf(r); got != tc.want {
				t.Errorf("%q: channel %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

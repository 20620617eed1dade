package parse_test

import (
	"testing"

	"salesbot/bot/parse"
)

func TestIntent(t *testing.T) {
	d := testDict()
	tests := []struct {
		text string
		want parse.Intent
	}{
		{"长风汽车 李总 电话 报价50w 下周三再跟", parse.IntentReport},
		{"长风汽车的合同签了，感谢各位支持🎉", parse.IntentReport},
		{"@销售助手 今天去长风汽车拜访了李总，聊了二期", parse.IntentReport},
		{"今天去医院拜访了王主任，聊了二期", parse.IntentReport},
		{"下周二去长风汽车拜访", parse.IntentReport},
		{"收到", parse.IntentOther},
		{"各位领导汇报一下：上午去了长风汽车，见了李总，报价发了。李总提了几个问题，我周四前回复他", parse.IntentReport},
		{"这周谁去过长风汽车", parse.IntentOther},
		{"帮忙把长风汽车的报价单发我一份", parse.IntentOther},
		{"查看本月新增客户", parse.IntentCommand},
		{"好的，谢谢领导", parse.IntentOther},
		{"恭喜恭喜！🎉", parse.IntentOther},
		{"👍👍👍", parse.IntentOther},
		{"今天好热啊", parse.IntentOther},
		{"大家周末愉快", parse.IntentOther},
		{"明天我请假一天，有事电话联系", parse.IntentOther},
		{"周五团建去哪儿？", parse.IntentOther},
		{"@王磊 长风汽车的合同模板你那有吗？发我一份", parse.IntentOther},
		{"@李娜 帮我把长风汽车的合同打印一下", parse.IntentOther},
		{"@张伟 明天去长风汽车你跟我一起吧，带上测试设备", parse.IntentOther},
		{"@王经理 长风汽车那边的合同我已经发过去了，您审批一下", parse.IntentOther},
		{"给长风汽车李总打电话告诉他报价已经调整为245万了", parse.IntentReport},
		{"谁有长风汽车李总的电话？", parse.IntentOther},
		{"有没有人认识北辰医疗的黄经理？", parse.IntentOther},
		{"明天去长风汽车，有人一起吗？", parse.IntentOther},
		{"大家这周的排行看了吗", parse.IntentOther},
		{"【通知】本周五下午3点开年终总结会，地点：2号会议室", parse.IntentOther},
		{"转发：某银行与长风汽车签约十亿大单", parse.IntentOther},
		{"长风汽车发布了新车型 https://example.com/news", parse.IntentOther},
		{"长风汽车的李总人挺好的", parse.IntentOther},
		{"本周排行", parse.IntentCommand},
		{"@销售助手 排行榜", parse.IntentCommand},
		{"我的客户", parse.IntentCommand},
		{"我这个月拜访了多少家客户", parse.IntentCommand},
		{"长风汽车的合同签了吗？", parse.IntentCommand},
		{"查一下长风汽车的进展", parse.IntentCommand},
		{"帮助", parse.IntentCommand},
		{"撤销上一条", parse.IntentCommand},
		{"这个月目标完成了80%，加油", parse.IntentOther},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			if r.Intent != tc.want {
				t.Errorf("%q: intent %s, want %s", tc.text, r.Intent, tc.want)
			}
			if r.Intent != parse.IntentReport && (r.Customer != nil || r.VisitDate != nil || len(r.Contacts) > 0) {
				t.Errorf("%q: %s record with report fields", tc.text, r.Intent)
			}
		})
	}
}

func TestBotNames(t *testing.T) {
	d := parse.NewDictionary(testCustomers, parse.Lexicon{BotNames: []string{"小销"}})
	if r := d.Parse("@小销 排行榜", wed); r.Intent != parse.IntentCommand {
		t.Errorf("@小销 排行榜: %s", r.Intent)
	}
	if r := d.Parse("@小王 排行榜", wed); r.Intent != parse.IntentOther {
		t.Errorf("@小王 排行榜: %s", r.Intent)
	}
}

package parse_test

import (
	"testing"

	"salesbot/bot/parse"
	"salesbot/domain"
)

func TestIntent(t *testing.T) {
	d := testDict()
	tests := []struct {
		text string
		want domain.Intent
	}{
		{"长风汽车 李总 电话 报价50w 下周三再跟", domain.IntentReport},
		{"长风汽车的合同签了，感谢各位支持🎉", domain.IntentReport},
		{"@销售助手 今天去长风汽车拜访了李总，聊了二期", domain.IntentReport},
		{"今天去医院拜访了王主任，聊了二期", domain.IntentReport},
		{"下周二去长风汽车拜访", domain.IntentReport},
		{"收到", domain.IntentOther},
		{"长风汽车李总问我们能不能月底前出方案，我说没问题", domain.IntentReport},
		{"请问长风汽车李总能不能月底前出方案", domain.IntentOther},
		{"李总问我们能不能月底前出方案？", domain.IntentOther},
		{"各位领导汇报一下：上午去了长风汽车，见了李总，报价发了。李总提了几个问题，我周四前回复他", domain.IntentReport},
		{"这周谁去过长风汽车", domain.IntentOther},
		{"帮忙把长风汽车的报价单发我一份", domain.IntentOther},
		{"查看本月新增客户", domain.IntentCommand},
		{"好的，谢谢领导", domain.IntentOther},
		{"恭喜恭喜！🎉", domain.IntentOther},
		{"👍👍👍", domain.IntentOther},
		{"今天好热啊", domain.IntentOther},
		{"大家周末愉快", domain.IntentOther},
		{"明天我请假一天，有事电话联系", domain.IntentOther},
		{"周五团建去哪儿？", domain.IntentOther},
		{"@王磊 长风汽车的合同模板你那有吗？发我一份", domain.IntentOther},
		{"@李娜 帮我把长风汽车的合同打印一下", domain.IntentOther},
		{"@张伟 明天去长风汽车你跟我一起吧，带上测试设备", domain.IntentOther},
		{"@王经理 长风汽车那边的合同我已经发过去了，您审批一下", domain.IntentOther},
		{"给长风汽车李总打电话告诉他报价已经调整为245万了", domain.IntentReport},
		{"谁有长风汽车李总的电话？", domain.IntentOther},
		{"有没有人认识北辰医疗的黄经理？", domain.IntentOther},
		{"明天去长风汽车，有人一起吗？", domain.IntentOther},
		{"大家这周的排行看了吗", domain.IntentOther},
		{"【通知】本周五下午3点开年终总结会，地点：2号会议室", domain.IntentOther},
		{"转发：某银行与长风汽车签约十亿大单", domain.IntentOther},
		{"长风汽车发布了新车型 https://example.com/news", domain.IntentOther},
		{"长风汽车的李总人挺好的", domain.IntentOther},
		{"本周排行", domain.IntentCommand},
		{"@销售助手 排行榜", domain.IntentCommand},
		{"我的客户", domain.IntentCommand},
		{"我这个月拜访了多少家客户", domain.IntentCommand},
		{"长风汽车的合同签了吗？", domain.IntentCommand},
		{"查一下长风汽车的进展", domain.IntentCommand},
		{"帮助", domain.IntentCommand},
		{"撤销上一条", domain.IntentCommand},
		{"这个月目标完成了80%，加油", domain.IntentOther},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := d.Parse(tc.text, wed)
			if r.Intent != tc.want {
				t.Errorf("%q: intent %s, want %s", tc.text, r.Intent, tc.want)
			}
			if r.Intent != domain.IntentReport && (r.Customer != "" || r.VisitDate != "" || len(r.Contacts) > 0) {
				t.Errorf("%q: %s record with report fields", tc.text, r.Intent)
			}
		})
	}
}

func TestBotNames(t *testing.T) {
	d := parse.NewDictionary(testCustomers, parse.Lexicon{BotNames: []string{"小销"}})
	if r := d.Parse("@小销 排行榜", wed); r.Intent != domain.IntentCommand {
		t.Errorf("@小销 排行榜: %s", r.Intent)
	}
	if r := d.Parse("@小王 排行榜", wed); r.Intent != domain.IntentOther {
		t.Errorf("@小王 排行榜: %s", r.Intent)
	}
}

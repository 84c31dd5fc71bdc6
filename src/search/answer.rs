//! The kind of answer a question asks for, and where a text has one.
//!
//! "雅思一般多少钱" asks for a price, "孕吐什么时候结束" for a time, "南京志高
//! 空调售后维修电话" for a phone number. The question words that say so are
//! stop words (they would match everywhere), but they still tell which
//! passage answers: the one with an amount of money, a date or a number
//! next to the question's other words. [`AnswerKind::of`] reads the kind
//! off the question; [`AnswerKind::find`] finds candidate answers in a
//! text (normalised, see [`crate::analysis::normalize`]).

use std::sync::LazyLock;

use regex::Regex;

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// A percentage or rate (比例, 税率 …): before money, since 研发费用加计
    /// 扣除比例 asks for a rate, not an amount.
    Percent,
    /// An amount of money (多少钱, 价格, 学费 …).
    Money,
    /// A length of time (多久, 多长时间, 几天 …).
    Duration,
    /// A phone number (电话, 热线 …).
    Phone,
    /// A place or address (在哪, 哪里, 地址 …).
    Place,
    /// A size, distance or weight (多大, 面积, 多高 …).
    Measure,
    /// A point in time (什么时候, 哪年, 日期 …).
    Date,
    /// A reason (为什么, 原因 …).
    Reason,
    /// Any number (多少, 几).
    Number,
}

/// Question cues, most specific first: "多长时间" is a duration even though
/// it contains "时间", "多少钱" money even though it contains "多少".
const CUES: &[(AnswerKind, &[&str])] = &[
    (
        AnswerKind::Percent,
        &[
            "比例",
            "税率",
            "税点",
            "利率",
            "百分比",
            "占比",
            "比率",
            "概率",
            "几成",
            "成功率",
        ],
    ),
    (
        AnswerKind::Money,
        &[
            "多少钱",
            "价格",
            "价钱",
            "费用",
            "多少元",
            "收费",
            "工资",
            "学费",
            "票价",
            "房价",
            "薪资",
            "月薪",
            "年薪",
            "多少块",
            "报名费",
            "花费",
            "售价",
            "多钱",
        ],
    ),
    (
        AnswerKind::Duration,
        &[
            "多久",
            "多长时间",
            "几天",
            "几个月",
            "几年",
            "多少天",
            "多少年",
            "多少小时",
            "几小时",
            "几个小时",
            "几分钟",
            "多少分钟",
            "周期",
            "几周",
        ],
    ),
    (AnswerKind::Phone, &["电话", "热线", "客服号", "号码"]),
    (
        AnswerKind::Place,
        &[
            "在哪",
            "哪里",
            "地址",
            "什么地方",
            "哪个城市",
            "哪个省",
            "位于何",
            "何处",
        ],
    ),
    (
        AnswerKind::Measure,
        &[
            "多大",
            "面积",
            "多高",
            "多长",
            "多重",
            "多远",
            "多深",
            "多宽",
            "身高",
            "体重",
            "海拔",
            "距离",
            "多少米",
            "多少公里",
            "多少斤",
            "多少平",
        ],
    ),
    (
        AnswerKind::Date,
        &[
            "什么时候",
            "何时",
            "哪一年",
            "哪年",
            "几月",
            "时间",
            "日期",
            "几号",
            "哪天",
            "哪一天",
            "几点",
            "什么时间",
            "年份",
        ],
    ),
    (AnswerKind::Reason, &["为什么", "为何", "原因", "怎么会"]),
    (AnswerKind::Number, &["多少", "几"]),
];

/// A run of numerals: Arabic (with a decimal point or separators) or
/// Chinese.
const NUM: &str = r"(?:[0-9][0-9.,]*|[一二三四五六七八九十百千万两零〇]+)";

fn pattern(kind: AnswerKind) -> &'static Regex {
    // One per kind, in the order of the variants of `AnswerKind`.
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let compile = |p: String| Regex::new(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
        vec![
            compile(format!(r"{NUM}\s*(?:%|‰|成)|百分之|千分之")),
            compile(format!(r"{NUM}\s*(?:多|余)?(?:元|块|万|美元|亿|千|角)")),
            compile(format!(
                r"{NUM}\s*(?:多|余)?个?(?:天|小时|分钟|月|年|周|星期|工作日|秒)"
            )),
            compile(r"[0-9]{3,}[-－ ]?[0-9]{3,}".to_string()),
            compile(r"\p{Han}(?:省|市|县|区|镇|乡|村|路|街|巷|号|州)|位于|坐落".to_string()),
            compile(format!(
                r"{NUM}\s*(?:多|余)?(?:平方|米|公里|千米|亩|公斤|斤|厘米|毫米|克|吨|英尺|公顷|cm|mm|km|kg|m\b)"
            )),
            compile(format!(r"{NUM}\s*(?:年|月|日|号|世纪|点)")),
            compile("因为|由于|原因|所以|导致|因此|是为了".to_string()),
            compile(NUM.to_string()),
        ]
    });
    &PATTERNS[kind as usize]
}

impl AnswerKind {
    /// The kind of answer the (normalised) question asks for, if it says.
    pub fn of(question: &str) -> Option<AnswerKind> {
        CUES.iter()
            .find(|(_, cues)| cues.iter().any(|c| question.contains(c)))
            .map(|(k, _)| *k)
    }

    /// Character ranges `[start, end)` of the candidate answers in `text`
    /// (normalised); `char_at` turns a byte offset into a character index.
    pub fn find(self, text: &str, char_at: impl Fn(usize) -> usize) -> Vec<(usize, usize)> {
        pattern(self)
            .find_iter(text)
            .map(|m| (char_at(m.start()), char_at(m.end())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_cue_wins() {
        assert_eq!(AnswerKind::of("雅思一般多少钱"), Some(AnswerKind::Money));
        assert_eq!(
            AnswerKind::of("营业执照下来后多长时间去税务局报道"),
            Some(AnswerKind::Duration)
        );
        assert_eq!(AnswerKind::of("孕吐什么时候结束"), Some(AnswerKind::Date));
        assert_eq!(
            AnswerKind::of("南京志高空调售后维修电话"),
            Some(AnswerKind::Phone)
        );
        assert_eq!(
            AnswerKind::of("学校总占地面积有多大"),
            Some(AnswerKind::Measure)
        );
        assert_eq!(
            AnswerKind::of("目前学校有几个校区"),
            Some(AnswerKind::Number)
        );
        assert_eq!(AnswerKind::of("军海医院在哪里"), Some(AnswerKind::Place));
        assert_eq!(
            AnswerKind::of("研发费用加计扣除比例"),
            Some(AnswerKind::Percent)
        );
        assert_eq!(AnswerKind::of("为什么叫巴罗克"), Some(AnswerKind::Reason));
        assert_eq!(AnswerKind::of("该漫画是由谁创作的"), None);
    }

    #[test]
    fn answers_are_found_with_their_units() {
        let chars = |t: &str, r: &[(usize, usize)]| -> Vec<String> {
            r.iter()
                .map(|&(a, b)| t.chars().skip(a).take(b - a).collect())
                .collect()
        };
        let idx = |t: &'static str| move |b: usize| t[..b].chars().count();
        let t = "报名费调整为人民币1960元，考试时长2小时45分钟。";
        assert_eq!(chars(t, &AnswerKind::Money.find(t, idx(t))), ["1960元"]);
        assert_eq!(
            chars(t, &AnswerKind::Duration.find(t, idx(t))),
            ["2小时", "45分钟"]
        );
        let t = "热线400-167-6796，三月开放";
        assert_eq!(chars(t, &AnswerKind::Phone.find(t, idx(t))), ["400-167"]);
        assert_eq!(chars(t, &AnswerKind::Date.find(t, idx(t))), ["三月"]);
        assert!(AnswerKind::Money.find("没有数字", |b| b).is_empty());
        let t = "扣除比例提高到75%，约三成";
        assert_eq!(
            chars(t, &AnswerKind::Percent.find(t, idx(t))),
            ["75%", "三成"]
        );
    }

    #[test]
    fn every_kind_has_its_own_pattern() {
        let idx = |t: &'static str| move |b: usize| t[..b].chars().count();
        let cases = [
            (AnswerKind::Percent, "约75%的人", "75%"),
            (AnswerKind::Money, "票价120元整", "120元"),
            (AnswerKind::Duration, "需要3个月左右", "3个月"),
            (AnswerKind::Phone, "拨打021-62091226", "021-62091226"),
            (AnswerKind::Place, "地处经海三路", "三路"),
            (AnswerKind::Measure, "海拔4000米以上", "4000米"),
            (AnswerKind::Date, "于1906年建校", "1906年"),
            (AnswerKind::Reason, "这是因为风大", "因为"),
            (AnswerKind::Number, "共有三个校区", "三"),
        ];
        for (kind, text, want) in cases {
            let got: Vec<String> = kind
                .find(text, idx(text))
                .iter()
                .map(|&(a, b)| text.chars().skip(a).take(b - a).collect())
                .collect();
            assert_eq!(got, [want], "{kind:?}");
        }
    }
}

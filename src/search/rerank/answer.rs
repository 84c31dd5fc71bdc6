//! The kind of answer a question asks for, and where a text has one.
//!
//! "雅思一般多少钱" asks for a price, "孕吐什么时候结束" for a time, "南京志高
//! 空调售后维修电话" for a phone number. The question words that say so are
//! stop words (they would match everywhere), but they still tell which
//! passage answers: the one with an amount of money, a date or a number
//! next to the question's other words. [`AnswerKind::of`] reads the kind
//! off the question; [`AnswerKind::find`] finds candidate answers in a
//! text (normalised, see [`crate::analysis::normalize`]).

use std::sync::OnceLock;

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
    /// Any number (多少, 几个 …). The last kind: the pattern table is
    /// sized by it.
    Number,
}

/// Question cues, most specific kind first ("多长时间" is a duration even
/// though it contains "时间", "多少钱" money though it contains "多少"):
/// question words, which count anywhere in the question, and nouns, which
/// count only as its last word (杭州亚运会时间 asks for a date; 房价 上涨
/// is a keyword search, and 研发费用加计扣除比例 asks for a rate, not an
/// amount).
struct Cues {
    kind: AnswerKind,
    anywhere: &'static [&'static str],
    last: &'static [&'static str],
}

const CUES: &[Cues] = &[
    Cues {
        kind: AnswerKind::Percent,
        anywhere: &["百分之几", "几成"],
        last: &[
            "比例",
            "税率",
            "税点",
            "利率",
            "百分比",
            "占比",
            "比率",
            "概率",
            "成功率",
            "汇率",
        ],
    },
    Cues {
        kind: AnswerKind::Money,
        anywhere: &["多少钱", "多少元", "多少块", "多钱"],
        last: &[
            "价格",
            "价钱",
            "费用",
            "收费",
            "工资",
            "学费",
            "票价",
            "房价",
            "薪资",
            "月薪",
            "年薪",
            "报名费",
            "花费",
            "售价",
            "价位",
            "报价",
        ],
    },
    Cues {
        kind: AnswerKind::Duration,
        anywhere: &[
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
            "几周",
            "几个星期",
        ],
        last: &["周期", "时长", "期限", "有效期"],
    },
    Cues {
        kind: AnswerKind::Phone,
        anywhere: &["电话是多少", "电话多少", "电话号码"],
        last: &["电话", "热线", "客服号", "号码"],
    },
    Cues {
        kind: AnswerKind::Place,
        anywhere: &[
            "在哪",
            "哪里",
            "什么地方",
            "哪个城市",
            "哪个省",
            "位于何",
            "何处",
            "何地",
        ],
        last: &["地址", "位置", "地点"],
    },
    Cues {
        kind: AnswerKind::Measure,
        anywhere: &[
            "多大",
            "多高",
            "多长",
            "多重",
            "多远",
            "多深",
            "多宽",
            "多少米",
            "多少公里",
            "多少斤",
            "多少平",
        ],
        last: &[
            "面积", "身高", "体重", "海拔", "距离", "尺寸", "重量", "高度", "长度",
        ],
    },
    Cues {
        kind: AnswerKind::Date,
        anywhere: &[
            "什么时候",
            "何时",
            "哪一年",
            "哪年",
            "几月",
            "几号",
            "哪天",
            "哪一天",
            "几点",
            "什么时间",
        ],
        last: &["时间", "日期", "年份"],
    },
    Cues {
        kind: AnswerKind::Reason,
        anywhere: &["为什么", "为何", "怎么会"],
        last: &["原因"],
    },
];

/// Measure words after 几 in a question that asks for a number (几个, 几本);
/// 几乎 and 几何 are not questions.
const COUNTED: &str = "个种次位名人家所条件本部集届岁只项座支批级代层区号队国省场章篇首张台辆套款";

/// What may follow the last word of a question: 是多少, 吗, a question mark.
const TRAILERS: &[&str] = &[
    "是多少",
    "是什么",
    "有多少",
    "为多少",
    "是几",
    "是啥",
    "多少",
    "什么",
    "啥",
    "吗",
    "呢",
    "啊",
    "吧",
    "是",
    "有",
    "为",
];

/// The question without what may follow its last word.
fn without_trailers(question: &str) -> &str {
    let mut q = question.trim_end_matches(|c: char| c.is_whitespace() || !c.is_alphanumeric());
    while let Some(rest) = TRAILERS.iter().find_map(|t| q.strip_suffix(t)) {
        q = rest.trim_end_matches(|c: char| c.is_whitespace() || !c.is_alphanumeric());
    }
    q
}

/// Arabic numerals (with a decimal point or separators) or Chinese ones.
const NUM: &str = r"(?:[0-9][0-9.,]*|[一二三四五六七八九十百千万两零〇]+)";

/// The source of `kind`'s answer pattern.
fn source(kind: AnswerKind) -> String {
    match kind {
        // 75%, 百分之十, 三成 (not 一成不变, 零成本).
        AnswerKind::Percent => r"[0-9][0-9.]*\s*(?:%|‰)|百分之|千分之|[二三四五六七八九]成".to_string(),
        // 1960元, 4万元, 300块 (not 千万, 一块儿).
        AnswerKind::Money => format!(
            r"{NUM}\s*(?:多|余)?(?:百|千|万|亿)?(?:元|块钱|美元|欧元|英镑|日元|港元|港币|人民币)|[0-9][0-9.,]*\s*(?:多|余)?(?:千|万|亿)?块|[¥￥]\s*[0-9]"
        ),
        // 3个月, 两年 (not 三年级, see `rejected`).
        AnswerKind::Duration => {
            format!(r"{NUM}\s*(?:多|余)?个?(?:天|小时|分钟|月|年|周|星期|工作日|秒)")
        }
        // 400/800 numbers, landlines with or without their area code,
        // mobiles (not years and dates, see `rejected`).
        AnswerKind::Phone => {
            r"[48]00(?:[-－ ]?[0-9]){7}|0[0-9]{2,3}[-－ ]?[0-9]{7,8}|1[3-9][0-9]{9}|[2-9][0-9]{3}[-－ ]?[0-9]{4}"
                .to_string()
        }
        // A name before a place suffix (海淀区, 经海路; not 城市, 社区, see
        // `rejected`), 位于, 坐落.
        AnswerKind::Place => r"\p{Han}(?:省|市|县|区|镇|乡|村|路|街|巷|州)|位于|坐落".to_string(),
        AnswerKind::Measure => format!(
            r"{NUM}\s*(?:多|余)?(?:平方|米|公里|千米|亩|公斤|斤|厘米|毫米|克|吨|英尺|公顷|cm|mm|km|kg)"
        ),
        // 2017年, 4月, 15日, 3点 (Arabic numerals for days and hours: 一点
        // and 3号线 are not dates).
        AnswerKind::Date => {
            r"[0-9]{1,4}\s*(?:年|月|日|世纪)|[0-9]{1,2}\s*(?:号|点)|[一二三四五六七八九十〇零]+(?:年|月|世纪)"
                .to_string()
        }
        AnswerKind::Reason => "因为|由于|所以|导致|因此|是为了|原因是|之所以".to_string(),
        // Arabic numerals, or Chinese ones before a measure word.
        AnswerKind::Number => format!(r"[0-9][0-9.,]*|[一二三四五六七八九十两百千万]+[{COUNTED}年月天]"),
    }
}

/// `kind`'s answer pattern, compiled the first time a question asks for
/// that kind (a search process compiles one pattern at most).
fn pattern(kind: AnswerKind) -> &'static Regex {
    const KINDS: usize = AnswerKind::Number as usize + 1;
    static PATTERNS: [OnceLock<Regex>; KINDS] = [const { OnceLock::new() }; KINDS];
    PATTERNS[kind as usize].get_or_init(|| {
        let p = source(kind);
        Regex::new(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    })
}

/// Characters before a place suffix that make a common word, not a name
/// (城市, 社区, 地区, 思路, 信号, 上市, 全省 …).
const NOT_PLACE: &str = "城社地思信上超股楼车都门专景园灾郊山战辖片全本该各两一多每此外街小";

/// True when a match of `kind`'s pattern, followed in the text by `next`,
/// is not an answer after all.
fn rejected(kind: AnswerKind, matched: &str, next: Option<char>) -> bool {
    match kind {
        AnswerKind::Duration => next == Some('级'),
        AnswerKind::Phone => {
            // 2019-2020, 20230115: years and dates.
            let digits: String = matched.chars().filter(char::is_ascii_digit).collect();
            digits.len() == 8
                && (digits.starts_with("19") || digits.starts_with("20"))
                && !matched.starts_with('0')
        }
        AnswerKind::Date => {
            matched.ends_with('号') && next.is_some_and(|c| "线楼院房门位".contains(c))
        }
        AnswerKind::Place => {
            let mut it = matched.chars();
            matches!((it.next(), it.next(), it.next()), (Some(c), Some(_), None) if NOT_PLACE.contains(c))
        }
        _ => false,
    }
}

impl AnswerKind {
    /// The kind of answer the (normalised) question asks for, if it says.
    pub fn of(question: &str) -> Option<AnswerKind> {
        let end = without_trailers(question);
        let kind = CUES.iter().find(|c| {
            c.anywhere.iter().any(|w| question.contains(w))
                || c.last.iter().any(|w| end.ends_with(w))
        });
        if let Some(c) = kind {
            return Some(c.kind);
        }
        let counts = question.contains("多少")
            || question.match_indices('几').any(|(i, c)| {
                question[i + c.len()..]
                    .chars()
                    .next()
                    .is_some_and(|n| COUNTED.contains(n))
            });
        counts.then_some(AnswerKind::Number)
    }

    /// Character ranges `[start, end)` of the candidate answers in `text`
    /// (normalised), in text order; `char_at` turns a byte offset into a
    /// character index.
    pub fn find(self, text: &str, char_at: impl Fn(usize) -> usize) -> Vec<(usize, usize)> {
        pattern(self)
            .find_iter(text)
            .filter(|m| !rejected(self, m.as_str(), text[m.end()..].chars().next()))
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
        // Nouns count as the question's last word only.
        assert_eq!(
            AnswerKind::of("普通发票税点是多少？"),
            Some(AnswerKind::Percent)
        );
        assert_eq!(AnswerKind::of("杭州亚运会时间"), Some(AnswerKind::Date));
        assert_eq!(AnswerKind::of("房价 上涨"), None);
        assert_eq!(AnswerKind::of("电话会议"), None);
        // 几 asks for a number before a measure word only.
        assert_eq!(AnswerKind::of("几乎所有人"), None);
        assert_eq!(
            AnswerKind::of("成都师范大学是几本"),
            Some(AnswerKind::Number)
        );
    }

    #[test]
    fn ordinary_words_are_not_answers() {
        let none = |k: AnswerKind, t: &str| assert!(found(k, t).is_empty(), "{k:?} in {t}");
        none(AnswerKind::Money, "千万不要一块儿去，10万人参加");
        none(AnswerKind::Phone, "2019-2020赛季，20230115期");
        none(AnswerKind::Date, "有一点，坐3号线");
        none(AnswerKind::Duration, "三年级学生");
        none(AnswerKind::Percent, "零成本，一成不变");
        none(AnswerKind::Place, "城市社区的思路和信号");
        none(AnswerKind::Number, "统一一直");
    }

    /// The answers of `kind` in `text`, as strings.
    fn found(kind: AnswerKind, text: &str) -> Vec<String> {
        let char_at = |b: usize| text[..b].chars().count();
        kind.find(text, char_at)
            .iter()
            .map(|&(a, b)| text.chars().skip(a).take(b - a).collect())
            .collect()
    }

    #[test]
    fn answers_are_found_with_their_units() {
        let t = "报名费调整为人民币1960元，考试时长2小时45分钟。";
        assert_eq!(found(AnswerKind::Money, t), ["1960元"]);
        assert_eq!(found(AnswerKind::Duration, t), ["2小时", "45分钟"]);
        let t = "拨打4006-554-868或028-85551234";
        assert_eq!(
            found(AnswerKind::Phone, t),
            ["4006-554-868", "028-85551234"]
        );
        let t = "热线400-167-6796，三月开放";
        assert_eq!(found(AnswerKind::Phone, t), ["400-167-6796"]);
        assert_eq!(found(AnswerKind::Date, t), ["三月"]);
        assert!(found(AnswerKind::Money, "没有数字").is_empty());
        let t = "扣除比例提高到75%，约三成";
        assert_eq!(found(AnswerKind::Percent, t), ["75%", "三成"]);
    }

    #[test]
    fn every_kind_has_its_own_pattern() {
        let cases = [
            (AnswerKind::Percent, "约75%的人", "75%"),
            (AnswerKind::Money, "票价120元整", "120元"),
            (AnswerKind::Duration, "需要3个月左右", "3个月"),
            (AnswerKind::Phone, "拨打021-62091226", "021-62091226"),
            (AnswerKind::Place, "地处经海三路", "三路"),
            (AnswerKind::Measure, "海拔4000米以上", "4000米"),
            (AnswerKind::Date, "于1906年建校", "1906年"),
            (AnswerKind::Reason, "这是因为风大", "因为"),
            (AnswerKind::Number, "共有三个校区", "三个"),
        ];
        for (kind, text, want) in cases {
            assert_eq!(found(kind, text), [want], "{kind:?}");
        }
    }
}

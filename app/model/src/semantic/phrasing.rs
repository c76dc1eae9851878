//! Event storming's naming convention: an event is something that happened ("Order Placed",
//! "주문됨"), a command an order to do something ("Place Order", "주문하기"). English past tense
//! is told by its last word (regular "-ed" and the irregular verbs a domain uses), Korean by its
//! ending (`…됨`, `…했음`, `…완료`, …).

/// English past forms that do not end in "-ed".
const IRREGULAR: &[&str] = &[
    "arisen",
    "awoken",
    "become",
    "begun",
    "bent",
    "bought",
    "brought",
    "broken",
    "built",
    "caught",
    "chosen",
    "come",
    "cut",
    "dealt",
    "done",
    "drawn",
    "driven",
    "eaten",
    "fallen",
    "fed",
    "felt",
    "fled",
    "forbidden",
    "forgiven",
    "forgotten",
    "found",
    "frozen",
    "given",
    "gone",
    "got",
    "gotten",
    "grown",
    "held",
    "hidden",
    "hit",
    "hung",
    "kept",
    "known",
    "laid",
    "led",
    "left",
    "lent",
    "let",
    "lost",
    "made",
    "meant",
    "met",
    "overdrawn",
    "overridden",
    "paid",
    "put",
    "quit",
    "read",
    "rebuilt",
    "redone",
    "rewritten",
    "ridden",
    "risen",
    "run",
    "said",
    "seen",
    "sent",
    "set",
    "shaken",
    "shed",
    "shown",
    "shut",
    "sold",
    "spent",
    "split",
    "spoken",
    "spread",
    "stolen",
    "struck",
    "stuck",
    "swept",
    "taken",
    "taught",
    "thought",
    "thrown",
    "told",
    "torn",
    "understood",
    "undone",
    "upheld",
    "withdrawn",
    "withheld",
    "won",
    "worn",
    "written",
];

/// Korean endings of something that happened.
const KOREAN_PAST: &[&str] = &[
    "됨",
    "됐음",
    "되었음",
    "했음",
    "하였음",
    "완료",
    "완료됨",
    "했다",
    "되었다",
    "됐다",
    "함",
];

/// Verbs that take an object and a past participle after it: "Mark Order Paid" is an order to
/// do something although its last word is a past form.
const COMPLEMENT_VERBS: &[&str] = &[
    "declare", "flag", "get", "have", "keep", "leave", "make", "mark", "record", "report", "set",
];

/// Whether a command's `label` reads as something that happened (R21): past like an event, and
/// not an imperative such as "Mark Order Paid".
pub fn command_reads_as_event(label: &str) -> bool {
    if !is_past(label) {
        return false;
    }
    let words: Vec<String> = label.split_whitespace().map(str::to_lowercase).collect();
    !(words.len() >= 3 && COMPLEMENT_VERBS.contains(&words[0].as_str()))
}

/// Whether `label` reads as something that happened.
pub fn is_past(label: &str) -> bool {
    let label = label.trim().trim_end_matches(['.', '!', '?']);
    if label.chars().any(is_hangul) {
        return KOREAN_PAST.iter().any(|ending| label.ends_with(ending));
    }
    let Some(last) = label.split_whitespace().last() else {
        return false;
    };
    let word = last.to_lowercase();
    (word.len() > 3 && word.ends_with("ed")) || IRREGULAR.contains(&word.as_str())
}

/// Base forms of the irregular verbs a domain uses, with their past participle.
const IRREGULAR_BASE: &[(&str, &str)] = &[
    ("build", "built"),
    ("buy", "bought"),
    ("choose", "chosen"),
    ("do", "done"),
    ("draw", "drawn"),
    ("give", "given"),
    ("hold", "held"),
    ("keep", "kept"),
    ("lay", "laid"),
    ("lend", "lent"),
    ("make", "made"),
    ("pay", "paid"),
    ("put", "put"),
    ("read", "read"),
    ("send", "sent"),
    ("sell", "sold"),
    ("set", "set"),
    ("shut", "shut"),
    ("spend", "spent"),
    ("split", "split"),
    ("take", "taken"),
    ("tell", "told"),
    ("throw", "thrown"),
    ("undo", "undone"),
    ("withdraw", "withdrawn"),
    ("withhold", "withheld"),
    ("write", "written"),
];

/// The past forms an English verb may take: irregular, regular, with a doubled final consonant
/// (`cancel` → `cancelled` and `canceled`, `ship` → `shipped`).
fn past_forms(verb: &str) -> Vec<String> {
    if let Some((_, past)) = IRREGULAR_BASE.iter().find(|(base, _)| *base == verb) {
        return vec![past.to_string()];
    }
    let mut forms = Vec::new();
    if verb.ends_with('e') {
        forms.push(format!("{verb}d"));
    } else if let Some(stem) = verb.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'o', 'u'])
    {
        forms.push(format!("{stem}ied"));
    } else {
        forms.push(format!("{verb}ed"));
        if let Some(last) = verb.chars().last().filter(|c| !"aeiouwxy".contains(*c)) {
            forms.push(format!("{verb}{last}ed"));
        }
    }
    forms
}

/// Words of a label, lower case, for matching names.
fn words(label: &str) -> Vec<String> {
    label
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How closely event `event` reads as the result of command `command`: 3 exactly (`Place
/// Order` → `Order Placed`, `주문취소` → `주문취소됨`), 2 with words added around (`Place Order`
/// → `Online Order Placed`), 1 loosely (`결제` → `결제승인됨`, `Pay` → `Invoice Paid`), 0 not at all.
pub fn result_match(command: &str, event: &str) -> u8 {
    if command.chars().any(is_hangul) || event.chars().any(is_hangul) {
        return korean_match(command, event);
    }
    let command = words(command);
    let event = words(event);
    let Some((verb, object)) = command.split_first() else {
        return 0;
    };
    let pasts = past_forms(verb);
    let Some(past) = event.iter().position(|w| pasts.contains(w)) else {
        return 0;
    };
    let rest: Vec<&String> = event
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != past)
        .map(|(_, w)| w)
        .collect();
    let has_object = object.iter().all(|w| rest.contains(&w));
    match (has_object, rest.len() == object.len()) {
        (true, true) => 3,
        (true, false) => 2,
        (false, _) => 1,
    }
}

fn korean_match(command: &str, event: &str) -> u8 {
    let command: String = command.split_whitespace().collect();
    let event: String = event.split_whitespace().collect();
    let stem = ["하기", "하다", "한다", "요청"]
        .iter()
        .find_map(|suffix| command.strip_suffix(suffix))
        .unwrap_or(&command);
    let Some(body) = KOREAN_PAST
        .iter()
        .filter_map(|ending| event.strip_suffix(ending))
        .min_by_key(|body| body.len())
    else {
        return 0;
    };
    let body = body.strip_suffix('하').unwrap_or(body);
    if stem.is_empty() {
        0
    } else if body == stem {
        3
    } else if body.starts_with(stem) {
        1
    } else {
        0
    }
}

/// The one of `events` (id, label) that `command`'s name implies, if one matches best.
pub fn implied_event<T: Copy>(command: &str, events: &[(T, &str)]) -> Option<T> {
    let scored: Vec<(u8, T)> = events
        .iter()
        .map(|(id, label)| (result_match(command, label), *id))
        .filter(|(score, _)| *score > 0)
        .collect();
    let best = scored.iter().map(|(score, _)| *score).max()?;
    let mut winners = scored.iter().filter(|(score, _)| *score == best);
    let (_, first) = winners.next()?;
    // Two equally good matches: the name does not say which.
    winners.next().is_none().then_some(*first)
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Whether an HTTP path uses only what a URL carries as it is: ASCII letters and digits,
/// `-._~`, `/` and `{}` around parameters.
pub fn is_plain_path(path: &str) -> bool {
    path.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/{}".contains(c))
}

/// An ASCII path for `path` (R32's suggestion): Hangul romanized (Revised Romanization, one
/// syllable at a time: `/결제이력s` → `/gyeoljeiryeoks`), spaces and other separators as `-`,
/// letters of other scripts left out; parameters kept as they are when plain.
pub fn ascii_path(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "-._~/{}".contains(c) {
            out.push(c);
        } else if let Some(roman) = romanize_hangul(c) {
            out.push_str(&roman);
        } else if (c.is_whitespace() || c.is_ascii_punctuation()) && !out.ends_with(['-', '/']) {
            out.push('-');
        }
    }
    let mut cleaned = String::from("/");
    for segment in out
        .split('/')
        .map(|s| s.trim_matches('-'))
        .filter(|s| !s.is_empty())
    {
        if cleaned.len() > 1 {
            cleaned.push('/');
        }
        cleaned.push_str(segment);
    }
    cleaned
}

/// One Hangul syllable in the Revised Romanization (without the sound changes between
/// syllables); `None` for anything else.
fn romanize_hangul(c: char) -> Option<String> {
    const INITIAL: [&str; 19] = [
        "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t",
        "p", "h",
    ];
    const MEDIAL: [&str; 21] = [
        "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
        "we", "wi", "yu", "eu", "ui", "i",
    ];
    const FINAL: [&str; 28] = [
        "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p",
        "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
    ];
    let index = (c as u32).checked_sub(0xAC00).filter(|i| *i < 11_172)? as usize;
    Some(format!(
        "{}{}{}",
        INITIAL[index / 588],
        MEDIAL[(index % 588) / 28],
        FINAL[index % 28]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_english_past_tense_regular_and_irregular() {
        for past in [
            "Order Placed",
            "Payment Declined",
            "Invoice Sent",
            "Order Paid",
            "Stock Held",
            "Parcel shipped.",
        ] {
            assert!(is_past(past), "{past}");
        }
        for order in [
            "Place Order",
            "Pay Invoice",
            "Ship",
            "Send Email",
            "Order",
            "Red",
        ] {
            assert!(!is_past(order), "{order}");
        }
    }

    #[test]
    fn a_command_with_a_participle_after_its_object_is_still_a_command() {
        assert!(!command_reads_as_event("Mark Order Paid"));
        assert!(!command_reads_as_event("Set delivery completed"));
        assert!(command_reads_as_event("Order Paid"));
        assert!(command_reads_as_event("Marked"));
        assert!(!command_reads_as_event("Pay Order"));
    }

    #[test]
    fn a_command_implies_the_event_named_after_it_in_english() {
        let events = [
            (1, "Order Placed"),
            (2, "Order Paid"),
            (3, "Order Cancelled"),
            (4, "Order Shipped"),
        ];
        assert_eq!(implied_event("Place Order", &events), Some(1));
        assert_eq!(implied_event("Cancel Order", &events), Some(3));
        assert_eq!(
            implied_event("cancel order", &[(9, "Order Canceled")]),
            Some(9)
        );
        assert_eq!(implied_event("Pay Order", &events), Some(2));
        assert_eq!(implied_event("Ship Order", &events), Some(4));
        assert_eq!(implied_event("Refund Order", &events), None);
        // The closest wins over a looser match.
        assert_eq!(
            implied_event(
                "Place Order",
                &[(1, "Order Placed Online"), (2, "Order Placed")]
            ),
            Some(2)
        );
        assert_eq!(
            implied_event("Apply Coupon", &[(1, "Coupon Applied")]),
            Some(1)
        );
    }

    #[test]
    fn a_command_implies_the_event_named_after_it_in_korean() {
        let events = [(1, "주문됨"), (2, "주문취소됨"), (3, "결제승인됨")];
        assert_eq!(implied_event("주문", &events), Some(1));
        assert_eq!(implied_event("주문취소", &events), Some(2));
        assert_eq!(implied_event("주문 취소하기", &events), Some(2));
        // Only when nothing closer exists.
        assert_eq!(implied_event("결제", &events), Some(3));
        assert_eq!(
            implied_event("결제", &[(3, "결제승인됨"), (4, "결제됨")]),
            Some(4)
        );
        assert_eq!(implied_event("배송", &events), None);
        assert_eq!(implied_event("환불", &[(5, "환불했음")]), Some(5));
    }

    #[test]
    fn events_in_korean_end_as_something_that_happened() {
        for past in [
            "주문됨",
            "결제승인됨",
            "배송 완료",
            "주문취소됨",
            "환불했음",
        ] {
            assert!(is_past(past), "{past}");
        }
        for order in ["주문하기", "결제", "주문 취소"] {
            assert!(!is_past(order), "{order}");
        }
    }

    #[test]
    fn paths_that_are_not_plain_ascii_get_an_ascii_suggestion() {
        assert!(is_plain_path("/orders/{id}/cancel"));
        assert!(!is_plain_path("/결제이력s"));
        assert!(!is_plain_path("/orders list"));
        assert_eq!(ascii_path("/결제이력s"), "/gyeoljeiryeoks");
        assert_eq!(ascii_path("/주문/{id}/취소"), "/jumun/{id}/chwiso");
        assert_eq!(ascii_path("/orders list/"), "/orders-list");
        assert_eq!(ascii_path("/注文"), "/");
    }
}

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

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
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
}

//! Line breaking for labels painted on the canvas, as the DOM breaks a sticky's label
//! (`white-space: pre-wrap; word-break: keep-all; overflow-wrap: break-word`): between words
//! only (a Korean word stays whole too), at every newline, and inside a word only when the word
//! alone is wider than the sticky.

/// `text` broken into lines no wider than `max` (as `width` measures them).
pub fn wrap(text: &str, max: f64, width: &mut impl FnMut(&str) -> f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if width(word) <= max {
                line = word.to_string();
            } else {
                // Longer than the sticky: broken where it must be, as overflow-wrap does.
                for c in word.chars() {
                    let mut longer = line.clone();
                    longer.push(c);
                    if !line.is_empty() && width(&longer) > max {
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    } else {
                        line = longer;
                    }
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 wide, as in a monospaced font.
    fn chars(s: &str) -> f64 {
        s.chars().count() as f64
    }

    #[test]
    fn words_move_to_the_next_line_whole() {
        assert_eq!(
            wrap("Customer registered", 10.0, &mut chars),
            ["Customer", "registered"]
        );
        assert_eq!(wrap("Order placed", 12.0, &mut chars), ["Order placed"]);
    }

    #[test]
    fn korean_words_are_kept_whole_and_newlines_kept() {
        assert_eq!(
            wrap("주문 타임아웃은?\n결제", 6.0, &mut chars),
            ["주문", "타임아웃은?", "결제"]
        );
    }

    #[test]
    fn only_a_word_wider_than_the_sticky_is_broken() {
        assert_eq!(
            wrap("a Donaudampfschiff", 6.0, &mut chars),
            ["a", "Donaud", "ampfsc", "hiff"]
        );
    }

    #[test]
    fn an_empty_label_is_one_empty_line() {
        assert_eq!(wrap("", 6.0, &mut chars), [""]);
    }
}

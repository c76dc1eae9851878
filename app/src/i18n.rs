//! The languages of the UI (docs/i18n.md). `load_locales!` turns `app/locales/{en,ko}/*.json`
//! into the typed `i18n` module: `t!(i18n, board.share)` in a view, `t_string!` where a `String`
//! is needed; a key missing in one language fails the build. The language comes from a cookie
//! the switch sets, else from the browser's Accept-Language, else English.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_i18n::context::UseLocalesOptions;

use crate::model::ElementKind;

leptos_i18n_macro::load_locales!();

pub use i18n::{I18nContextProvider, Locale, t, t_string, td_string, use_i18n};

/// The cookie that remembers the language picked in the menu, for a year.
const COOKIE: &str = "squall_lang";
#[cfg(feature = "hydrate")]
const REMEMBERED_SECONDS: u32 = 365 * 24 * 60 * 60;

/// Provides the language to everything inside: the one picked in the menu (the `squall_lang`
/// cookie), else the browser's first language Squall has, else English. The server decides and
/// renders the page in it; the browser reads it back from `<html lang>` (leptos_i18n).
#[component]
pub fn Languages(children: Children) -> impl IntoView {
    let languages = UseLocalesOptions::default().ssr_lang_header_getter(chosen_then_accepted);
    view! {
        <I18nContextProvider ssr_lang_header_getter=languages>
            {children()}
        </I18nContextProvider>
    }
}

/// The request's Accept-Language with the language picked in the menu put first. Only the
/// menu writes the cookie: someone who never picks one follows their browser's languages.
fn chosen_then_accepted() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let header = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let accepted = header(http::header::ACCEPT_LANGUAGE);
        return Some(match cookie(&header(http::header::COOKIE), COOKIE) {
            Some(chosen) => format!("{chosen},{accepted}"),
            None => accepted,
        });
    }
    #[allow(unreachable_code)]
    None
}

/// The value of cookie `name` in a `Cookie` header, when it is a language tag (letters and
/// dashes: nothing else reaches the Accept-Language parser).
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn cookie(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| {
            !v.is_empty() && v.len() <= 16 && v.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        })
}

/// Remembers `locale` in this browser for the server's next pages.
fn remember(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        let value = format!(
            "{COOKIE}={}; Path=/; Max-Age={REMEMBERED_SECONDS}; SameSite=Lax",
            locale.as_str()
        );
        let _ = js_sys::Reflect::set(&document(), &"cookie".into(), &value.into());
    }
    let _ = locale;
}

/// The language menu: each language named in itself, as people look for their own.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            class="language"
            aria-label=move || t_string!(i18n, common.language)
            prop:value=move || i18n.get_locale().as_str()
            on:change=move |ev| {
                if let Some(locale) = Locale::get_all()
                    .iter()
                    .find(|l| l.as_str() == event_target_value(&ev))
                {
                    remember(*locale);
                    i18n.set_locale(*locale);
                }
            }
        >
            {Locale::get_all()
                .iter()
                .map(|l| view! { <option value=l.as_str()>{own_name(*l)}</option> })
                .collect_view()}
        </select>
    }
}

/// A language's name in that language.
pub fn own_name(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::ko => "한국어",
    }
}

/// A translation with each `{name}` replaced by its value (`"{n} elements"`). The translations
/// use this instead of leptos_i18n's `{{ n }}`, which `load_locales!` only turns into views; a
/// test checks that both languages have the same placeholders.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// A translated text that follows the language, as a signal: every text of the UI renders
/// through this one type instead of a closure type per call site (which the compiler would
/// copy the rendering code for: 20 KB of the page's WebAssembly, brotli).
pub fn text(f: impl Fn() -> &'static str + Send + Sync + 'static) -> Signal<&'static str> {
    Signal::derive(f)
}

/// `n` of something, as `locale` writes it: the singular or the plural text with `{n}` filled
/// (English has both; Korean uses one text for either).
pub fn count(n: usize, locale: Locale, single: &str, many: &str) -> String {
    fill(
        if n == 1 { single } else { many },
        &[("n", &number(n, locale))],
    )
}

/// The language a model problem's message is written in (`Problem::message_in`).
pub fn language(locale: Locale) -> crate::semantic::rules::Language {
    match locale {
        Locale::ko => crate::semantic::rules::Language::Korean,
        _ => crate::semantic::rules::Language::English,
    }
}

/// What a kind of element is called in `locale`.
pub fn kind_name(kind: ElementKind, locale: Locale) -> String {
    match kind {
        ElementKind::DomainEvent => td_string!(locale, common.kind_domain_event),
        ElementKind::Command => td_string!(locale, common.kind_command),
        ElementKind::Aggregate => td_string!(locale, common.kind_aggregate),
        ElementKind::Policy => td_string!(locale, common.kind_policy),
        ElementKind::ReadModel => td_string!(locale, common.kind_read_model),
        ElementKind::Actor => td_string!(locale, common.kind_actor),
        ElementKind::ExternalSystem => td_string!(locale, common.kind_external_system),
        ElementKind::Hotspot => td_string!(locale, common.kind_hotspot),
        ElementKind::BoundedContext => td_string!(locale, common.kind_bounded_context),
        ElementKind::TextNote => td_string!(locale, common.kind_text_note),
    }
    .to_string()
}

/// The day of `ms` (milliseconds since 1970) as `locale` writes it, in the browser's time zone
/// ("Dec 2, 2026", "2026. 12. 2."): the browser's `Intl` knows every language's calendar
/// conventions. Elsewhere (tests, the server) the ISO date in UTC.
pub fn date(ms: f64, locale: Locale) -> String {
    #[cfg(feature = "hydrate")]
    {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        return js_sys::Date::new(&ms.into())
            .to_locale_date_string(locale.as_str(), &options)
            .into();
    }
    #[allow(unreachable_code)]
    {
        let _ = locale;
        iso_date(ms)
    }
}

/// `ms` since 1970 as a UTC calendar date, YYYY-MM-DD (Howard Hinnant's days-to-civil).
fn iso_date(ms: f64) -> String {
    let days = (ms / 86_400_000.0).floor() as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A whole number as `locale` writes it: digits grouped by thousands (10,000 in English and
/// in Korean alike).
pub fn number(n: usize, locale: Locale) -> String {
    let separator = match locale {
        Locale::en | Locale::ko => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(number(0, Locale::en), "0");
        assert_eq!(number(999, Locale::en), "999");
        assert_eq!(number(10_000, Locale::ko), "10,000");
        assert_eq!(number(1_234_567, Locale::en), "1,234,567");
    }

    #[test]
    fn the_chosen_language_is_read_from_the_cookie_header_and_nothing_else() {
        assert_eq!(
            cookie("a=1; squall_lang=ko; b=2", COOKIE).as_deref(),
            Some("ko")
        );
        assert_eq!(cookie("squall_lang=en", COOKIE).as_deref(), Some("en"));
        assert_eq!(cookie("xsquall_lang=ko", COOKIE), None);
        assert_eq!(
            cookie("squall_lang=ko,fr;q=1", COOKIE),
            None,
            "only a language tag"
        );
        assert_eq!(cookie("squall_lang=", COOKIE), None);
        assert_eq!(cookie("", COOKIE), None);
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(fill("{i} of {n}", &[("i", "2"), ("n", "15")]), "2 of 15");
        assert_eq!(
            fill("{n}개 중 {i}번째", &[("i", "2"), ("n", "15")]),
            "15개 중 2번째"
        );
    }

    /// The placeholders of every key, by namespace, in one language's files.
    fn placeholders(language: &str) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut all = std::collections::BTreeMap::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(language);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let keys: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for (key, text) in keys {
                let mut names: Vec<String> = text
                    .split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                    // A placeholder is a name (`{n}`); JSON in an example text is not one.
                    .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    .collect();
                names.sort();
                all.insert(
                    format!("{}.{key}", path.file_stem().unwrap().to_string_lossy()),
                    names,
                );
            }
        }
        all
    }

    #[test]
    fn korean_and_english_have_the_same_keys_and_placeholders() {
        let (en, ko) = (placeholders("en"), placeholders("ko"));
        assert_eq!(en.len(), 248);
        assert_eq!(en, ko);
    }

    #[test]
    fn outside_a_browser_a_day_is_its_iso_date() {
        assert_eq!(date(0.0, Locale::en), "1970-01-01");
        // 2026-12-02T11:30:00Z
        assert_eq!(date(1_796_211_000_000.0, Locale::ko), "2026-12-02");
        assert_eq!(date(951_782_400_000.0, Locale::en), "2000-02-29");
    }
}

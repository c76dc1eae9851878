use leptos::prelude::*;

use crate::model::Element;

/// One element at its position, in its kind's colour. Text is always escaped by Leptos, so
/// hostile labels are shown, never run.
#[component]
pub fn Sticky(element: Element) -> impl IntoView {
    let kind = element.kind;
    let style = format!(
        "left:{}px;top:{}px;width:{}px;height:{}px;--sticky:{}",
        element.x,
        element.y,
        element.width,
        element.height,
        kind.colour()
    );
    view! {
        <div
            class=format!("element kind-{}", kind.as_str())
            data-id=element.id.to_string()
            data-kind=kind.as_str()
            title=kind.title()
            style=style
        >
            <span class="label">{element.label}</span>
        </div>
    }
}

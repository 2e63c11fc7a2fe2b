//! Starts the app in the page Trunk built (`static/index.html`).

fn main() {
    yew::Renderer::<client_wasm::app::App>::new().render();
}

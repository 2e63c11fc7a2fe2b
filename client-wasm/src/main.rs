//! Starts the app in the page Trunk built (`static/index.html`, or `static/console.html` for
//! the console's build).

fn main() {
    yew::Renderer::<client_wasm::app::App>::new().render();
}

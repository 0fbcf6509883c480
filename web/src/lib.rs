//! The Playground: a simulated Raft cluster as a JavaScript object.
//!
//! This is the only crate that knows about wasm-bindgen and JS. Until the simulator's API
//! lands, this holds only the option parsing.

mod input;
mod options;

use wasm_bindgen::prelude::*;

use crate::options::Options;

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A simulated Raft cluster: `new Playground({ nodes: 5, seed: 42 })`.
#[wasm_bindgen]
pub struct Playground {
    options: Options,
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(options?)`; an invalid option throws an `Error` naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Playground, JsError> {
        let options = Options::parse(&options).map_err(|m| JsError::new(&m))?;
        Ok(Playground { options })
    }

    /// The seed.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> f64 {
        self.options.seed.unwrap_or(0) as f64
    }

    /// A placeholder for `state()` until the simulator is wired in.
    #[wasm_bindgen(getter)]
    pub fn nodes(&self) -> f64 {
        self.options.nodes.unwrap_or(5) as f64
    }
}

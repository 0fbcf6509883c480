//! The few JavaScript built-ins the bindings call, declared here rather than taken from
//! `js-sys`: that crate keeps a JS-promise task runtime alive in every module that links it
//! (a `#[used]` waker table), about 1 KB of wasm this crate never runs.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS array, read through `length` and `[i]`.
    pub type Array;

    /// `array.length`.
    #[wasm_bindgen(method, getter, structural)]
    pub fn length(this: &Array) -> u32;

    /// `array[index]`.
    #[wasm_bindgen(method, indexing_getter, structural)]
    pub fn get(this: &Array, index: u32) -> JsValue;

    /// `Array.isArray(value)` (wasm-bindgen makes it `Array::is_array`).
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> bool;

    /// `Object.entries(object)`: `[key, value]` pairs of its own enumerable properties.
    #[wasm_bindgen(js_namespace = Object, js_name = entries)]
    pub fn object_entries(object: &JsValue) -> Array;

    /// `JSON.parse(text)`; throws on text that is not JSON.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// `JSON.stringify(value)`; throws on cycles and BigInts.
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `String(n)`: a number as JS prints it.
    #[wasm_bindgen(js_name = String)]
    pub fn number_to_string(n: f64) -> String;
}

/// `Array.isArray(value)`.
pub fn is_array(value: &JsValue) -> bool {
    Array::is_array(value)
}

impl Array {
    /// The elements, in order.
    pub fn to_vec(&self) -> Vec<JsValue> {
        (0..self.length()).map(|i| self.get(i)).collect()
    }
}

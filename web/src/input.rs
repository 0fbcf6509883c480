//! Checking what JavaScript hands us. Every value crossing the boundary is a `JsValue` first,
//! and is turned into a Rust value here, with an error message that names the argument or
//! option and says what was wrong with it. Nothing here panics on any input.

use wasm_bindgen::{JsCast, JsValue};

use crate::js;

/// An error a caller made, worded for a JS `Error` message.
pub type InputResult<T> = Result<T, String>;

/// A short description of a JS value for error messages: `12`, `"abc"`, `NaN`, `an object`.
pub fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".to_string()
    } else if value.is_null() {
        "null".to_string()
    } else if let Some(b) = value.as_bool() {
        b.to_string()
    } else if let Some(n) = value.as_f64() {
        format_number(n)
    } else if let Some(s) = value.as_string() {
        let mut short: String = s.chars().take(40).collect();
        if short.len() < s.len() {
            short.push_str("...");
        }
        // Quoted by JS (`JSON.stringify`): Rust's `{:?}` for strings brings Unicode
        // escaping tables into the wasm.
        js::json_stringify(&JsValue::from_str(&short))
            .ok()
            .and_then(|quoted| quoted.as_string())
            .unwrap_or(short)
    } else if js::is_array(value) {
        "an array".to_string()
    } else if value.is_function() {
        "a function".to_string()
    } else if value.is_bigint() {
        "a BigInt".to_string()
    } else {
        "an object".to_string()
    }
}

/// Formats a number exactly as JS prints it (`String(n)`). JS does the formatting, which
/// keeps Rust's float formatting out of the wasm.
pub fn format_number(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e15 {
        // By hand rather than `format!("{}", n as i64)`: that is the only `i64` Display.
        let digits = (n.abs() as u64).to_string();
        if n < 0.0 {
            format!("-{digits}")
        } else {
            digits
        }
    } else {
        js::number_to_string(n)
    }
}

/// True when the caller left the value out (`undefined` or `null`).
pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// A finite number.
pub fn number(name: &str, value: &JsValue) -> InputResult<f64> {
    match value.as_f64() {
        Some(n) if n.is_finite() => Ok(n),
        _ => Err(format!(
            "{name} must be a finite number, got {}",
            describe(value)
        )),
    }
}

/// A finite number within `[min, max]`.
pub fn number_in(name: &str, value: &JsValue, min: f64, max: f64) -> InputResult<f64> {
    let n = number(name, value)?;
    if n < min || n > max {
        return Err(format!(
            "{name} must be a number from {} to {}, got {}",
            format_number(min),
            format_number(max),
            format_number(n)
        ));
    }
    Ok(n)
}

/// An integer within `[min, max]` (both at most 2^53, so exact in an f64).
pub fn integer_in(name: &str, value: &JsValue, min: u64, max: u64) -> InputResult<u64> {
    let ok = value
        .as_f64()
        .filter(|n| n.is_finite() && *n == n.trunc() && *n >= min as f64 && *n <= max as f64);
    match ok {
        Some(n) => Ok(n as u64),
        None => Err(format!(
            "{name} must be an integer from {min} to {max}, got {}",
            describe(value)
        )),
    }
}

/// A boolean.
pub fn boolean(name: &str, value: &JsValue) -> InputResult<bool> {
    value
        .as_bool()
        .ok_or_else(|| format!("{name} must be true or false, got {}", describe(value)))
}

/// A string.
pub fn string(name: &str, value: &JsValue) -> InputResult<String> {
    value
        .as_string()
        .ok_or_else(|| format!("{name} must be a string, got {}", describe(value)))
}

/// An array, as its elements.
pub fn array(name: &str, value: &JsValue) -> InputResult<Vec<JsValue>> {
    if !js::is_array(value) {
        return Err(format!("{name} must be an array, got {}", describe(value)));
    }
    Ok(value.unchecked_ref::<js::Array>().to_vec())
}

/// A `[min, max]` pair of numbers within `[lo, hi]`, with `min <= max`.
pub fn range(name: &str, value: &JsValue, lo: f64, hi: f64) -> InputResult<(f64, f64)> {
    let items = array(name, value)?;
    let shape_error = || {
        format!(
            "{name} must be [min, max] with {} <= min <= max <= {}, got {}",
            format_number(lo),
            format_number(hi),
            describe_array(&items)
        )
    };
    if items.len() != 2 {
        return Err(shape_error());
    }
    let (Some(min), Some(max)) = (items[0].as_f64(), items[1].as_f64()) else {
        return Err(shape_error());
    };
    if !(min.is_finite() && max.is_finite() && lo <= min && min <= max && max <= hi) {
        return Err(shape_error());
    }
    Ok((min, max))
}

fn describe_array(items: &[JsValue]) -> String {
    let parts: Vec<String> = items.iter().take(8).map(describe).collect();
    let more = if items.len() > 8 { ", ..." } else { "" };
    format!("[{}{more}]", parts.join(", "))
}

/// The own enumerable keys of a plain object, or an error if the value is not an object.
pub fn object_entries(name: &str, value: &JsValue) -> InputResult<Vec<(String, JsValue)>> {
    if !value.is_object() || js::is_array(value) || value.is_function() {
        return Err(format!("{name} must be an object, got {}", describe(value)));
    }
    let mut out = Vec::new();
    for pair in js::object_entries(value).to_vec() {
        let pair: js::Array = pair.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        out.push((key, pair.get(1)));
    }
    Ok(out)
}

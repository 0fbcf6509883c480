//! A JSON text writer for the objects the Playground hands to JS (`state()`, `events()`, ...).
//!
//! The readers build one JSON string in Rust and JS parses it (`JSON.parse`) into plain
//! objects. A serde `Serialize` impl per view struct plus serde-wasm-bindgen cost about a
//! fifth of the wasm; this writer needs only what the views hold: unsigned integers, times
//! in whole microseconds shown as milliseconds, a few user-given floats, booleans, `null`
//! and escaped strings. Rust's float formatting stays out of the wasm: times are written as
//! exact decimals, and other floats are formatted by JS (see [`Json::number`]).
//!
//! Commas are placed by looking at the last byte written: none after `{`, `[` or `:`, one
//! before anything else. So a caller writes keys and values in order and never tracks
//! "first element" state.

/// A JSON text being written. Keys must be written with [`Json::key`] before each value in
/// an object.
// The text is kept as bytes: slicing a `&str` at an escape would bring in the panic path
// for a slice off a character boundary, and with it `char`'s Debug formatting and Unicode
// tables (about 4 KB of wasm). Only whole UTF-8 strings and ASCII are ever appended.
#[derive(Default)]
pub struct Json {
    out: Vec<u8>,
}

impl Json {
    /// An empty text.
    pub fn new() -> Json {
        Json::default()
    }

    /// The text written so far (`None` would be a bug in this module: it appends only
    /// whole strings and ASCII).
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.out).ok()
    }

    /// A comma, unless this value opens a container, follows a key or is the first.
    fn sep(&mut self) {
        if !matches!(self.out.last(), None | Some(b'{' | b'[' | b':')) {
            self.out.push(b',');
        }
    }

    /// `{`.
    pub fn open(&mut self) {
        self.sep();
        self.out.push(b'{');
    }

    /// `}`.
    pub fn close(&mut self) {
        self.out.push(b'}');
    }

    /// `[`.
    pub fn open_array(&mut self) {
        self.sep();
        self.out.push(b'[');
    }

    /// `]`.
    pub fn close_array(&mut self) {
        self.out.push(b']');
    }

    /// An object key (escaped like any string), then `:`.
    pub fn key(&mut self, key: &str) {
        self.str(key);
        self.out.push(b':');
    }

    /// An unsigned integer. The views' integers (ids, terms, indices, counters) stay far
    /// below 2^53, where JS numbers are exact.
    pub fn u64(&mut self, n: u64) {
        self.sep();
        self.digits(n);
    }

    fn digits(&mut self, mut n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&buf[i..]);
    }

    /// Virtual time in microseconds, as milliseconds: `1234` is written `1.234`. JSON.parse
    /// of that decimal gives the same double as `us / 1000` computed in f64, since both are
    /// the correctly rounded value of the same real number.
    pub fn ms(&mut self, us: u64) {
        self.u64(us / 1000);
        let mut frac = us % 1000;
        if frac != 0 {
            self.out.push(b'.');
            let mut width = 3;
            while frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            let pad = width - decimal_len(frac);
            self.out.resize(self.out.len() + pad, b'0');
            self.digits(frac);
        }
    }

    /// A finite float given by the caller (an option such as `lossRatio`), formatted by
    /// `format` (the caller passes JS's `String(n)`, which JSON accepts for finite numbers).
    pub fn number(&mut self, n: f64, format: impl Fn(f64) -> String) {
        self.sep();
        self.out.extend_from_slice(format(n).as_bytes());
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.sep();
        let text: &[u8] = if b { b"true" } else { b"false" };
        self.out.extend_from_slice(text);
    }

    /// `null`.
    pub fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
    }

    /// A string, quoted and escaped: `"` and `\` get a backslash, control characters
    /// (below U+0020) become `\u00XX`; everything else, any Unicode included, is written
    /// as it is, which JSON allows.
    pub fn str(&mut self, s: &str) {
        self.sep();
        self.out.push(b'"');
        // Bytes of multi-byte characters are all >= 0x80, so this never splits one.
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'"' || b == b'\\' || b < 0x20 {
                self.out.extend_from_slice(&bytes[start..i]);
                self.out.push(b'\\');
                if b < 0x20 {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.extend_from_slice(b"u00");
                    self.out.push(HEX[(b >> 4) as usize]);
                    self.out.push(HEX[(b & 15) as usize]);
                } else {
                    self.out.push(b);
                }
                start = i + 1;
            }
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    /// A key and an integer value.
    pub fn field_u64(&mut self, key: &str, n: u64) {
        self.key(key);
        self.u64(n);
    }

    /// A key and a string value.
    pub fn field_str(&mut self, key: &str, s: &str) {
        self.key(key);
        self.str(s);
    }

    /// A key and a time value (see [`Json::ms`]).
    pub fn field_ms(&mut self, key: &str, us: u64) {
        self.key(key);
        self.ms(us);
    }

    /// A key and a boolean value.
    pub fn field_bool(&mut self, key: &str, b: bool) {
        self.key(key);
        self.bool(b);
    }

    /// A key and an integer, only when there is one (the key is left out otherwise).
    pub fn field_opt_u64(&mut self, key: &str, n: Option<u64>) {
        if let Some(n) = n {
            self.field_u64(key, n);
        }
    }

    /// A key and an integer or `null`.
    pub fn field_u64_or_null(&mut self, key: &str, n: Option<u64>) {
        self.key(key);
        match n {
            Some(n) => self.u64(n),
            None => self.null(),
        }
    }

    /// A key and an array of integers.
    pub fn field_u64s(&mut self, key: &str, items: &[u64]) {
        self.key(key);
        self.open_array();
        for &n in items {
            self.u64(n);
        }
        self.close_array();
    }
}

/// Number of decimal digits of `n` (1 for 0).
fn decimal_len(mut n: u64) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(write: impl FnOnce(&mut Json)) -> String {
        let mut j = Json::new();
        write(&mut j);
        j.as_str().expect("valid UTF-8").to_string()
    }

    #[test]
    fn commas_go_between_values_only() {
        let text = one(|j| {
            j.open();
            j.field_u64("a", 1);
            j.key("b");
            j.open_array();
            j.u64(0);
            j.null();
            j.open();
            j.close();
            j.open_array();
            j.close_array();
            j.close_array();
            j.field_opt_u64("skipped", None);
            j.field_u64_or_null("c", None);
            j.field_bool("d", false);
            j.field_u64s("e", &[3, 4]);
            j.close();
        });
        assert_eq!(
            text,
            r#"{"a":1,"b":[0,null,{},[]],"c":null,"d":false,"e":[3,4]}"#
        );
    }

    #[test]
    fn integers() {
        assert_eq!(one(|j| j.u64(0)), "0");
        assert_eq!(one(|j| j.u64(7)), "7");
        assert_eq!(one(|j| j.u64(1_000_000)), "1000000");
        assert_eq!(one(|j| j.u64(u64::MAX)), u64::MAX.to_string());
    }

    #[test]
    fn times_are_exact_decimals_of_ms() {
        for (us, text) in [
            (0, "0"),
            (1, "0.001"),
            (10, "0.01"),
            (100, "0.1"),
            (1000, "1"),
            (1234, "1.234"),
            (1230, "1.23"),
            (1200, "1.2"),
            (1005, "1.005"),
            (1050, "1.05"),
            (60_000_007, "60000.007"),
        ] {
            assert_eq!(one(|j| j.ms(us)), text, "{us} us");
        }
        // Parsing the decimal gives the same double as dividing.
        for us in [1u64, 7, 999, 1001, 123_456_789, 9_007_199_254_740_991] {
            let text = one(|j| j.ms(us));
            assert_eq!(text.parse::<f64>().unwrap(), us as f64 / 1000.0, "{us} us");
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(one(|j| j.str("")), r#""""#);
        assert_eq!(one(|j| j.str("put x 1")), r#""put x 1""#);
        assert_eq!(one(|j| j.str(r#"say "hi""#)), r#""say \"hi\"""#);
        assert_eq!(one(|j| j.str(r"a\b")), r#""a\\b""#);
        assert_eq!(
            one(|j| j.str("tab\tnl\ncr\r\u{0}\u{1f}")),
            r#""tab\u0009nl\u000acr\u000d\u0000\u001f""#
        );
        // Non-ASCII passes through, DEL and U+2028 included (JSON allows them raw).
        assert_eq!(
            one(|j| j.str("é 日本 🦀 \u{7f} \u{2028}")),
            "\"é 日本 🦀 \u{7f} \u{2028}\""
        );
        assert_eq!(one(|j| j.key("k\"")), r#""k\"":"#);
    }
}

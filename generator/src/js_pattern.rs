//! The learner-id `pattern` of `course.yaml`, checked with the browser's rules. An HTML
//! `pattern` is compiled as a JavaScript regular expression with the `v` flag (Unicode sets
//! mode); a pattern that does not compile is silently ignored, and the field then accepts any
//! id. So the build reads the pattern with the ECMAScript grammar of that mode: the syntax of
//! groups, escapes, quantifiers and, above all, of character classes, where `v` mode reserves
//! punctuation that other regex dialects accept (`[0-9 -]` must be `[0-9 \-]`). Whatever this
//! checker does not know for sure is refused, never passed on to be ignored.

/// Why a pattern does not compile with the `v` flag, and at which character (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub at: usize,
    pub message: String,
}

/// Characters with a meaning of their own outside a class.
const SYNTAX: &str = "^$\\.*+?()[]{}|";
/// Characters that must be escaped inside a `v`-mode class.
const CLASS_SYNTAX: &str = "()[]{}/-\\|";
/// Punctuators a `v`-mode class reserves when doubled (`&&` and `--` are operators).
const CLASS_DOUBLE: &str = "&!#$%*+,.:;<=>?@^`~";
/// Punctuators that may be escaped inside a `v`-mode class.
const CLASS_ESCAPABLE: &str = "&-!#%,:;<=>@`~";

/// General categories and binary properties `\p{...}` may name (short and long names).
const PROPERTIES: &[&str] = &[
    "L",
    "Letter",
    "Lu",
    "Uppercase_Letter",
    "Ll",
    "Lowercase_Letter",
    "Lt",
    "Titlecase_Letter",
    "LC",
    "Cased_Letter",
    "Lm",
    "Modifier_Letter",
    "Lo",
    "Other_Letter",
    "M",
    "Mark",
    "Mn",
    "Nonspacing_Mark",
    "Mc",
    "Spacing_Mark",
    "Me",
    "Enclosing_Mark",
    "N",
    "Number",
    "Nd",
    "Decimal_Number",
    "Nl",
    "Letter_Number",
    "No",
    "Other_Number",
    "P",
    "Punctuation",
    "Pc",
    "Connector_Punctuation",
    "Pd",
    "Dash_Punctuation",
    "Ps",
    "Open_Punctuation",
    "Pe",
    "Close_Punctuation",
    "Pi",
    "Initial_Punctuation",
    "Pf",
    "Final_Punctuation",
    "Po",
    "Other_Punctuation",
    "S",
    "Symbol",
    "Sm",
    "Math_Symbol",
    "Sc",
    "Currency_Symbol",
    "Sk",
    "Modifier_Symbol",
    "So",
    "Other_Symbol",
    "Z",
    "Separator",
    "Zs",
    "Space_Separator",
    "Zl",
    "Line_Separator",
    "Zp",
    "Paragraph_Separator",
    "C",
    "Other",
    "Cc",
    "Control",
    "Cf",
    "Format",
    "Cs",
    "Surrogate",
    "Co",
    "Private_Use",
    "Cn",
    "Unassigned",
    "ASCII",
    "ASCII_Hex_Digit",
    "Alphabetic",
    "Alpha",
    "Any",
    "Assigned",
    "Hex_Digit",
    "Lowercase",
    "Uppercase",
    "White_Space",
    "space",
    "Emoji",
];

/// Scripts `\p{Script=...}` may name.
const SCRIPTS: &[&str] = &[
    "Arabic",
    "Arab",
    "Latin",
    "Latn",
    "Devanagari",
    "Deva",
    "Bengali",
    "Beng",
    "Gurmukhi",
    "Guru",
    "Cyrillic",
    "Cyrl",
    "Greek",
    "Grek",
    "Hebrew",
    "Hebr",
    "Han",
    "Hani",
    "Thaana",
    "Thaa",
    "Syriac",
    "Syrc",
    "Tamil",
    "Taml",
    "Common",
    "Zyyy",
    "Inherited",
    "Zinh",
];

/// Checks `pattern` as the browser compiles an HTML `pattern` attribute.
pub fn check(pattern: &str) -> Result<(), PatternError> {
    let mut parser = Checker {
        chars: pattern.chars().collect(),
        at: 0,
        groups: 0,
        names: Vec::new(),
        backrefs: Vec::new(),
        named_refs: Vec::new(),
    };
    parser.disjunction()?;
    if parser.at < parser.chars.len() {
        return parser.fail("`)` closes a group that was never opened; escape it as `\\)`");
    }
    for (at, n) in parser.backrefs.clone() {
        if n > parser.groups {
            return Err(PatternError {
                at,
                message: format!(
                    "`\\{n}` refers to group {n}, and the pattern has {} groups",
                    parser.groups
                ),
            });
        }
    }
    for (at, name) in parser.named_refs.clone() {
        if !parser.names.contains(&name) {
            return Err(PatternError {
                at,
                message: format!("`\\k<{name}>` refers to no group named `{name}`"),
            });
        }
    }
    Ok(())
}

struct Checker {
    chars: Vec<char>,
    at: usize,
    groups: usize,
    names: Vec<String>,
    backrefs: Vec<(usize, usize)>,
    named_refs: Vec<(usize, String)>,
}

type Checked<T = ()> = Result<T, PatternError>;

impl Checker {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars[self.at.min(self.chars.len())..]
            .iter()
            .take(n)
            .copied()
            .eq(s.chars())
        {
            self.at += n;
            true
        } else {
            false
        }
    }

    fn fail<T>(&self, message: impl Into<String>) -> Checked<T> {
        Err(PatternError {
            at: self.at,
            message: message.into(),
        })
    }

    fn disjunction(&mut self) -> Checked {
        loop {
            self.alternative()?;
            if !self.eat('|') {
                return Ok(());
            }
        }
    }

    fn alternative(&mut self) -> Checked {
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => return Ok(()),
                '^' | '$' => self.at += 1,
                '\\' if matches!(self.peek_at(1), Some('b' | 'B')) => self.at += 2,
                '(' if self.lookaround() => {
                    self.disjunction()?;
                    if !self.eat(')') {
                        return self.fail("a group is not closed with `)`");
                    }
                }
                _ => {
                    self.atom()?;
                    self.quantifier()?;
                }
            }
            if matches!(self.peek(), Some('*' | '+' | '?'))
                || (self.peek() == Some('{') && self.braced_quantifier_ahead())
            {
                return self.fail("a quantifier follows nothing it can repeat");
            }
        }
        Ok(())
    }

    /// `(?=`, `(?!`, `(?<=` or `(?<!`, consumed.
    fn lookaround(&mut self) -> bool {
        for opening in ["(?=", "(?!", "(?<=", "(?<!"] {
            if self.eat_str(opening) {
                return true;
            }
        }
        false
    }

    fn braced_quantifier_ahead(&self) -> bool {
        let rest: String = self.chars[self.at..].iter().take(40).collect();
        let Some(close) = rest.find('}') else {
            return false;
        };
        let inner = &rest[1..close];
        let (low, high) = inner.split_once(',').unwrap_or((inner, "0"));
        !low.is_empty()
            && low.chars().all(|c| c.is_ascii_digit())
            && high.chars().all(|c| c.is_ascii_digit())
    }

    fn quantifier(&mut self) -> Checked {
        match self.peek() {
            Some('*' | '+' | '?') => self.at += 1,
            Some('{') => {
                let start = self.at;
                self.at += 1;
                let low = self.digits();
                let high = if self.eat(',') {
                    Some(self.digits())
                } else {
                    None
                };
                if low.is_none() || !self.eat('}') {
                    self.at = start;
                    return self.fail("a `{` that is not a quantifier such as `{3}` or `{2,5}`: escape it as `\\{`");
                }
                if let (Some(low), Some(Some(high))) = (low, high)
                    && low > high
                {
                    self.at = start;
                    return self.fail(format!("the quantifier `{{{low},{high}}}` counts down"));
                }
            }
            _ => return Ok(()),
        }
        self.eat('?');
        Ok(())
    }

    fn digits(&mut self) -> Option<u128> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        if start == self.at {
            return None;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        Some(text.parse().unwrap_or(u128::MAX))
    }

    fn atom(&mut self) -> Checked {
        let Some(c) = self.peek() else {
            return Ok(());
        };
        match c {
            '.' => self.at += 1,
            '\\' => {
                self.at += 1;
                self.atom_escape()?;
            }
            '[' => self.class()?,
            '(' => self.group()?,
            '*' | '+' | '?' => return self.fail("a quantifier follows nothing it can repeat"),
            '{' | '}' | ']' => {
                return self.fail(format!("a lone `{c}` is not allowed: escape it as `\\{c}`"));
            }
            _ => self.at += 1,
        }
        Ok(())
    }

    fn group(&mut self) -> Checked {
        self.at += 1;
        let non_capturing = self.eat_str("?:");
        if non_capturing {
            // Only groups that capture are counted.
        } else if self.eat_str("?<") {
            let start = self.at;
            let name = self.group_name()?;
            if self.names.contains(&name) {
                self.at = start;
                return self.fail(format!("two groups are named `{name}`"));
            }
            self.names.push(name);
            self.groups += 1;
        } else if self.peek() == Some('?') {
            return self.fail("this kind of group is not supported here: use `(...)`, `(?:...)`, `(?<name>...)` or a lookaround");
        } else {
            self.groups += 1;
        }
        self.disjunction()?;
        if !self.eat(')') {
            return self.fail("a group is not closed with `)`");
        }
        Ok(())
    }

    fn group_name(&mut self) -> Checked<String> {
        let start = self.at;
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c == '>' {
                break;
            }
            let ok = if name.is_empty() {
                c.is_alphabetic() || c == '$' || c == '_'
            } else {
                c.is_alphanumeric() || c == '$' || c == '_'
            };
            if !ok {
                return self.fail(format!("`{c}` cannot be part of a group name"));
            }
            name.push(c);
            self.at += 1;
        }
        if name.is_empty() || !self.eat('>') {
            self.at = start;
            return self.fail("a group name is written `<name>`");
        }
        Ok(name)
    }

    /// After `\` outside a class.
    fn atom_escape(&mut self) -> Checked {
        let Some(c) = self.peek() else {
            return self.fail("the pattern ends with a lone `\\`");
        };
        match c {
            '1'..='9' => {
                let start = self.at;
                let n = self.digits().unwrap_or(0);
                self.backrefs.push((start, n as usize));
                Ok(())
            }
            'k' => {
                let start = self.at;
                self.at += 1;
                if !self.eat('<') {
                    return self.fail("`\\k` is written `\\k<name>`");
                }
                let name = self.group_name()?;
                self.named_refs.push((start, name));
                Ok(())
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.at += 1;
                Ok(())
            }
            'p' | 'P' => self.property(),
            _ => self.character_escape(false),
        }
    }

    /// `\p{...}` or `\P{...}` (the `\` already read).
    fn property(&mut self) -> Checked {
        self.at += 1;
        if !self.eat('{') {
            return self.fail("`\\p` is written `\\p{Name}`");
        }
        let start = self.at;
        while self.peek().is_some_and(|c| c != '}') {
            self.at += 1;
        }
        let body: String = self.chars[start..self.at].iter().collect();
        if !self.eat('}') {
            return self.fail("`\\p{` is not closed with `}`");
        }
        let known = match body.split_once('=') {
            Some((key, value)) => {
                matches!(key, "Script" | "sc" | "Script_Extensions" | "scx")
                    && SCRIPTS.contains(&value)
                    || matches!(key, "General_Category" | "gc") && PROPERTIES.contains(&value)
            }
            None => PROPERTIES.contains(&body.as_str()),
        };
        if !known {
            self.at = start;
            return self.fail(format!(
                "`\\p{{{body}}}` is not a property Sabaq can check: use a general category such as `\\p{{L}}` or `\\p{{Nd}}`, or `\\p{{Script=Arabic}}`"
            ));
        }
        Ok(())
    }

    /// An escaped character (the `\` already read); `in_class` allows the class punctuators.
    fn character_escape(&mut self, in_class: bool) -> Checked {
        let Some(c) = self.peek() else {
            return self.fail("the pattern ends with a lone `\\`");
        };
        self.at += 1;
        match c {
            'f' | 'n' | 'r' | 't' | 'v' => Ok(()),
            'c' => {
                if self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.at += 1;
                    Ok(())
                } else {
                    self.fail("`\\c` is followed by a letter A-Z")
                }
            }
            '0' => {
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.fail("`\\0` followed by a digit is not allowed")
                } else {
                    Ok(())
                }
            }
            'x' => self.hex(2),
            'u' => {
                if self.eat('{') {
                    let start = self.at;
                    while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.at += 1;
                    }
                    let digits: String = self.chars[start..self.at].iter().collect();
                    let fits = u32::from_str_radix(&digits, 16).is_ok_and(|v| v <= 0x10ffff);
                    if digits.is_empty() || !fits || !self.eat('}') {
                        return self.fail("`\\u{...}` holds a code point up to 10FFFF");
                    }
                    Ok(())
                } else {
                    self.hex(4)
                }
            }
            c if SYNTAX.contains(c) || c == '/' => Ok(()),
            '-' if in_class => Ok(()),
            c if in_class && CLASS_ESCAPABLE.contains(c) => Ok(()),
            c => {
                self.at -= 1;
                self.fail(format!(
                    "`\\{c}` is not an escape the browser knows: write `{c}` alone"
                ))
            }
        }
    }

    fn hex(&mut self, n: usize) -> Checked {
        for _ in 0..n {
            if !self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                return self.fail(format!("this escape needs {n} hexadecimal digits"));
            }
            self.at += 1;
        }
        Ok(())
    }

    /// A `[...]` class in `v` mode.
    fn class(&mut self) -> Checked {
        self.at += 1;
        let negated = self.eat('^');
        // The operator of this class, once one is seen: mixing them needs nested classes.
        let mut operator: Option<&str> = None;
        let mut operands = 0;
        let mut ranges = false;
        loop {
            let Some(c) = self.peek() else {
                return self.fail("a `[` class is not closed with `]`");
            };
            if c == ']' {
                self.at += 1;
                if operator.is_some() && operands < 2 {
                    return self.fail("`&&` or `--` needs a class on each side");
                }
                return Ok(());
            }
            for op in ["&&", "--"] {
                if self.eat_str(op) {
                    if operands == 0
                        || ranges
                        || operator.is_some_and(|o| o != op)
                        || operator.is_none() && operands > 1
                    {
                        self.at -= 2;
                        return self.fail(format!(
                            "`{op}` inside `[...]` is an operator between two classes; to mean the characters, escape them (`\\{}`)",
                            &op[..1]
                        ));
                    }
                    operator = Some(if op == "&&" { "&&" } else { "--" });
                    if self.peek() == Some('&') {
                        return self.fail("`&&&` is not allowed inside `[...]`");
                    }
                    continue;
                }
            }
            let start = self.at;
            let single = self.class_operand(negated)?;
            operands += 1;
            if self.peek() == Some('-') && self.peek_at(1) != Some('-') {
                if operator.is_some() || !single {
                    return self.fail("`-` inside `[...]` must be escaped as `\\-`, or stand between two characters as a range");
                }
                self.at += 1;
                if matches!(self.peek(), Some(']') | None) {
                    self.at -= 1;
                    return self.fail("`-` at the end of `[...]` must be escaped as `\\-`");
                }
                ranges = true;
                let high_start = self.at;
                if !self.class_operand(negated)? {
                    self.at = high_start;
                    return self.fail("a range in `[...]` goes from one character to another");
                }
                let low = self.class_char_value(start);
                let high = self.class_char_value(high_start);
                if let (Some(low), Some(high)) = (low, high)
                    && low > high
                {
                    self.at = start;
                    return self
                        .fail("a range in `[...]` goes from the lower character to the higher");
                }
            } else if operator.is_some() && !matches!(self.peek(), Some(']')) && !self.at_operator()
            {
                return self.fail("after `&&` or `--` inside `[...]`, join more classes with the same operator, or nest them in `[...]`");
            }
        }
    }

    fn at_operator(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1)),
            (Some('&'), Some('&')) | (Some('-'), Some('-'))
        )
    }

    /// The code point of the single class character written at `start`, when it is a plain
    /// character (escapes count as unknown, which skips the order check).
    fn class_char_value(&self, start: usize) -> Option<u32> {
        let c = self.chars.get(start)?;
        (*c != '\\').then_some(*c as u32)
    }

    /// One operand of a `v`-mode class; `true` when it is a single character (a range end).
    fn class_operand(&mut self, negated: bool) -> Checked<bool> {
        let c = self.peek().unwrap_or(']');
        match c {
            '[' => {
                self.class()?;
                Ok(false)
            }
            '\\' => {
                self.at += 1;
                match self.peek() {
                    Some('d' | 'D' | 's' | 'S' | 'w' | 'W') => {
                        self.at += 1;
                        Ok(false)
                    }
                    Some('p' | 'P') => {
                        self.property()?;
                        Ok(false)
                    }
                    Some('q') => {
                        if negated {
                            return self.fail("`\\q{...}` cannot stand in a negated class `[^...]`");
                        }
                        self.at += 1;
                        if !self.eat('{') {
                            return self.fail("`\\q` is written `\\q{abc|def}`");
                        }
                        while !self.eat('}') {
                            match self.peek() {
                                None => return self.fail("`\\q{` is not closed with `}`"),
                                Some('\\') => {
                                    self.at += 1;
                                    self.character_escape(true)?;
                                }
                                Some(c) if c != '|' && CLASS_SYNTAX.contains(c) => {
                                    return self.fail(format!(
                                        "`{c}` inside `\\q{{...}}` must be escaped as `\\{c}`"
                                    ));
                                }
                                Some(_) => self.at += 1,
                            }
                        }
                        Ok(false)
                    }
                    Some('b') => {
                        self.at += 1;
                        Ok(true)
                    }
                    _ => {
                        self.character_escape(true)?;
                        Ok(true)
                    }
                }
            }
            c if CLASS_SYNTAX.contains(c) => self.fail(format!(
                "`{c}` inside `[...]` must be escaped as `\\{c}` (the browser reads patterns with the `v` flag)"
            )),
            c if CLASS_DOUBLE.contains(c) && self.peek_at(1) == Some(c) => self.fail(format!(
                "`{c}{c}` inside `[...]` is reserved: escape it as `\\{c}\\{c}`"
            )),
            _ => {
                self.at += 1;
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    /// Patterns the browser compiles with the `v` flag; the browser test
    /// (`tests/browser/learner-pattern.test.mjs`) checks these and the refused ones in Chromium.
    #[test]
    fn patterns_that_compile_with_the_v_flag_are_accepted() {
        for pattern in [
            "0[0-9]{10}",
            "[0-9 \\-]{11,13}",
            "[A-Z]{2}\\d{6}",
            "\\+?92-?3\\d{2}-?\\d{7}",
            "(?<year>20\\d\\d)/\\k<year>",
            "[\\p{L}--[a-z]]+",
            "[[a-z]&&[^aeiou]]+",
            "[\\q{ab|cd}x]",
            "(a|b)\\1",
            "\\p{Script=Arabic}+",
            "[\\w.\\-]+@example\\.org",
            "a{2,}b?c*",
            "a/b",
        ] {
            assert_eq!(check(pattern), Ok(()), "{pattern}");
        }
    }

    #[test]
    fn patterns_the_browser_ignores_are_refused_at_their_character() {
        for (pattern, at, says) in [
            ("[0-9 -]{11,13}", 5, "`-` at the end"),
            ("[-0-9]", 1, "`-` inside `[...]` must be escaped"),
            ("[a-z/]", 4, "`/` inside `[...]` must be escaped"),
            ("[(]", 1, "`(` inside `[...]` must be escaped"),
            ("[a&&&b]", 4, "`&&&`"),
            ("[!!]", 1, "`!!` inside `[...]` is reserved"),
            ("a{2", 1, "a `{` that is not a quantifier"),
            ("a}", 1, "a lone `}`"),
            ("\\a", 1, "`\\a` is not an escape"),
            ("(a", 2, "not closed"),
            ("a)", 1, "`)` closes a group"),
            ("*a", 0, "a quantifier follows nothing"),
            ("a{3,2}", 1, "counts down"),
            ("(a)\\2", 4, "refers to group 2"),
            ("[z-a]", 1, "from the lower character"),
            ("\\p{Foo}", 3, "not a property"),
            (
                "[a-z--0-9]",
                4,
                "`--` inside `[...]` is an operator between two classes",
            ),
        ] {
            let error = check(pattern).expect_err(pattern);
            assert!(error.message.contains(says), "{pattern}: {error:?}");
            assert_eq!(error.at, at, "{pattern}: {error:?}");
        }
    }
}

//! Routes operators through the course's numpy in a program that imports it.
//!
//! Monty 0.0.23 calls no operator dunders (`__add__`, `__getitem__`, ...) on class instances,
//! so `a + b` on two arrays would be a `TypeError`. In a program that imports numpy, the runner
//! parses the source (with the parser Monty itself uses) and rewrites every arithmetic or
//! comparison operator, subscript, `.T` and augmented assignment into a call of the matching
//! `__np_*` helper of `numpy.py`, which hands arrays to the Rust core and anything else to the
//! plain operator. Each rewritten expression keeps its line count (missing line breaks go inside
//! the call's parentheses), so tracebacks still point at the student's lines. An attribute of
//! the numpy module that the course's numpy does not have becomes a call that raises an error
//! naming it.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{CmpOp, Expr, ExprContext, Operator, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

/// One replacement of a source range.
struct Edit {
    range: TextRange,
    text: String,
}

struct Rewriter<'s> {
    source: &'s str,
    aliases: &'s [String],
    names: &'s [&'s str],
    edits: Vec<Edit>,
}

fn binop_name(op: Operator) -> Option<&'static str> {
    Some(match op {
        Operator::Add => "add",
        Operator::Sub => "sub",
        Operator::Mult => "mul",
        Operator::Div => "truediv",
        Operator::FloorDiv => "floordiv",
        Operator::Mod => "mod",
        Operator::Pow => "pow",
        Operator::MatMult => "matmul",
        Operator::BitAnd => "and",
        Operator::BitOr => "or",
        Operator::BitXor => "xor",
        _ => return None,
    })
}

fn cmp_name(op: CmpOp) -> Option<&'static str> {
    Some(match op {
        CmpOp::Eq => "eq",
        CmpOp::NotEq => "ne",
        CmpOp::Lt => "lt",
        CmpOp::LtE => "le",
        CmpOp::Gt => "gt",
        CmpOp::GtE => "ge",
        _ => return None,
    })
}

fn is_literal(e: &Expr) -> bool {
    matches!(e, Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_))
}

impl<'s> Rewriter<'s> {
    fn new(source: &'s str, aliases: &'s [String], names: &'s [&'s str]) -> Self {
        Rewriter { source, aliases, names, edits: Vec::new() }
    }

    fn slice(&self, range: TextRange) -> &'s str {
        &self.source[range.start().to_usize()..range.end().to_usize()]
    }

    /// Whether `e` is rewritten as a whole.
    fn takes(&self, e: &Expr) -> bool {
        match e {
            Expr::BinOp(b) => binop_name(b.op).is_some() && !(is_literal(&b.left) && is_literal(&b.right)),
            Expr::UnaryOp(u) => matches!(u.op, UnaryOp::USub | UnaryOp::Invert) && !is_literal(&u.operand),
            Expr::Compare(c) => c.ops.len() == 1 && cmp_name(c.ops[0]).is_some(),
            Expr::Subscript(s) => s.ctx == ExprContext::Load,
            Expr::Attribute(a) => a.ctx == ExprContext::Load && (a.attr.as_str() == "T" || self.missing(e).is_some()),
            _ => false,
        }
    }

    /// `np.<name>` for a name the course's numpy lacks.
    fn missing(&self, e: &Expr) -> Option<String> {
        let Expr::Attribute(a) = e else { return None };
        let Expr::Name(n) = &*a.value else { return None };
        let attr = a.attr.as_str();
        (self.aliases.iter().any(|alias| alias == n.id.as_str()) && !self.names.contains(&attr))
            .then(|| format!("numpy.{attr}"))
    }

    /// The text of `e` with every rewritten part replaced.
    fn render(&self, e: &Expr) -> String {
        let text = match e {
            Expr::BinOp(b) if self.takes(e) => {
                format!(
                    "__np_{}({}, {})",
                    binop_name(b.op).expect("taken"),
                    self.render(&b.left),
                    self.render(&b.right)
                )
            }
            Expr::UnaryOp(u) if self.takes(e) => {
                let name = if u.op == UnaryOp::USub { "neg" } else { "invert" };
                format!("__np_{name}({})", self.render(&u.operand))
            }
            Expr::Compare(c) if self.takes(e) => format!(
                "__np_{}({}, {})",
                cmp_name(c.ops[0]).expect("taken"),
                self.render(&c.left),
                self.render(&c.comparators[0])
            ),
            Expr::Subscript(s) if self.takes(e) => {
                format!("__np_getitem({}, {})", self.render(&s.value), self.render_key(&s.slice))
            }
            Expr::Attribute(a) if self.takes(e) => match self.missing(e) {
                Some(name) => format!("__np_missing('{name}')"),
                None => format!("__np_T({})", self.render(&a.value)),
            },
            _ => return self.splice(e),
        };
        self.keep_lines(e.range(), text)
    }

    /// An index: slices become `slice(...)` objects, as Python passes them to `__getitem__`.
    fn render_key(&self, e: &Expr) -> String {
        match e {
            Expr::Slice(s) => {
                let part = |p: &Option<Box<Expr>>| p.as_ref().map_or_else(|| "None".to_owned(), |x| self.render(x));
                format!("slice({}, {}, {})", part(&s.lower), part(&s.upper), part(&s.step))
            }
            Expr::Tuple(t) if t.elts.iter().any(|x| matches!(x, Expr::Slice(_))) => {
                let parts: Vec<String> = t.elts.iter().map(|x| self.render_key(x)).collect();
                format!("({},)", parts.join(", "))
            }
            Expr::Tuple(t) if !t.parenthesized => format!("({})", self.render(e)),
            other => self.render(other),
        }
    }

    /// The source of `e` with the rewritten expressions inside it replaced.
    fn splice(&self, e: &Expr) -> String {
        let mut inner = Rewriter::new(self.source, self.aliases, self.names);
        visitor::walk_expr(&mut inner, e);
        inner.apply(e.range())
    }

    /// Adds the line breaks `text` lost from `range`, inside its closing parenthesis.
    fn keep_lines(&self, range: TextRange, mut text: String) -> String {
        let lost = self.slice(range).matches('\n').count().saturating_sub(text.matches('\n').count());
        if lost > 0 && text.ends_with(')') {
            text.pop();
            text.push_str(&"\n".repeat(lost));
            text.push(')');
        }
        text
    }

    /// The source of `range` with this rewriter's edits applied.
    fn apply(&self, range: TextRange) -> String {
        let mut out = String::new();
        let mut at = range.start();
        let mut edits: Vec<&Edit> = self.edits.iter().filter(|e| range.contains_range(e.range)).collect();
        edits.sort_by_key(|e| e.range.start());
        for edit in edits {
            if edit.range.start() < at {
                continue;
            }
            out.push_str(self.slice(TextRange::new(at, edit.range.start())));
            out.push_str(&edit.text);
            at = edit.range.end();
        }
        out.push_str(self.slice(TextRange::new(at, range.end())));
        out
    }

    fn statement(&mut self, stmt: &Stmt) -> Option<String> {
        match stmt {
            Stmt::AugAssign(a) => {
                let name = match a.op {
                    Operator::Add => "iadd",
                    Operator::Sub => "isub",
                    Operator::Mult => "imul",
                    Operator::Div => "itruediv",
                    Operator::FloorDiv => "ifloordiv",
                    Operator::Mod => "imod",
                    Operator::Pow => "ipow",
                    Operator::MatMult => "imatmul",
                    _ => return None,
                };
                let value = self.render(&a.value);
                Some(match &*a.target {
                    Expr::Subscript(s) => {
                        let (obj, key) = (self.render(&s.value), self.render_key(&s.slice));
                        format!("__np_setitem({obj}, {key}, __np_{name}(__np_getitem({obj}, {key}), {value}))")
                    }
                    Expr::Name(_) | Expr::Attribute(_) => {
                        let target = self.splice(&a.target);
                        format!("{target} = __np_{name}({target}, {value})")
                    }
                    _ => return None,
                })
            }
            Stmt::Assign(a) if a.targets.len() == 1 => match &a.targets[0] {
                Expr::Subscript(s) => Some(format!(
                    "__np_setitem({}, {}, {})",
                    self.render(&s.value),
                    self.render_key(&s.slice),
                    self.render(&a.value)
                )),
                _ => None,
            },
            _ => None,
        }
    }
}

impl<'a> Visitor<'a> for Rewriter<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match self.statement(stmt) {
            Some(text) => {
                let text = self.keep_lines(stmt.range(), text);
                self.edits.push(Edit { range: stmt.range(), text });
            }
            None => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_annotation(&mut self, _expr: &'a Expr) {}

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.takes(expr) {
            let text = self.render(expr);
            self.edits.push(Edit { range: expr.range(), text });
        } else {
            visitor::walk_expr(self, expr);
        }
    }
}

/// `source` with its operators routed through numpy's helpers; `aliases` are the names the
/// program bound the numpy module to, `names` the attributes that module has. A source that
/// does not parse is returned unchanged, for Monty to report the syntax error.
pub fn rewrite(source: &str, aliases: &[String], names: &[&str]) -> String {
    let Ok(parsed) = ruff_python_parser::parse_module(source) else {
        return source.to_owned();
    };
    let mut rewriter = Rewriter::new(source, aliases, names);
    for stmt in parsed.suite() {
        rewriter.visit_stmt(stmt);
    }
    let whole = TextRange::new(0.into(), ruff_text_size::TextSize::try_from(source.len()).expect("source under 4 GB"));
    rewriter.apply(whole)
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn rw(source: &str) -> String {
        rewrite(source, &["np".to_owned()], &["array", "zeros"])
    }

    #[test]
    fn operators_subscripts_and_augmented_assignments() {
        assert_eq!(rw("c = a + b * 2\n"), "c = __np_add(a, __np_mul(b, 2))\n");
        assert_eq!(rw("m = x[x > 0]\n"), "m = __np_getitem(x, __np_gt(x, 0))\n");
        assert_eq!(rw("y = X[:, 1:]\n"), "y = __np_getitem(X, (slice(None, None, None), slice(1, None, None),))\n");
        assert_eq!(rw("w -= lr * g\n"), "w = __np_isub(w, __np_mul(lr, g))\n");
        assert_eq!(rw("a[0] = -b.T\n"), "__np_setitem(a, 0, __np_neg(__np_T(b)))\n");
        assert_eq!(rw("z = -1\nk = 1 < x < 2\n"), "z = -1\nk = 1 < x < 2\n");
        assert_eq!(
            rw("f = np.fft.fft(x)\ng = np.zeros(3)\n"),
            "f = __np_missing('numpy.fft').fft(x)\ng = np.zeros(3)\n"
        );
        assert_eq!(
            rw("def f(x: list[int]) -> dict[str, int]:\n    return x\n"),
            "def f(x: list[int]) -> dict[str, int]:\n    return x\n"
        );
    }

    #[test]
    fn line_numbers_are_kept() {
        let source = "total = (a +\n         b)\nprint(total)\n";
        let out = rw(source);
        assert_eq!(out.lines().count(), source.lines().count(), "{out}");
        assert!(out.ends_with("\nprint(total)\n"), "{out}");
    }
}

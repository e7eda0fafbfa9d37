//! The `forbid` check (`forbid:` in `exercise.yaml`): does a program use a name or a module the
//! exercise forbids? Checked on the program's syntax tree, parsed with ruff's parser, so that
//! renaming (`from tinyml import softmax as sm`, `import tinyml as t; t.softmax`,
//! `s = t.softmax`, `getattr(t, "softmax")`) does not get around it.
//!
//! Python runtimes call [`check`] on the student's source before they run it: the python
//! runtime (`runner/`) in the browser and under wasmtime alike, so the page and the grader
//! agree. The rule's syntax is [`labbook_checks::ForbidRule`].
//!
//! The analysis is deliberately simple and conservative: it follows imports and plain
//! assignments of names bound to modules (`t = tinyml`), wherever they happen in the file, and
//! refuses dynamic lookups on a module that holds the forbidden object (`getattr(t, name)`,
//! `vars(t)`, `t.__dict__`). Scopes are not tracked: a name bound to a module anywhere counts
//! everywhere.

use std::collections::BTreeMap;

use labbook_checks::{ForbidRule, Reason};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// Why a program breaks a rule: where, and the message a reader sees (naming the rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// "line 1: `from tinyml import softmax as sm` uses `tinyml.softmax`, which this exercise
    /// forbids (forbid: tinyml.softmax)".
    pub message: String,
    /// The message as a code and its arguments, for the reader's language.
    pub reason: Reason,
}

/// What a use of a forbidden thing is: of a whole module, or of one name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    /// The whole module.
    Module(String),
    /// One name of a module, or a built-in.
    Name(String),
    /// `from module import *`.
    Star(String),
    /// `module.__dict__`.
    Dict(String),
    /// `getattr(module, name)`, `vars(module)`: names looked up at run time.
    Lookup(String),
}

/// Checks `source` against `rule` (as `exercise.yaml` writes it). `aliases` are names the
/// runtime binds to modules without an import (the python runtime's `__tinyml__`).
/// `Ok(None)`: the program keeps the rule. `Err`: the rule is malformed, or the program does
/// not parse (the run reports that error itself).
pub fn check(source: &str, rule: &str, aliases: &[(&str, &str)]) -> Result<Option<Violation>, String> {
    let rule = ForbidRule::parse(rule)?;
    let parsed = ruff_python_parser::parse_module(source)
        .map_err(|e| format!("cannot check the rule: the code does not parse ({})", e.error))?;
    let body = &parsed.syntax().body;
    let mut bindings: BTreeMap<String, String> =
        aliases.iter().map(|(name, module)| (name.to_string(), module.to_string())).collect();
    // Imports and `x = module` assignments, until nothing new is bound (chains of aliases).
    loop {
        let mut binder = Binder { bindings: &bindings, found: Vec::new() };
        binder.visit_body(body);
        let before = bindings.len();
        for (name, path) in binder.found {
            bindings.entry(name).or_insert(path);
        }
        if bindings.len() == before {
            break;
        }
    }
    let mut finder = Finder { rule: &rule, bindings: &bindings, found: None };
    finder.visit_body(body);
    Ok(finder.found.map(|(range, what)| {
        let (line, column) = line_column(source, range.start().to_usize());
        let mut snippet: String = source[range].split('\n').next().unwrap_or("").trim().to_owned();
        if snippet.chars().count() > 60 {
            snippet = snippet.chars().take(57).collect::<String>() + "...";
        }
        let mut args = vec![("line", line.to_string()), ("snippet", snippet), ("rule", rule.text())];
        let (code, key, value) = match what {
            Use::Module(module) => ("forbidden_module", "module", module),
            Use::Name(name) => ("forbidden_name", "name", name),
            Use::Star(module) => ("forbidden_star", "module", module),
            Use::Dict(module) => ("forbidden_dict", "module", module),
            Use::Lookup(module) => ("forbidden_lookup", "module", module),
        };
        args.push((key, value));
        let reason = Reason::new(code, &args);
        Violation { line, column, message: reason.english(), reason }
    }))
}

fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Whether `path` is `target` or inside it (`tinyml.softmax` is inside `tinyml`).
fn within(path: &str, target: &str) -> bool {
    path == target || path.strip_prefix(target).is_some_and(|rest| rest.starts_with('.'))
}

/// The dotted path an expression names through the bindings (`t.nn.softmax` ->
/// `tinyml.nn.softmax`), if its root is a name bound to a module.
fn resolve(expr: &Expr, bindings: &BTreeMap<String, String>) -> Option<String> {
    match expr {
        Expr::Name(name) => bindings.get(name.id.as_str()).cloned(),
        Expr::Attribute(attr) => resolve(&attr.value, bindings).map(|p| format!("{p}.{}", attr.attr.as_str())),
        Expr::Call(call) if is_getattr(&call.func) => {
            let args = &call.arguments.args;
            let base = resolve(args.first()?, bindings)?;
            match args.get(1) {
                Some(Expr::StringLiteral(s)) => Some(format!("{base}.{}", s.value.to_str())),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_getattr(func: &Expr) -> bool {
    matches!(func, Expr::Name(n) if n.id.as_str() == "getattr")
}

/// Collects the names imports and plain assignments bind to modules or their objects.
struct Binder<'b> {
    bindings: &'b BTreeMap<String, String>,
    found: Vec<(String, String)>,
}

impl<'a> Visitor<'a> for Binder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => self.found.push((asname.as_str().to_owned(), module.to_owned())),
                        None => {
                            let root = module.split('.').next().unwrap_or(module);
                            self.found.push((root.to_owned(), root.to_owned()));
                        }
                    }
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                if let Some(module) = &from.module {
                    for alias in &from.names {
                        if alias.name.as_str() == "*" {
                            continue;
                        }
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.found
                            .push((bound.as_str().to_owned(), format!("{}.{}", module.as_str(), alias.name.as_str())));
                    }
                }
            }
            Stmt::Assign(assign) => {
                if let Some(path) = resolve(&assign.value, self.bindings) {
                    for target in &assign.targets {
                        if let Expr::Name(name) = target {
                            self.found.push((name.id.as_str().to_owned(), path.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// Finds the first use that breaks the rule.
struct Finder<'b> {
    rule: &'b ForbidRule,
    bindings: &'b BTreeMap<String, String>,
    found: Option<(TextRange, Use)>,
}

impl Finder<'_> {
    fn report(&mut self, range: TextRange, what: Use) {
        if self.found.as_ref().is_none_or(|(r, _)| range.start() < r.start()) {
            self.found = Some((range, what));
        }
    }

    /// Whether using `path` breaks the rule, and how to say so.
    fn breaks(&self, path: &str) -> Option<Use> {
        match self.rule {
            ForbidRule::Import(module) if within(path, module) => Some(Use::Module(module.clone())),
            ForbidRule::Object(object) if within(path, object) => Some(Use::Name(object.clone())),
            ForbidRule::Builtin(name) if path == format!("builtins.{name}") => Some(Use::Name(name.clone())),
            _ => None,
        }
    }

    /// Whether a dynamic lookup on the module at `path` could reach the forbidden object.
    fn could_reach(&self, path: &str) -> bool {
        match self.rule {
            ForbidRule::Import(module) => within(path, module),
            ForbidRule::Object(object) => within(object, path) || within(path, object),
            ForbidRule::Builtin(_) => path == "builtins",
        }
    }
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    if let Some(what) = self.breaks(alias.name.as_str()) {
                        self.report(stmt.range(), what);
                    }
                }
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                if let Some(module) = &from.module {
                    let module = module.as_str();
                    if let Some(what) = self.breaks(module) {
                        self.report(stmt.range(), what);
                    }
                    for alias in &from.names {
                        let name = alias.name.as_str();
                        if name == "*" {
                            if self.could_reach(module) {
                                self.report(stmt.range(), Use::Star(module.to_string()));
                            }
                        } else if let Some(what) = self.breaks(&format!("{module}.{name}")) {
                            self.report(stmt.range(), what);
                        }
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if let ForbidRule::Builtin(forbidden) = self.rule {
                    if id == forbidden && !self.bindings.contains_key(id) {
                        self.report(expr.range(), Use::Name(forbidden.clone()));
                    }
                }
                if let Some(path) = self.bindings.get(id) {
                    if let Some(what) = self.breaks(path) {
                        self.report(expr.range(), what);
                    }
                }
            }
            Expr::Attribute(attr) => {
                if let Some(path) = resolve(expr, self.bindings) {
                    if let Some(what) = self.breaks(&path) {
                        self.report(expr.range(), what);
                        return;
                    }
                }
                if attr.attr.as_str() == "__dict__" {
                    if let Some(base) = resolve(&attr.value, self.bindings).filter(|p| self.could_reach(p)) {
                        self.report(expr.range(), Use::Dict(base.to_string()));
                    }
                }
            }
            Expr::Call(call) => {
                let args = &call.arguments.args;
                let dynamic = match &*call.func {
                    Expr::Name(n) if n.id.as_str() == "getattr" => {
                        !matches!(args.get(1), Some(Expr::StringLiteral(_))) || resolve(expr, self.bindings).is_some()
                    }
                    Expr::Name(n) if n.id.as_str() == "vars" || n.id.as_str() == "dir" => true,
                    _ => false,
                };
                if dynamic {
                    if let Some(path) = resolve(expr, self.bindings) {
                        if let Some(what) = self.breaks(&path) {
                            self.report(expr.range(), what);
                        }
                    } else if let Some(base) =
                        args.first().and_then(|a| resolve(a, self.bindings)).filter(|p| self.could_reach(p))
                    {
                        self.report(expr.range(), Use::Lookup(base.to_string()));
                    }
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(source: &str, rule: &str) -> Option<String> {
        check(source, rule, &[("__tinyml__", "tinyml")]).unwrap().map(|v| v.message)
    }

    #[test]
    fn renaming_does_not_get_around_an_object_rule() {
        let trick = "from tinyml import softmax as sm\ndef softmax(s):\n    return sm(s)\n";
        assert_eq!(
            message(trick, "tinyml.softmax").as_deref(),
            Some("line 1: `from tinyml import softmax as sm` uses `tinyml.softmax`, which this exercise forbids (forbid: tinyml.softmax)")
        );
        for source in [
            "import tinyml as t\ndef softmax(s):\n    return t.softmax(s)\n",
            "import tinyml\nf = tinyml.softmax\n",
            "import tinyml as t\nu = t\nv = u\nprint(v.softmax([1.0]))\n",
            "import tinyml as t\nf = getattr(t, 'softmax')\n",
            "import tinyml as t\nname = 'soft' + 'max'\nf = getattr(t, name)\n",
            "import tinyml as t\nf = vars(t)['softmax']\n",
            "from tinyml import *\n",
            "f = __tinyml__.softmax\n",
        ] {
            assert!(message(source, "tinyml.softmax").is_some(), "not caught:\n{source}");
        }
    }

    #[test]
    fn other_uses_of_the_module_are_fine() {
        for source in [
            "import math\ndef softmax(s):\n    m = max(s)\n    e = [math.exp(x - m) for x in s]\n    return [x / sum(e) for x in e]\n",
            "import tinyml\nprint(tinyml.dot([1.0], [2.0]))\n",
            "from tinyml import dot as softmax_helper\n",
            "softmax = 'tinyml.softmax'\n",
        ] {
            assert_eq!(message(source, "tinyml.softmax"), None, "{source}");
        }
    }

    #[test]
    fn import_and_builtin_rules() {
        assert!(message("import tinyml.nn as n\n", "import tinyml").unwrap().contains("uses the module `tinyml`"));
        assert!(message("from tinyml import dot\n", "import tinyml").is_some());
        assert!(message("x = __tinyml__\n", "import tinyml").is_some());
        assert_eq!(message("import math\n", "import tinyml"), None);
        let m = message("xs = [3, 1]\nprint(sorted(xs))\n", "sorted").unwrap();
        assert!(m.starts_with("line 2: `sorted` uses `sorted`"), "{m}");
        assert_eq!(message("def sorted_copy(xs):\n    return xs\n", "sorted"), None);
    }

    #[test]
    fn the_position_is_the_first_use() {
        let v = check("x = 1\ny = 2\nimport tinyml as t\nt.softmax\n", "tinyml.softmax", &[]).unwrap().unwrap();
        assert_eq!((v.line, v.column), (4, 1));
    }

    #[test]
    fn code_that_does_not_parse_is_not_judged() {
        assert!(check("def f(:\n", "tinyml.softmax", &[]).unwrap_err().contains("does not parse"));
        assert!(check("x = 1\n", "from tinyml import x", &[]).unwrap_err().contains("not a rule"));
    }
}

//! Python source to API objects with `ruff_python_parser`: nothing is imported or run.
//!
//! What is read: module, class and function docstrings (and the string literal after an
//! assignment, the attribute-docstring convention), signatures with annotations and defaults
//! as written, decorators, base classes, `__all__`, `@overload` groups, dataclass fields and
//! annotated constants. Public means: named in `__all__` when the module sets it, else not
//! starting with `_`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::docstring::{self, Doc};
use super::model::{Object, ObjectKind, Param, ParamKind, Signature};
use labbook_core::diagnostic::Diagnostic;

/// An object with its members, before the model flattens the tree.
#[derive(Debug)]
pub struct Node {
    /// The object (its `members` and `parent` are filled in when flattening).
    pub object: Object,
    /// Public members in source order.
    pub children: Vec<Node>,
}

/// One parsed module file.
#[derive(Debug)]
pub struct ParsedModule {
    /// The module and everything public in it.
    pub root: Node,
    /// Names the module re-exports (imports for its users rather than defines): the names
    /// of `__all__` it imports, or, in a package's `__init__` without `__all__`, every public
    /// name it imports: name -> the dotted path it imports (`Dense` -> `pkg.core.Dense`).
    pub reexports: Vec<(String, String)>,
    /// Every name the module imports (`from .x import Y`, `import x as y`), re-exported or
    /// not: name -> the absolute dotted path. Python resolves `module.Y` through them.
    pub imports: Vec<(String, String)>,
    /// Malformed docstrings.
    pub warnings: Vec<Diagnostic>,
}

/// Parses the module `name` from `source`; a syntax error is a positioned diagnostic.
pub fn parse_module(
    source: &str,
    name: &str,
    is_package: bool,
    file: usize,
    display: &Path,
) -> Result<ParsedModule, Diagnostic> {
    let parsed = ruff_python_parser::parse_module(source).map_err(|e| {
        let (line, column) = labbook_core::diagnostic::line_column(source, e.location.start().to_usize());
        Diagnostic::new(display, line, column, format!("Python syntax error: {}", e.error))
    })?;
    let module = parsed.syntax();
    let mut reader = Reader { source, lines: line_starts(source), file, display, warnings: Vec::new() };
    let mut root = Node { object: reader.object(name, name.to_string(), ObjectKind::Module, 1), children: Vec::new() };
    root.object.doc = reader.docstring(&module.body, None);
    let mut scope = Scope::default();
    reader.body(&module.body, &mut root, &mut scope, BodyKind::Module);

    // `__all__` decides what is public; names it lists but the module imports are re-exports.
    let mut reexports = Vec::new();
    let mut imports: Vec<(String, String)> =
        scope.imports.iter().map(|(n, t)| (n.clone(), resolve_relative(t, name, is_package))).collect();
    imports.sort();
    if let Some(all) = &scope.all {
        let wanted: HashSet<&str> = all.iter().map(String::as_str).collect();
        root.children.retain(|c| wanted.contains(c.object.name.as_str()));
        let defined: HashSet<String> = root.children.iter().map(|c| c.object.name.clone()).collect();
        for n in all {
            if defined.contains(n) {
                continue;
            }
            if let Some(target) = scope.imports.get(n) {
                reexports.push((n.clone(), resolve_relative(target, name, is_package)));
            }
        }
    } else {
        root.children.retain(|c| !c.object.name.starts_with('_'));
        // A package's `__init__` imports what it offers (`from .errors import HfHubHTTPError`).
        if is_package {
            let defined: HashSet<&str> = root.children.iter().map(|c| c.object.name.as_str()).collect();
            reexports
                .extend(imports.iter().filter(|(n, _)| !n.starts_with('_') && !defined.contains(n.as_str())).cloned());
        }
    }
    Ok(ParsedModule { root, reexports, imports, warnings: reader.warnings })
}

/// `.core.Dense` imported in `pkg` (a package) -> `pkg.core.Dense`.
fn resolve_relative(target: &str, module: &str, is_package: bool) -> String {
    let dots = target.chars().take_while(|&c| c == '.').count();
    if dots == 0 {
        return target.to_string();
    }
    let mut base: Vec<&str> = module.split('.').collect();
    // In a package's __init__, one dot is the package itself.
    let up = if is_package { dots - 1 } else { dots };
    for _ in 0..up {
        base.pop();
    }
    let rest = &target[dots..];
    if rest.is_empty() {
        base.join(".")
    } else if base.is_empty() {
        rest.to_string()
    } else {
        format!("{}.{rest}", base.join("."))
    }
}

#[derive(Default)]
struct Scope {
    all: Option<Vec<String>>,
    imports: HashMap<String, String>,
    /// Overloads waiting for their implementation, by name.
    overloads: HashMap<String, usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum BodyKind {
    Module,
    Class { dataclass: bool },
}

struct Reader<'a> {
    source: &'a str,
    lines: Vec<usize>,
    file: usize,
    display: &'a Path,
    warnings: Vec<Diagnostic>,
}

/// Byte offsets where lines start.
fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

impl Reader<'_> {
    fn line(&self, range: TextRange) -> usize {
        let offset = range.start().to_usize();
        self.lines.partition_point(|&s| s <= offset)
    }

    /// The 1-based column (in characters) where the text of 1-based `line` starts.
    fn text_column(&self, line: usize) -> usize {
        let Some(&start) = self.lines.get(line.saturating_sub(1)) else { return 1 };
        let text = self.source[start..].split('\n').next().unwrap_or_default();
        text.chars().take_while(|c| c.is_whitespace()).count() + 1
    }

    /// Source text of a node with runs of whitespace (line breaks inside brackets) made one space.
    fn text(&self, range: TextRange) -> String {
        let raw = &self.source[range];
        if !raw.contains('\n') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut space = false;
        for c in raw.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() && !out.ends_with(['(', '[', '{']) && !matches!(c, ')' | ']' | '}') {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        out
    }

    fn object(&self, name: &str, qualname: String, kind: ObjectKind, line: usize) -> Object {
        Object {
            name: name.to_string(),
            qualname,
            kind,
            parent: None,
            file: self.file,
            line,
            signatures: Vec::new(),
            decorators: Vec::new(),
            bases: Vec::new(),
            annotation: None,
            value: None,
            is_async: false,
            is_dataclass: false,
            doc: None,
            members: Vec::new(),
            page: String::new(),
        }
    }

    /// The docstring of a body: its first statement, when it is a string literal.
    fn docstring(&mut self, body: &[Stmt], signature: Option<&Signature>) -> Option<Doc> {
        match body.first() {
            Some(Stmt::Expr(e)) => self.string_doc(&e.value, signature),
            _ => None,
        }
    }

    fn string_doc(&mut self, expr: &Expr, signature: Option<&Signature>) -> Option<Doc> {
        let Expr::StringLiteral(s) = expr else { return None };
        let cleaned = docstring::clean(s.value.to_str(), self.line(s.range));
        if cleaned.text.is_empty() {
            return None;
        }
        let (doc, warnings) = docstring::parse(&cleaned, self.display);
        // The parser counts lines of the file; the column is where that line's text starts.
        let warnings: Vec<Diagnostic> =
            warnings.into_iter().map(|w| Diagnostic { column: self.text_column(w.line), ..w }).collect();
        self.warnings.extend(warnings);
        if let Some(signature) = signature {
            self.check_params(&doc, signature);
        }
        Some(doc)
    }

    /// Documented parameters the signature does not have are a warning (a typo, or a
    /// docstring left behind by a rename).
    fn check_params(&mut self, doc: &Doc, signature: &Signature) {
        if signature.params.iter().any(|p| p.kind == ParamKind::VarKeywords) {
            return;
        }
        for block in &doc.blocks {
            let docstring::BlockKind::Items { section: docstring::ItemSection::Params, items } = &block.kind else {
                continue;
            };
            for item in items {
                for name in item.name.split(',').map(str::trim) {
                    if !name.is_empty() && signature.param(name).is_none() {
                        self.warnings.push(Diagnostic::new(
                            self.display,
                            item.line,
                            self.text_column(item.line),
                            format!("the docstring documents `{name}`, which is not a parameter of the signature"),
                        ));
                    }
                }
            }
        }
    }

    fn body(&mut self, body: &[Stmt], owner: &mut Node, scope: &mut Scope, kind: BodyKind) {
        for (i, stmt) in body.iter().enumerate() {
            let next_doc = match body.get(i + 1) {
                Some(Stmt::Expr(e)) if matches!(*e.value, Expr::StringLiteral(_)) => Some(&*e.value),
                _ => None,
            };
            match stmt {
                Stmt::FunctionDef(f) => self.function(f, owner, scope, kind),
                Stmt::ClassDef(c) if is_visible(&c.name, kind) && !has_child(owner, &c.name) => {
                    let node = self.class(c, &owner.object.qualname);
                    owner.children.push(node);
                }
                Stmt::Assign(a) => {
                    if let [Expr::Name(target)] = a.targets.as_slice() {
                        if target.id.as_str() == "__all__" && kind == BodyKind::Module {
                            // A computed `__all__` (`sorted([...])`) cannot be read without
                            // running the module: the naming convention decides instead.
                            scope.all = string_list(&a.value);
                        } else {
                            self.assignment(
                                target.id.as_str(),
                                stmt.range(),
                                None,
                                Some(&a.value),
                                next_doc,
                                owner,
                                kind,
                            );
                        }
                    }
                }
                Stmt::AugAssign(a) => {
                    if let (Expr::Name(target), Some(all)) = (&*a.target, scope.all.as_mut()) {
                        if target.id.as_str() == "__all__" {
                            all.extend(string_list(&a.value).unwrap_or_default());
                        }
                    }
                }
                Stmt::AnnAssign(a) => {
                    if let Expr::Name(target) = &*a.target {
                        if target.id.as_str() == "__all__" && kind == BodyKind::Module {
                            scope.all = a.value.as_deref().and_then(string_list);
                        } else {
                            let annotation = Some(&*a.annotation);
                            let value = a.value.as_deref();
                            self.assignment(target.id.as_str(), stmt.range(), annotation, value, next_doc, owner, kind);
                        }
                    }
                }
                Stmt::ImportFrom(imp) if kind == BodyKind::Module => {
                    let module = imp.module.as_ref().map(|m| m.id.as_str()).unwrap_or_default();
                    let base = format!("{}{module}", ".".repeat(imp.level as usize));
                    for alias in &imp.names {
                        let local = alias.asname.as_ref().unwrap_or(&alias.name).id.to_string();
                        let sep = if base.ends_with('.') || base.is_empty() { "" } else { "." };
                        scope.imports.insert(local, format!("{base}{sep}{}", alias.name.id));
                    }
                }
                Stmt::Import(imp) if kind == BodyKind::Module => {
                    for alias in &imp.names {
                        if let Some(asname) = &alias.asname {
                            scope.imports.insert(asname.id.to_string(), alias.name.id.to_string());
                        }
                    }
                }
                // Definitions under `if TYPE_CHECKING:` / version checks and `try:` imports
                // count; the first definition of a name wins.
                Stmt::If(s) => {
                    self.body(&s.body, owner, scope, kind);
                    for clause in &s.elif_else_clauses {
                        self.body(&clause.body, owner, scope, kind);
                    }
                }
                Stmt::Try(t) => {
                    self.body(&t.body, owner, scope, kind);
                    self.body(&t.orelse, owner, scope, kind);
                }
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn assignment(
        &mut self,
        name: &str,
        range: TextRange,
        annotation: Option<&Expr>,
        value: Option<&Expr>,
        doc: Option<&Expr>,
        owner: &mut Node,
        kind: BodyKind,
    ) {
        if !is_visible(name, kind) || name.starts_with("__") || has_child(owner, name) {
            return;
        }
        let object_kind = if kind == BodyKind::Module { ObjectKind::Data } else { ObjectKind::Attribute };
        let qualname = format!("{}.{name}", owner.object.qualname);
        let mut object = self.object(name, qualname, object_kind, self.line(range));
        object.annotation = annotation.map(|a| self.text(a.range()));
        object.value = value.map(|v| self.text(v.range()));
        object.doc = doc.and_then(|d| self.string_doc(d, None));
        // `ClassVar` attributes belong to the class, not to a dataclass's fields.
        if let (BodyKind::Class { dataclass: true }, Some(a)) = (kind, &object.annotation) {
            object.is_dataclass = !a.starts_with("ClassVar") && !a.starts_with("typing.ClassVar");
        }
        owner.children.push(Node { object, children: Vec::new() });
    }

    fn signature(&self, parameters: &ast::Parameters, returns: Option<&Expr>, drop_first: bool) -> Signature {
        let mut params = Vec::new();
        let with_default = |p: &ast::ParameterWithDefault, kind: ParamKind| Param {
            name: p.parameter.name.id.to_string(),
            kind,
            annotation: p.parameter.annotation.as_deref().map(|a| self.text(a.range())),
            default: p.default.as_deref().map(|d| self.text(d.range())),
        };
        params.extend(parameters.posonlyargs.iter().map(|p| with_default(p, ParamKind::PositionalOnly)));
        params.extend(parameters.args.iter().map(|p| with_default(p, ParamKind::Normal)));
        let star = |p: &ast::Parameter, kind: ParamKind| Param {
            name: p.name.id.to_string(),
            kind,
            annotation: p.annotation.as_deref().map(|a| self.text(a.range())),
            default: None,
        };
        if let Some(v) = &parameters.vararg {
            params.push(star(v, ParamKind::VarArgs));
        }
        params.extend(parameters.kwonlyargs.iter().map(|p| with_default(p, ParamKind::KeywordOnly)));
        if let Some(k) = &parameters.kwarg {
            params.push(star(k, ParamKind::VarKeywords));
        }
        if drop_first
            && matches!(params.first(), Some(p) if matches!(p.kind, ParamKind::PositionalOnly | ParamKind::Normal))
        {
            params.remove(0);
        }
        Signature { params, returns: returns.map(|r| self.text(r.range())) }
    }

    fn function(&mut self, f: &ast::StmtFunctionDef, owner: &mut Node, scope: &mut Scope, kind: BodyKind) {
        let name = f.name.id.as_str();
        let in_class = matches!(kind, BodyKind::Class { .. });
        let mut object_kind = if in_class { ObjectKind::Method } else { ObjectKind::Function };
        let mut decorators = Vec::new();
        let mut overload = false;
        for d in &f.decorator_list {
            let text = self.text(d.expression.range());
            let base = text.split('(').next().unwrap_or_default();
            match base.rsplit('.').next().unwrap_or_default() {
                "overload" => overload = true,
                "staticmethod" if in_class => object_kind = ObjectKind::StaticMethod,
                "classmethod" if in_class => object_kind = ObjectKind::ClassMethod,
                "property" | "cached_property" if in_class => object_kind = ObjectKind::Property,
                // `@x.setter` adds to the property `x` documented by its getter.
                "setter" | "deleter" | "getter" if in_class => return,
                _ => decorators.push(text),
            }
        }
        let init = in_class && name == "__init__";
        if !init && !is_visible(name, kind) {
            return;
        }
        let drop_first = in_class && object_kind != ObjectKind::StaticMethod;
        let signature = self.signature(&f.parameters, f.returns.as_deref(), drop_first);
        let doc = self.docstring(&f.body, Some(&signature));
        if init {
            // The constructor's signature is the class's; its docstring joins the class's.
            owner.object.signatures = vec![signature];
            match (&mut owner.object.doc, doc) {
                (Some(class_doc), Some(init_doc)) => class_doc.blocks.extend(init_doc.blocks),
                (slot @ None, Some(init_doc)) => *slot = Some(init_doc),
                _ => {}
            }
            self.instance_attributes(&f.body, owner);
            return;
        }
        // A dunder method is shown only when it says something about itself.
        if name.starts_with("__") && doc.is_none() {
            return;
        }
        if let Some(&i) = scope.overloads.get(name) {
            if let Some(node) = owner.children.get_mut(i).filter(|n| n.object.name == name) {
                // The next overload, or the implementation: its signature is only shown when
                // there were no overloads (typing hides the implementation's).
                if overload {
                    node.object.signatures.push(signature);
                }
                if node.object.doc.is_none() {
                    node.object.doc = doc;
                }
                return;
            }
        }
        if has_child(owner, name) {
            return;
        }
        let qualname = format!("{}.{name}", owner.object.qualname);
        let mut object = self.object(name, qualname, object_kind, self.line(f.range));
        object.is_async = f.is_async;
        object.decorators = decorators;
        if object_kind == ObjectKind::Property {
            object.annotation = signature.returns.clone();
        } else {
            object.signatures.push(signature);
        }
        object.doc = doc;
        if overload {
            scope.overloads.insert(name.to_string(), owner.children.len());
        }
        owner.children.push(Node { object, children: Vec::new() });
    }

    /// `self.weight: Matrix = ...` in `__init__` (annotated, with the string after it as its
    /// docstring) declares a public instance attribute, as type checkers read it.
    fn instance_attributes(&mut self, body: &[Stmt], owner: &mut Node) {
        for (i, stmt) in body.iter().enumerate() {
            let Stmt::AnnAssign(a) = stmt else { continue };
            let Expr::Attribute(target) = &*a.target else { continue };
            let is_self = matches!(&*target.value, Expr::Name(n) if n.id.as_str() == "self");
            let name = target.attr.id.as_str();
            if !is_self || name.starts_with('_') || has_child(owner, name) {
                continue;
            }
            let doc = match body.get(i + 1) {
                Some(Stmt::Expr(e)) if matches!(*e.value, Expr::StringLiteral(_)) => Some(&*e.value),
                _ => None,
            };
            let qualname = format!("{}.{name}", owner.object.qualname);
            let mut object = self.object(name, qualname, ObjectKind::Attribute, self.line(a.range));
            object.annotation = Some(self.text(a.annotation.range()));
            object.doc = doc.and_then(|d| self.string_doc(d, None));
            owner.children.push(Node { object, children: Vec::new() });
        }
    }

    fn class(&mut self, c: &ast::StmtClassDef, parent: &str) -> Node {
        let name = c.name.id.as_str();
        let mut object = self.object(name, format!("{parent}.{name}"), ObjectKind::Class, self.line(c.range));
        for d in &c.decorator_list {
            let text = self.text(d.expression.range());
            let base = text.split('(').next().unwrap_or_default();
            if base == "dataclass" || base == "dataclasses.dataclass" {
                object.is_dataclass = true;
            }
            object.decorators.push(text);
        }
        if let Some(arguments) = &c.arguments {
            object.bases.extend(arguments.args.iter().map(|a| self.text(a.range())));
            object.bases.extend(arguments.keywords.iter().map(|k| self.text(k.range())));
        }
        object.doc = self.docstring(&c.body, None);
        let mut node = Node { object, children: Vec::new() };
        let dataclass = node.object.is_dataclass;
        self.body(&c.body, &mut node, &mut Scope::default(), BodyKind::Class { dataclass });
        if dataclass && node.object.signatures.is_empty() {
            // The generated `__init__` takes the fields in order.
            let params = node
                .children
                .iter()
                .filter(|c| c.object.is_dataclass && c.object.kind == ObjectKind::Attribute)
                .map(|c| Param {
                    name: c.object.name.clone(),
                    kind: ParamKind::Normal,
                    annotation: c.object.annotation.clone(),
                    default: c.object.value.clone(),
                })
                .collect();
            node.object.signatures.push(Signature { params, returns: None });
        }
        node
    }
}

fn is_visible(name: &str, kind: BodyKind) -> bool {
    match kind {
        // Module privacy is decided once `__all__` is known.
        BodyKind::Module => true,
        BodyKind::Class { .. } => !name.starts_with('_') || (name.starts_with("__") && name.ends_with("__")),
    }
}

fn has_child(owner: &Node, name: &str) -> bool {
    owner.children.iter().any(|c| c.object.name == name)
}

/// `["a", "b"]` or `("a", "b")` -> the strings.
fn string_list(expr: &Expr) -> Option<Vec<String>> {
    let elts = match expr {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return None,
    };
    Some(
        elts.iter()
            .filter_map(|e| match e {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                _ => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> ParsedModule {
        parse_module(source, "m", false, 0, Path::new("m.py")).unwrap()
    }

    fn child<'a>(node: &'a Node, name: &str) -> &'a Node {
        node.children.iter().find(|c| c.object.name == name).unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn signatures_keep_every_parameter_kind() {
        let m = parse("def f(a: int, /, b=1, *args: str, c: float = 2.0, **kw) -> None:\n    '''Doc.'''\n");
        let f = &child(&m.root, "f").object;
        let kinds: Vec<_> = f.signatures[0].params.iter().map(|p| (p.display_name(), p.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("a".into(), ParamKind::PositionalOnly),
                ("b".into(), ParamKind::Normal),
                ("*args".into(), ParamKind::VarArgs),
                ("c".into(), ParamKind::KeywordOnly),
                ("**kw".into(), ParamKind::VarKeywords)
            ]
        );
        assert_eq!(f.signatures[0].params[3].default.as_deref(), Some("2.0"));
        assert_eq!(f.signatures[0].returns.as_deref(), Some("None"));
    }

    #[test]
    fn all_decides_what_is_public_and_reexports() {
        let m = parse("from .core import Dense as D\n__all__ = ['f', 'D']\n__all__ += ['g']\ndef f(): pass\ndef g(): pass\ndef h(): pass\n");
        let names: Vec<_> = m.root.children.iter().map(|c| c.object.name.as_str()).collect();
        assert_eq!(names, ["f", "g"]);
        assert_eq!(m.reexports, [("D".to_string(), "core.Dense".to_string())]);
    }

    #[test]
    fn classes_methods_properties_overloads() {
        let m = parse(
            "from typing import overload\n@dataclass(frozen=True)\nclass P(Base, metaclass=M):\n    '''A point.'''\n    x: int\n    y: float = 0.0\n    '''The y.'''\n    k: ClassVar[int] = 1\n    def _hidden(self): pass\n    @property\n    def norm(self) -> float:\n        '''Length.'''\n    @norm.setter\n    def norm(self, v): pass\n    @staticmethod\n    def make(a): pass\n    @overload\n    def at(self, i: int) -> int: ...\n    @overload\n    def at(self, i: str) -> str: ...\n    def at(self, i):\n        '''Item.'''\n",
        );
        let p = child(&m.root, "P");
        assert!(p.object.is_dataclass);
        assert_eq!(p.object.bases, ["Base", "metaclass=M"]);
        let params: Vec<_> = p.object.signatures[0].params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(params, ["x", "y"]);
        let names: Vec<_> = p.children.iter().map(|c| (c.object.name.as_str(), c.object.kind)).collect();
        assert_eq!(
            names,
            [
                ("x", ObjectKind::Attribute),
                ("y", ObjectKind::Attribute),
                ("k", ObjectKind::Attribute),
                ("norm", ObjectKind::Property),
                ("make", ObjectKind::StaticMethod),
                ("at", ObjectKind::Method)
            ]
        );
        assert_eq!(child(p, "y").object.doc.as_ref().unwrap().summary, "The y.");
        assert_eq!(child(p, "norm").object.annotation.as_deref(), Some("float"));
        assert_eq!(child(p, "make").object.signatures[0].params[0].name, "a");
        let at = &child(p, "at").object;
        assert_eq!(at.signatures.len(), 2);
        assert_eq!(at.signatures[1].returns.as_deref(), Some("str"));
        assert_eq!(at.doc.as_ref().unwrap().summary, "Item.");
    }

    #[test]
    fn annotated_instance_attributes_of_init() {
        let m = parse("class Dense:\n    def __init__(self, n: int):\n        self.weight: list[float] = [0.0] * n\n        '''The weights.'''\n        self._cache: dict = {}\n        self.n = n\n");
        let dense = child(&m.root, "Dense");
        let names: Vec<_> = dense.children.iter().map(|c| c.object.name.as_str()).collect();
        assert_eq!(names, ["weight"]);
        let weight = &dense.children[0].object;
        assert_eq!(weight.annotation.as_deref(), Some("list[float]"));
        assert_eq!(weight.doc.as_ref().unwrap().summary, "The weights.");
        assert_eq!(weight.value, None, "an instance value is computed at run time, not a default");
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let e = parse_module("x = 1\ndef f(:\n", "m", false, 0, Path::new("pkg/m.py")).unwrap_err();
        assert_eq!((e.line, e.column), (2, 7), "{e}");
        assert!(e.to_string().starts_with("pkg/m.py:2:7: Python syntax error"), "{e}");
    }

    #[test]
    fn documented_parameters_must_exist() {
        let m = parse("def f(a):\n    '''F.\n\n    Args:\n        a: A.\n        b: B.\n    '''\n");
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.warnings[0].line, 6);
        assert!(m.warnings[0].message.contains("`b`"), "{}", m.warnings[0]);
    }
}

/// Property tests of Python source given to the API reference: real modules of this
/// repository with random edits, or any text. No panic, no hang, and a module model whose
/// warnings point into the source, or a syntax error that does. `fuzz/` runs it longer.
#[cfg(test)]
mod props {
    use super::*;
    use labbook_core::testing::{mutate, within, Edit};
    use proptest::prelude::*;

    const SOURCES: &[&str] = &[
        include_str!("../../../tests/fixtures/apidoc/src/geometry/__init__.py"),
        include_str!("../../../tests/fixtures/apidoc/src/geometry/shapes.py"),
        include_str!("../../labbook-models/src/widget/mlp.py"),
    ];

    fn source() -> impl Strategy<Value = String> {
        let edit = (any::<usize>(), any::<u8>(), any::<usize>()).prop_map(|(at, kind, arg)| Edit { at, kind, arg });
        prop_oneof![
            4 => (0..SOURCES.len(), proptest::collection::vec(edit, 0..12)).prop_map(|(i, e)| mutate(SOURCES[i], &e)),
            1 => "(?s).{0,300}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: labbook_core::testing::cases(64), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn python_source_gives_a_model_or_a_located_error(source in source()) {
            let display = Path::new("src/pkg/mod.py");
            let copy = source.clone();
            let result = within("python source", move || {
                parse_module(&copy, "pkg.mod", false, 0, Path::new("src/pkg/mod.py")).map(|m| m.warnings)
            });
            match result {
                Ok(warnings) => {
                    for w in warnings {
                        prop_assert!(w.points_into(display, &source), "{w:?}\n{source}");
                    }
                }
                Err(e) => prop_assert!(e.points_into(display, &source), "{e:?}\n{source}"),
            }
        }
    }
}

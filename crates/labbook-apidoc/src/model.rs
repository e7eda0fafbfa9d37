//! The API model: plain data describing the public objects of the documented Python
//! sources, built once in the load stage and read by the directives and the search index.

use std::collections::HashMap;
use std::path::PathBuf;

use super::docstring::Doc;
use labbook_core::diagnostic::Diagnostic;

/// Every documented object of every `api:` source of a book.
#[derive(Debug, Clone, Default)]
pub struct ApiModel {
    /// One per `api:` entry, in `book.yaml` order.
    pub roots: Vec<ApiRoot>,
    /// Every public object; modules first within each file, members after their owner.
    pub objects: Vec<Object>,
    /// The source files read, by [`Object::file`].
    pub files: Vec<SourceFile>,
    /// Qualified name -> index into `objects`.
    pub by_name: HashMap<String, usize>,
    /// Names imports give an object (`pkg.Dense`, `pkg.utils.HfHubHTTPError`), followed
    /// through every chain of imports, and the private names of objects documented under a
    /// public one -> the object's qualified name (`pkg.core.Dense`).
    pub aliases: HashMap<String, String>,
    /// Last dotted parts of every qualified name (`Dense.forward`, `forward`) -> objects, for
    /// short cross-links.
    pub suffixes: HashMap<String, Vec<usize>>,
    /// Names other projects document (from `inventories:`) -> their absolute URL.
    pub external: HashMap<String, String>,
    /// Every name a module imports (`pkg.io.Path`) -> the dotted path it imports
    /// (`pathlib.Path`), so that a name of another project written in a type resolves
    /// through `external` as Python would find it.
    pub imports: HashMap<String, String>,
    /// Problems that do not stop the build (malformed docstrings), printed as warnings.
    pub warnings: Vec<Diagnostic>,
}

/// One `api:` entry, loaded.
#[derive(Debug, Clone)]
pub struct ApiRoot {
    /// The navigation heading.
    pub title: String,
    /// The site folder of its pages (`api`).
    pub output: String,
    /// Its modules (indices into [`ApiModel::objects`]), sorted by name.
    pub modules: Vec<usize>,
}

/// A file the model was read from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the book root, for messages.
    pub display: PathBuf,
    /// On disk.
    pub abs: PathBuf,
}

/// What an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    /// A module or package.
    Module,
    /// A class.
    Class,
    /// A module-level function.
    Function,
    /// A method of a class.
    Method,
    /// A `@classmethod`.
    ClassMethod,
    /// A `@staticmethod`.
    StaticMethod,
    /// A `@property`.
    Property,
    /// An annotated or assigned class attribute; a dataclass field.
    Attribute,
    /// A module-level constant or type alias.
    Data,
}

impl ObjectKind {
    /// The word shown before the name.
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Module => "module",
            ObjectKind::Class => "class",
            ObjectKind::Function => "function",
            ObjectKind::Method => "method",
            ObjectKind::ClassMethod => "classmethod",
            ObjectKind::StaticMethod => "staticmethod",
            ObjectKind::Property => "property",
            ObjectKind::Attribute => "attribute",
            ObjectKind::Data => "data",
        }
    }

    /// Functions and methods of every flavour.
    pub fn is_callable(self) -> bool {
        matches!(self, ObjectKind::Function | ObjectKind::Method | ObjectKind::ClassMethod | ObjectKind::StaticMethod)
    }
}

/// One documented object.
#[derive(Debug, Clone)]
pub struct Object {
    /// The last part of the name (`forward`).
    pub name: String,
    /// The dotted path (`tinyml.Dense.forward`); also the object's anchor id.
    pub qualname: String,
    /// What it is.
    pub kind: ObjectKind,
    /// The class or module that holds it.
    pub parent: Option<usize>,
    /// Index into [`ApiModel::files`].
    pub file: usize,
    /// 1-based line of its definition.
    pub line: usize,
    /// Call signatures: one, or one per `@overload`. A class has its constructor's.
    pub signatures: Vec<Signature>,
    /// Decorators as written, without `@` (the ones that set the kind are left out).
    pub decorators: Vec<String>,
    /// Base classes (and keywords such as `metaclass=`) as written.
    pub bases: Vec<String>,
    /// The annotation of an attribute or constant, or a property's return annotation.
    pub annotation: Option<String>,
    /// The value of an attribute or constant, as written.
    pub value: Option<String>,
    /// Whether it is an `async def`.
    pub is_async: bool,
    /// A dataclass (its annotated attributes are fields and make its signature); on an
    /// attribute, a field of a dataclass.
    pub is_dataclass: bool,
    /// The parsed docstring.
    pub doc: Option<Doc>,
    /// Public members in source order.
    pub members: Vec<usize>,
    /// The output path of the page documenting it (`api/tinyml.html`).
    pub page: String,
}

impl Object {
    /// The first sentence-ish line of the docstring as Markdown, for summaries.
    pub fn summary(&self) -> &str {
        self.doc.as_ref().map_or("", |d| d.summary.as_str())
    }
}

/// How a parameter is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Before `/`.
    PositionalOnly,
    /// Positional or keyword.
    Normal,
    /// `*args`.
    VarArgs,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `**kwargs`.
    VarKeywords,
}

/// One parameter of a signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name, without stars.
    pub name: String,
    /// How it is passed.
    pub kind: ParamKind,
    /// The annotation as written.
    pub annotation: Option<String>,
    /// The default as written.
    pub default: Option<String>,
}

impl Param {
    /// The name with its stars (`*args`, `**kwargs`).
    pub fn display_name(&self) -> String {
        match self.kind {
            ParamKind::VarArgs => format!("*{}", self.name),
            ParamKind::VarKeywords => format!("**{}", self.name),
            _ => self.name.clone(),
        }
    }
}

/// A call signature.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Signature {
    /// Parameters in order (a method's `self` or `cls` left out).
    pub params: Vec<Param>,
    /// The return annotation as written.
    pub returns: Option<String>,
}

impl Signature {
    /// The parameter named `name` (with or without its stars).
    pub fn param(&self, name: &str) -> Option<&Param> {
        let bare = name.trim_start_matches('*');
        self.params.iter().find(|p| p.name == bare)
    }
}

impl ApiModel {
    /// The object with this exact qualified name (or re-exported name).
    /// A member of a re-exported name (`pkg.utils.HfFolder.get_token`) is found under the
    /// object the name leads to.
    pub fn get(&self, qualname: &str) -> Option<usize> {
        if let Some(&i) = self.by_name.get(qualname) {
            return Some(i);
        }
        if let Some(&i) = self.aliases.get(qualname).and_then(|q| self.by_name.get(q)) {
            return Some(i);
        }
        let mut cut = qualname.len();
        while let Some(dot) = qualname[..cut].rfind('.') {
            if let Some(target) = self.aliases.get(&qualname[..dot]) {
                return self.by_name.get(&format!("{target}{}", &qualname[dot..])).copied();
            }
            cut = dot;
        }
        None
    }

    /// The module an object belongs to.
    pub fn module_of(&self, mut i: usize) -> usize {
        while self.objects[i].kind != ObjectKind::Module {
            match self.objects[i].parent {
                Some(p) => i = p,
                None => break,
            }
        }
        i
    }

    /// Whether the book documents any Python API.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

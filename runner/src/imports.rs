//! Rewrites `import tinyml` statements into assignments from the host namespace object.
//!
//! Monty resolves `import` only against its own standard-library modules and offers hosts no
//! import hook (0.0.23), so a host module cannot be imported for real. Instead the runner injects
//! the namespace as the global [`NAMESPACE`] and turns each import of `tinyml` into plain
//! assignments *on the same line*, so line numbers in tracebacks still match the student's file.
//! Statements this rewrite does not recognise are left alone, and Monty reports them as
//! `ModuleNotFoundError` like any unknown module. The rewrite is line-based, so an
//! `import tinyml` line inside a triple-quoted string is rewritten too; exercises do not do that.

use regex::Regex;

use crate::tinyml::FUNCTIONS;

/// The global the namespace object is bound to (a dunder name students will not collide with).
pub const NAMESPACE: &str = "__tinyml__";

/// The global the course's numpy module object is bound to (made by the numpy prelude).
pub const NUMPY: &str = "__numpy__";

/// Every attribute of the course's numpy module (`_np_exports` in `tinyml/numpy.py`; a test
/// checks the two lists agree).
pub const NUMPY_NAMES: &[&str] = &[
    "ndarray",
    "dtype",
    "float64",
    "int64",
    "bool_",
    "pi",
    "e",
    "inf",
    "nan",
    "newaxis",
    "array",
    "asarray",
    "zeros",
    "ones",
    "full",
    "zeros_like",
    "ones_like",
    "arange",
    "linspace",
    "eye",
    "shape",
    "ndim",
    "reshape",
    "transpose",
    "sum",
    "prod",
    "mean",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "any",
    "all",
    "std",
    "var",
    "exp",
    "log",
    "sqrt",
    "abs",
    "absolute",
    "square",
    "tanh",
    "sign",
    "floor",
    "ceil",
    "round",
    "clip",
    "where",
    "maximum",
    "minimum",
    "add",
    "subtract",
    "multiply",
    "divide",
    "power",
    "dot",
    "matmul",
    "concatenate",
    "stack",
    "vstack",
    "argsort",
    "sort",
    "unique",
    "allclose",
    "array_equal",
    "isnan",
    "random",
    "linalg",
];

/// The module name students import.
const MODULE: &str = "tinyml";

/// A module the Monty runner provides as a Python prelude (run once, the first time a program
/// imports it) that binds a module object to `global`.
pub struct PreludeModule {
    pub name: &'static str,
    pub global: &'static str,
    /// Its attributes, for `from <name> import ...`.
    pub names: &'static [&'static str],
}

/// The modules Monty lacks that the runner provides: the course's numpy, and `random`,
/// `statistics` and `time` (src/modules/).
pub const PRELUDE_MODULES: &[PreludeModule] = &[
    PreludeModule { name: "numpy", global: NUMPY, names: NUMPY_NAMES },
    PreludeModule {
        name: "random",
        global: "__random__",
        names: &[
            "Random",
            "seed",
            "random",
            "uniform",
            "randrange",
            "randint",
            "choice",
            "choices",
            "shuffle",
            "sample",
            "gauss",
            "normalvariate",
            "expovariate",
            "triangular",
            "getrandbits",
        ],
    },
    PreludeModule {
        name: "statistics",
        global: "__statistics__",
        names: &[
            "StatisticsError",
            "mean",
            "fmean",
            "median",
            "median_low",
            "median_high",
            "mode",
            "multimode",
            "variance",
            "pvariance",
            "stdev",
            "pstdev",
            "geometric_mean",
            "harmonic_mean",
            "quantiles",
        ],
    },
    PreludeModule {
        name: "time",
        global: "__time__",
        names: &["perf_counter", "monotonic", "process_time", "time", "perf_counter_ns", "time_ns", "sleep"],
    },
];

fn prelude_module(name: &str) -> Option<&'static PreludeModule> {
    PRELUDE_MODULES.iter().find(|m| m.name == name)
}

/// What [`rewrite`] found: the new source, and the names the program bound numpy to (none if
/// it does not import numpy).
pub struct Rewritten {
    pub source: String,
    pub numpy: Vec<String>,
    /// The prelude modules it imports ([`PRELUDE_MODULES`]' names).
    pub modules: Vec<&'static str>,
}

/// Returns `source` with every recognised import of `tinyml` and `numpy` replaced, line count
/// unchanged.
#[cfg(test)]
pub fn rewrite(source: &str) -> String {
    rewrite_all(source).source
}

/// [`rewrite`], also reporting numpy's aliases.
pub fn rewrite_all(source: &str) -> Rewritten {
    let mut numpy = Vec::new();
    let mut modules: Vec<&'static str> = Vec::new();
    let import_re = Regex::new(r"^(\s*)import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)\s*(#.*)?$")
        .expect("valid regex");
    let from_re = Regex::new(r"^(\s*)from\s+(tinyml|numpy|numpy\.random|random|statistics|time)\s+import\s+(.*)$")
        .expect("valid regex");
    let alias_re = Regex::new(r"^([\w.]+)(?:\s+as\s+(\w+))?$").expect("valid regex");

    let lines: Vec<&str> = source.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(caps) = import_re.captures(line) {
            let names: Vec<(&str, Option<&str>)> = caps[2]
                .split(',')
                .filter_map(|part| alias_re.captures(part.trim()))
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).map(|m| m.as_str())))
                .collect();
            if names.iter().any(|(module, _)| *module == MODULE || prelude_module(module).is_some()) {
                let statements: Vec<String> = names
                    .iter()
                    .map(|(module, alias)| match (*module, alias) {
                        (MODULE, alias) => format!("{} = {NAMESPACE}", alias.unwrap_or(MODULE)),
                        (module, alias) if prelude_module(module).is_some() => {
                            let found = prelude_module(module).expect("checked");
                            let name = alias.unwrap_or(found.name);
                            if found.name == "numpy" {
                                numpy.push(name.to_owned());
                            }
                            if !modules.contains(&found.name) {
                                modules.push(found.name);
                            }
                            format!("{name} = {}", found.global)
                        }
                        (_, Some(alias)) => format!("import {module} as {alias}"),
                        (_, None) => format!("import {module}"),
                    })
                    .collect();
                out.push(format!("{}{}", &caps[1], statements.join("; ")));
                i += 1;
                continue;
            }
        }
        if let Some(caps) = from_re.captures(line) {
            let indent = caps[1].to_owned();
            let module = caps[2].to_owned();
            let top = module.split('.').next().unwrap_or(&module);
            if top == "numpy" && numpy.is_empty() {
                // The helpers' own name for the module, so `np.` checks still apply to `numpy.`.
                numpy.push("numpy".to_owned());
            }
            if let Some(found) = prelude_module(top) {
                if !modules.contains(&found.name) {
                    modules.push(found.name);
                }
            }
            // Gather a parenthesised or backslash-continued name list spanning several lines.
            let mut text = strip_comment(&caps[3]).to_owned();
            let mut consumed = 1;
            let open = text.trim_start().starts_with('(');
            while i + consumed < lines.len()
                && ((open && !text.contains(')')) || (!open && text.trim_end().ends_with('\\')))
            {
                text = text.trim_end().trim_end_matches('\\').to_owned();
                text.push(' ');
                text.push_str(strip_comment(lines[i + consumed]));
                consumed += 1;
            }
            let list = text.trim().trim_end_matches('\\').trim().trim_start_matches('(').trim_end_matches(')');
            let statement = match module.as_str() {
                MODULE => from_import(list, &alias_re, MODULE, NAMESPACE, FUNCTIONS),
                "numpy.random" => {
                    from_import(list, &alias_re, "numpy.random", &format!("{NUMPY}.random"), NUMPY_RANDOM_NAMES)
                }
                other => {
                    let found = prelude_module(other).expect("the regex lists prelude modules");
                    from_import(list, &alias_re, found.name, found.global, found.names)
                }
            };
            out.push(format!("{indent}{statement}"));
            out.extend(std::iter::repeat_n(String::new(), consumed - 1));
            i += consumed;
            continue;
        }
        out.push(line.to_owned());
        i += 1;
    }
    Rewritten { source: out.join("\n"), numpy, modules }
}

/// The attributes of `numpy.random`.
const NUMPY_RANDOM_NAMES: &[&str] = &["default_rng", "Generator"];

/// Drops a trailing `# comment` (import lists contain no strings, so a `#` always starts one).
fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("")
}

/// The assignments for `from <module> import <list>`, or a `raise` with CPython's message when
/// a name does not exist, so the error points at the import line.
fn from_import(list: &str, alias_re: &Regex, module: &str, namespace: &str, names: &[&str]) -> String {
    if list.trim() == "*" {
        return names.iter().map(|f| format!("{f} = {namespace}.{f}")).collect::<Vec<_>>().join("; ");
    }
    let mut statements = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some(caps) = alias_re.captures(part) else {
            return "raise SyntaxError('invalid syntax in from tinyml import')".to_owned();
        };
        let name = &caps[1];
        if !names.contains(&name) {
            if module.starts_with("numpy") {
                return format!("__np_missing('{module}.{name}')");
            }
            return format!("raise ImportError(\"cannot import name '{name}' from '{module}'\")");
        }
        let binding = caps.get(2).map_or(name, |m| m.as_str());
        statements.push(format!("{binding} = {namespace}.{name}"));
    }
    statements.join("; ")
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn plain_aliased_and_mixed_imports() {
        assert_eq!(rewrite("import tinyml\nx = 1"), "tinyml = __tinyml__\nx = 1");
        assert_eq!(rewrite("  import tinyml as tm  # numeric"), "  tm = __tinyml__");
        assert_eq!(rewrite("import math, tinyml as t"), "import math; t = __tinyml__");
        assert_eq!(rewrite("import math"), "import math");
    }

    #[test]
    fn from_imports_keep_line_numbers() {
        assert_eq!(
            rewrite("from tinyml import softmax, dot as d\n"),
            "softmax = __tinyml__.softmax; d = __tinyml__.dot\n"
        );
        let multi = "from tinyml import (\n    softmax,\n    dot,\n)\nprint(1)";
        let out = rewrite(multi);
        assert_eq!(out.lines().count(), multi.lines().count());
        assert!(out.starts_with("softmax = __tinyml__.softmax; dot = __tinyml__.dot\n"));
        assert!(out.ends_with("\nprint(1)"));
    }

    #[test]
    fn unknown_names_raise_import_error_on_the_same_line() {
        assert_eq!(
            rewrite("from tinyml import nope"),
            "raise ImportError(\"cannot import name 'nope' from 'tinyml'\")"
        );
    }
}

# String formatting: f-strings, str.format, % and string methods
# === fstring_basic_specs
x = 3.14159
print(f"{x:.2f} {x:8.3f}| {x:<8.1f}| {x:e} {x:.0f}")
# === fstring_int_specs
n = 1234567
print(f"{n:,} {n:_} {n:>10} {n:010d} {255:x} {255:#x} {5:b} {8:o}")
# === fstring_percent_and_sign
r = 0.256
print(f"{r:.1%} {r:%} {3:+d} {-3:+d} {3: d}")
# === fstring_alignment_fill
for name, v in [("loss", 0.5), ("accuracy", 0.95)]:
    print(f"{name:*^12}|{v:>6.2f}|{name:-<10}|")
# === fstring_expressions_and_conversions
items = ["a", "b"]
d = {"k": 1}
print(f"{len(items)} {items!r} {d['k']} {'yes' if d else 'no'} {items[0]!s:>3}")
# === fstring_nested_spec
width, prec = 10, 3
print(f"{2 / 3:{width}.{prec}f}|")
# === fstring_self_documenting
lr = 0.01
epochs = 5
print(f"{lr=}, {epochs=}, {lr * epochs=}")
# === fstring_braces_escape
print(f"{{literal}} {1 + 1}")
# === format_method_positional_keyword
print("{} + {} = {}".format(1, 2, 3))
print("{1} {0} {1}".format("a", "b"))
print("{name} is {age:d}".format(name="Ada", age=36))
print("{0[0]} {0[1]} {p.real}".format(["x", "y"], p=2 + 3j))
# === format_builtin
print(format(3.14159, ".3f"), format(42, "08b"), format(0.5, ".0%"), format(1e6, ",.0f"))
# === percent_formatting_basic
x = 2 / 3
print("%.2f" % x)
print("%d items, %s, %5.1f%%" % (3, "ok", 99.5))
print("%-6s|%6s|" % ("ab", "cd"))
# === percent_formatting_dict_and_types
print("%(name)s has %(n)03d" % {"name": "net", "n": 7})
print("%x %o %e %g %r" % (255, 8, 12345.678, 0.0001, "s"))
# === str_methods_common
s = "  Hello, World  "
print(s.strip(), s.lower(), s.upper().strip(), s.replace("l", "L"))
print("a,b,,c".split(","), "x y  z".split(), "-".join(["1", "2"]))
# === str_methods_more
s = "machine learning"
print(s.title(), s.capitalize(), s.count("n"), s.find("learn"), s.startswith("mach"))
print(s.center(20, "."), s.zfill(18), "42".rjust(5, "0"), s.partition(" "))
# === str_split_lines_and_strip_chars
text = "a=1\nb=2\n\nc=3"
print([line.split("=") for line in text.splitlines() if line])
print("xxhixx".strip("x"), "abc".removeprefix("a"), "abc".removesuffix("c"))
# === str_is_predicates
for s in ["123", "abc", "a1", " ", "ABC", "3.5"]:
    print(s, s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.isupper())
# === str_slicing_and_reverse
s = "softmax"
print(s[0], s[-1], s[2:5], s[::-1], s[::2], s[10:], len(s))
# === repr_of_values
print(repr("it's"), repr('say "hi"'), repr(1.0), repr([1, "a", None, True]), repr((1,)))
# === print_sep_end
print(1, 2, 3, sep=", ", end="!\n")
print("a", "b", sep="")
print("no newline", end="")
print()
# === float_repr_shortest
print(0.1, 0.1 + 0.2, 1 / 3, 2.5e-10, 1e16, 1e15, 123456789.0, -0.0)
# === str_format_table
rows = [("iris", 150, 0.9666), ("digits", 1797, 0.9812)]
print(f"{'dataset':<8}{'n':>6}{'acc':>8}")
for name, n, acc in rows:
    print(f"{name:<8}{n:>6}{acc:>8.3f}")
# === string_encode_ord_chr
print(ord("A"), chr(97), "é".encode("utf-8"), b"abc".decode(), list(b"hi"))
# === str_join_map_numbers
xs = [0.5, 0.25, 0.125]
print(" ".join(f"{x:.3f}" for x in xs), ", ".join(map(str, xs)))
# === textual_numbers_parsing
print(int("  42 "), float("3.5e2"), int("ff", 16), int("0b101", 0), float("-inf"), str(10**20))
# === multiline_strings_dedent
import textwrap

s = """
    line one
      line two
"""
print(textwrap.dedent(s).strip())
print(textwrap.fill("the quick brown fox jumps over the lazy dog", width=15))

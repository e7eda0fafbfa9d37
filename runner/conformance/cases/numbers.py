# Integer and float edge cases
# === round_half_even_and_halfway
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2))
# === round_ndigits_and_negative
print(round(1234.5678, 1), round(1234.5678, -2), round(15, -1), round(25, -1), type(round(2.5)).__name__)
# === integer_division_modulo_negative
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, divmod(-7, 2), divmod(7.5, 2))
# === big_integers
print(2 ** 100, 3 ** 50 % 1000007, -(2 ** 70) // 3, (10 ** 30 + 1) * (10 ** 30 - 1))
print(len(str(2 ** 1000)), int("9" * 40) + 1)
# === integer_bit_operations
print(5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 10, 1024 >> 3, (255).bit_length(), bin(10), hex(255), oct(8))
# === int_float_conversion
print(int(3.9), int(-3.9), float(7), int("-12"), int(True), float("1e3"), int(1e20))
# === float_special_values
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, inf - inf, inf * 0, nan == nan, nan != nan, inf > 10 ** 300)
# === float_precision_classics
print(0.1 + 0.2 == 0.3, 0.1 + 0.2, 1.1 * 3, 1 - 0.9, 3 * 0.1)
print(sum([0.1] * 10), 1e-7, 1e21, 123e-20, 5e-324, 1.7976931348623157e308)
# === float_methods
print((0.5).as_integer_ratio(), (3.0).is_integer(), (2.5).hex(), float.fromhex("0x1.8p1"))
# === int_str_bases
print(int("777", 8), int("z", 36), format(10, "b"), str(-0), f"{-0.0}", abs(-0.0))
# === division_results
print(1 / 2, 4 / 2, 7 / 7, -1 / 3, 2 ** -1, 2 ** 0.5, (-8) ** (1 / 3) if False else -(8 ** (1 / 3)))
# === zero_division_variants
for f in [lambda: 1 / 0, lambda: 1 // 0, lambda: 1 % 0, lambda: 1.0 / 0.0, lambda: divmod(1, 0)]:
    try:
        f()
    except ZeroDivisionError as e:
        print("ZeroDivisionError")
# === comparisons_chained_mixed
print(1 < 2 < 3, 1 < 3 < 2, 1 == 1.0, 2 ** 53 == 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53 + 1, True == 1)
# === bool_arithmetic
print(True + True, sum([True, False, True]), True * 3.5, int(False), bool(0.0), bool("0"), bool([]))
# === pow_three_arg_and_negative
print(pow(3, 4, 5), pow(2, -1, 7), pow(-2, 3), (-2) ** 2, -2 ** 2, 0 ** 0, 0.0 ** 0)
# === min_max_abs_sum_builtin
xs = [3.5, -2, 7, 0]
print(min(xs), max(xs), abs(-7), sum(xs), sum(xs, 10), max(xs, key=abs), min([], default=None))
# === complex_numbers
z = 3 + 4j
print(z, abs(z), z.real, z.imag, z.conjugate(), z * 1j, (1 + 2j) / (3 - 4j))
# === float_formatting_repr_roundtrip
for x in [0.1, 1 / 3, 2 / 3, 100.0, 1e100, 12345.678901234]:
    print(repr(x), float(repr(x)) == x)
# === integer_sqrt_and_float_sqrt
import math

print(math.isqrt(10 ** 20), math.sqrt(2), 2 ** 0.5 == math.sqrt(2), math.sqrt(1e-300))
# === hash_numeric_equality
print(hash(1) == hash(1.0), {1: "a", 1.0: "b"}, {True: "t", 1: "one"})
# === sorting_floats_with_nan_free
xs = [3.2, -1.5, 0.0, 2.0, -0.0]
print(sorted(xs), sorted(xs, reverse=True), sorted(xs, key=abs))
# === int_floor_ceil_of_floats
import math

print([math.floor(x) for x in [-1.5, -0.5, 0.5, 1.5]], [math.ceil(x) for x in [-1.5, 0.5]], [int(x) for x in [-1.5, 1.5]])
# === range_arithmetic
r = range(2, 20, 3)
print(list(r), len(r), r[2], r[-1], 11 in r, 12 in r, list(range(5, 0, -2)), range(0, 10)[::3])
# === numeric_string_rounding_format
for x in [0.5, 1.5, 2.5, 0.125, 0.375, 1e-5]:
    print(f"{x:.0f} {x:.2f} {x:.1e} {x:g}")
# === sum_of_squares_precision
xs = [0.1 * i for i in range(10)]
print(sum(x * x for x in xs), round(sum(x * x for x in xs), 10))

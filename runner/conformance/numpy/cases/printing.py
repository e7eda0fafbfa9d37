# how arrays print: numpy's array2string (precision 8, maxprec), repr, wrapping, summarising
# === print_floats
import numpy as np
print(np.array([0.1, 0.25, 1.0 / 3.0]))
print(np.array([1e-5, 1.0, 1000.0]))
print(np.array([123456789.0, 1.5]))
print(np.array([-1.5, 2.0, -0.0]))
print(np.array([1.0, 2.0, 3.0]) / 7)
print(np.array([0.0, 0.0]))
# === print_repr
import numpy as np
print(repr(np.array([1, 2, 3])))
print(repr(np.array([[1.5, 2.0], [3.0, 4.0]])))
print(repr(np.array([True, False])))
print(repr(np.array([])), repr(np.zeros((0, 3))))
print([np.array([1.0, 2.0])])
# === print_wrapping
import numpy as np
print(np.arange(40))
print(np.linspace(0, 1, 13))
print(repr(np.arange(30) * 1.5))
# === print_summarised
import numpy as np
print(np.arange(2000))
print(np.arange(3000).reshape(1000, 3))
print(repr(np.arange(1500.0)))
# === print_3d_and_bool
import numpy as np
print(np.arange(12).reshape(2, 3, 2))
print(np.array([[True, False], [False, True]]))
print(np.array([[-1, 10], [100, -1000]]))
# === print_nan_inf
import numpy as np
print(np.array([np.nan, 1.0, -np.inf]))
print(np.array([1e10, np.nan]))
# === print_fstring_str
import numpy as np
a = np.array([1.5, 2.5])
print(f"weights: {a}", "shape " + str(a.shape), str(a))

"""Polynomials in dimension symbols, for FLOPs and bytes of symbolic shapes (SPEC §2).

Counts of a plan are products and sums of dimensions. With integer dimensions they are
plain ``int``; a symbol (``b``, ``h``) makes them a :class:`Poly`. This module is small on
purpose: ``notation plan`` on symbolic shapes prints ``2·b·h·794 + b·h = 1589·b·h`` without
importing SymPy (which costs a second at start-up); :meth:`Poly.to_sympy` gives a SymPy
expression to whoever wants one.
"""

from __future__ import annotations

from typing import Union

Monomial = tuple  # sorted symbol names, with repetition: ("b", "b", "h") is b²·h


class Poly:
    """A polynomial with integer coefficients in named symbols.

    >>> b, h = Poly.symbol("b"), Poly.symbol("h")
    >>> str(mul(2, b, h, 794) + mul(b, h))
    '1589·b·h'
    """

    __slots__ = ("terms",)

    def __init__(self, terms: dict):
        self.terms = terms if all(terms.values()) else {m: c for m, c in terms.items() if c}

    @staticmethod
    def symbol(name: str) -> "Poly":
        return Poly({(name,): 1})

    # -- arithmetic (ints mix in freely)
    def __add__(self, other):
        terms = dict(self.terms)
        for m, c in _terms(other).items():
            terms[m] = terms.get(m, 0) + c
        return _simplify(Poly(terms))

    __radd__ = __add__

    def __mul__(self, other):
        if type(other) is int:      # a scaling: the monomials stay as they are (sorted)
            return _simplify(Poly({m: c * other for m, c in self.terms.items()}))
        terms: dict = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in _terms(other).items():
                m = tuple(sorted(m1 + m2))
                terms[m] = terms.get(m, 0) + c1 * c2
        return _simplify(Poly(terms))

    __rmul__ = __mul__

    def __sub__(self, other):
        return self + (-1) * other

    def __rsub__(self, other):
        return other + (-1) * self

    def __eq__(self, other):
        return _terms(other) == self.terms

    def __hash__(self):
        return hash(frozenset(self.terms.items()))

    # -- reading
    @property
    def symbols(self) -> set[str]:
        return {s for m in self.terms for s in m}

    def evaluate(self, **values: int) -> Union[int, "Poly"]:
        """Substitute integers for symbols: ``(2·b·h).evaluate(b=10) == 20·h``."""
        out: int | Poly = 0
        for m, c in self.terms.items():
            term: int | Poly = c
            for s in m:
                term = mul(term, values[s] if s in values else Poly.symbol(s))
            out = add(out, term)
        return out

    def dominates(self, other) -> bool:
        """Is ``self - other`` a polynomial with no negative coefficient (so self ≥ other for
        every positive value of the symbols)?"""
        diff = self - other
        return all(c >= 0 for c in _terms(diff).values())

    def to_sympy(self):
        import sympy
        syms = {s: sympy.Symbol(s, integer=True, positive=True) for s in self.symbols}
        return sympy.Add(*(sympy.Mul(c, *(syms[s] for s in m)) for m, c in self.terms.items()))

    def __str__(self) -> str:
        terms = self.terms
        if len(terms) == 1:                  # one term (most counts of one step): no sort
            for m, c in terms.items():
                text = "·".join(m if abs(c) == 1 and m else (str(abs(c)),) + m)
                return "-" + text if c < 0 else text
        if not terms:
            return "0"
        # Each term with its sign, joined once (a sum of 10,000 terms built by += was
        # quadratic); the totals of a chain of distinct dimensions have a term a factor.
        parts = [("- " if c < 0 else "+ ")
                 + ("·".join(m) if (c == 1 or c == -1) and m else "·".join((str(abs(c)), *m)))
                 for m, c in ((m, terms[m]) for m in _ordered(terms))]
        first = parts[0]
        parts[0] = "-" + first[2:] if first[0] == "-" else first[2:]
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"Poly({str(self)!r})"


def _ordered(terms: dict) -> list[tuple]:
    """The monomials of ``terms`` in the order they print: higher degree first, then the
    monomials in order (each degree's sorted as tuples: no key function called per term)."""
    by_degree: dict[int, list] = {}
    for m in terms:
        by_degree.setdefault(len(m), []).append(m)
    return [m for d in sorted(by_degree, reverse=True) for m in sorted(by_degree[d])]


def _poly(terms: dict) -> Poly:
    """A polynomial of terms known to have no zero coefficient (no check)."""
    p = object.__new__(Poly)
    p.terms = terms
    return p


def _terms(x) -> dict:
    if isinstance(x, Poly):
        return x.terms
    return {(): x} if x else {}


def _simplify(p: Poly):
    """A polynomial with no symbol left is an int again."""
    if not p.terms:
        return 0
    if len(p.terms) == 1 and () in p.terms:
        return p.terms[()]
    return p


Count = Union[int, Poly]


def mul(*factors) -> Count:
    """Product of ints and polynomials; stays an int when every factor is one."""
    # The ints first, in one number; then the polynomials; then one scaling (the plan
    # multiplies counts such as 2·b·n1·n2 for every step).
    k, polys = 1, []
    for f in factors:
        t = type(f)
        if t is int:
            k *= f
        elif t is Poly:
            polys.append(f)
        else:                                   # a bool or an int or Poly subclass
            break
    else:
        if not polys or k == 0:
            return k
        if len(polys) == 1:
            out = polys[0]
            if k == 1:
                return out
            # a scaling by k ≠ 0: no coefficient becomes 0, the monomials stay sorted
            return _simplify(_poly({m: c * k for m, c in out.terms.items()}))
        # The usual plan count, a product of one-term polynomials (symbols: 2·b·n1·n2): one
        # monomial, sorted once, instead of a polynomial product and a scaling per factor.
        monomial: tuple = ()
        c = k
        for f in polys:
            if len(f.terms) != 1:
                break
            for m, ck in f.terms.items():
                monomial += m
                c *= ck
        else:
            if not monomial:
                return c
            return _poly({tuple(sorted(monomial)): c})
        out = polys[0]
        for f in polys[1:]:
            out = out * f
            if type(out) is int:
                return out * k
        return out * k if k != 1 else out
    out: Count = 1
    for f in factors:
        out = out * f if isinstance(out, int) and isinstance(f, int) else _as_poly(out) * f
    return out


def add(*terms) -> Count:
    out: Count = 0
    for t in terms:
        out = out + t if isinstance(out, int) and isinstance(t, int) else _as_poly(out) + t
    return out


def total(counts) -> Count:
    """The sum of many counts in one pass: adding them one by one copies the running sum
    each time, which is quadratic when the sum has as many terms as there are counts (a plan
    of thousands of layers, each with dimensions of its own)."""
    ints = 0
    terms: dict = {}
    for c in counts:
        if type(c) is int:
            ints += c
        else:
            for m, k in c.terms.items():
                terms[m] = terms.get(m, 0) + k
    if not terms:
        return ints
    if ints:
        terms[()] = terms.get((), 0) + ints
    return _simplify(Poly(terms))


def value_at(count: Count, point: dict) -> int:
    """The count with every symbol given a number (``point`` holds them all)."""
    if type(count) is int:
        return count
    out = 0
    for m, c in count.terms.items():
        for s in m:
            c *= point[s]
        out += c
    return out


def _as_poly(x) -> Poly:
    return x if isinstance(x, Poly) else Poly({(): x})


def maximum(values) -> list:
    """The values that no other value dominates: one for integers, possibly several for
    polynomials whose order depends on the symbols (``max(b·h, 1000)``)."""
    values = list(values)
    if all(isinstance(v, int) for v in values):
        return [max(values)] if values else [0]
    values = list(dict.fromkeys(values))       # many steps peak alike: compare each once
    kept: list = []
    for v in values:
        if any(_dominates(k, v) for k in kept):
            continue
        kept = [k for k in kept if not _dominates(v, k)] + [v]
    return kept


def _dominates(a, b) -> bool:
    return all(c >= 0 for c in _terms(add(a, mul(-1, b))).values())


def text(count: Count) -> str:
    """``36``, ``1589·b·h``."""
    return str(count)


def formula(*factors) -> str:
    """A count as the product it came from, when a symbol keeps it from being a number:
    ``formula(2, "b", "h", 794) == "2·b·h·794"``; ``formula(2, 1, 3, 4) == "24"``."""
    if all(isinstance(f, int) for f in factors):
        out = 1
        for f in factors:
            out *= f
        return str(out)
    shown = [str(f) for f in factors if f != 1]
    return "·".join(shown) if shown else "1"
